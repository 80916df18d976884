"""``trials`` and ``pubmed`` feeds end to end: ``biotui refresh`` asks the services (here a
server on 127.0.0.1 answering what they answer), ``list --json`` and ``show --json`` show the
studies and papers; failures are one line naming the feed, stored articles stay, other feeds
go on; requests keep the services' pace.

The PubMed answers are real (Biopython's test suite, see tests/data/README.md); the
ClinicalTrials.gov and esearch answers are written from the services' documentation.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.cli import main
from biotui.secrets import forget_secrets

DATA = Path(__file__).resolve().parents[1] / "data"
TRIALS = DATA / "clinicaltrials"
EUTILS = DATA / "eutils"
API_KEY = "k3y-0123456789abcdef"
Invoke = Callable[..., tuple[int, str, str]]


def efetch_answer(*names: str) -> bytes:
    """Biopython's PubMed files joined into one efetch answer (their prolog, every record)."""
    texts = [(EUTILS / f"{name}.xml").read_text(encoding="utf-8") for name in names]
    prolog = texts[0][: texts[0].index("<PubmedArticleSet>")]
    records = [re.search(r"<PubmedArticleSet>(.*)</PubmedArticleSet>", t, re.S)[1] for t in texts]  # type: ignore[index]
    return (prolog + "<PubmedArticleSet>" + "".join(records) + "</PubmedArticleSet>\n").encode()


@pytest.fixture(autouse=True)
def fresh_secrets() -> Iterator[None]:
    forget_secrets()
    yield
    forget_secrets()


@pytest.fixture
def invoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Invoke:
    def run(config: Path, *args: str) -> tuple[int, str, str]:
        status = main(["--config", str(config), "--data-dir", str(tmp_path / "data"), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def settings(server: HTTPServer, extra: str = "") -> str:
    return f"""
[settings]
clinicaltrials_api = "{server.url_for("/ct/api/v2")}"
eutils_api = "{server.url_for("/eutils")}"
{extra}
"""


def listed(invoke: Invoke, config: Path) -> list[dict[str, object]]:
    status, out, _ = invoke(config, "list", "--json")
    assert status == 0
    return [json.loads(line) for line in out.splitlines()]


def shown(invoke: Invoke, config: Path, article: str) -> dict[str, object]:
    status, out, _ = invoke(config, "show", article, "--json")
    assert status == 0
    record = json.loads(out)
    assert isinstance(record, dict)
    return record


def test_a_trials_feed_lists_the_studies_and_an_update_updates_its_article(
    httpserver: HTTPServer, make_config: Callable[[str], Path], invoke: Invoke
) -> None:
    httpserver.expect_ordered_request("/ct/api/v2/studies").respond_with_data(
        (TRIALS / "studies.json").read_bytes(), content_type="application/json"
    )
    httpserver.expect_ordered_request("/ct/api/v2/studies").respond_with_data(
        (TRIALS / "studies-updated.json").read_bytes(), content_type="application/json"
    )
    config = make_config(
        settings(httpserver) + '[[feeds]]\nname = "Lupus trials"\ntrials = "CAR-T lupus"\n'
    )
    status, out, _ = invoke(config, "refresh")
    assert status == 0
    assert out.splitlines() == ["✓ Lupus trials: 2 new, 0 updated"]
    request = httpserver.log[0][0]
    assert request.args["query.term"] == "CAR-T lupus"
    assert request.args["sort"] == "LastUpdatePostDate:desc"
    assert request.args["format"] == "json"
    assert int(request.args["pageSize"]) > 0

    rows = listed(invoke, config)
    assert [(r["title"], r["source"], r["link"], r["published"]) for r in rows] == [
        (
            "CD19 CAR-T Cells in Refractory Systemic Lupus Erythematosus",
            "Example Cell Therapeutics",
            "https://clinicaltrials.gov/study/NCT09000001",
            "2025-05-20T00:00:00+00:00",
        ),
        (
            "Long-term Follow-up of Participants Treated With CAR-T Cells for Autoimmune Disease",
            "Example University Hospital",
            "https://clinicaltrials.gov/study/NCT09000002",
            "2025-04-02T00:00:00+00:00",
        ),
    ]
    first = shown(invoke, config, str(rows[0]["id"]))
    body = str(first["body"])
    for expected in (
        "[NCT09000001](https://clinicaltrials.gov/study/NCT09000001)",
        "**Status:** Recruiting",
        "**Phase:** Phase 1, Phase 2",
        "**Sponsor:** Example Cell Therapeutics",
        "**Conditions:** Systemic Lupus Erythematosus, Lupus Nephritis",
        "**Interventions:** Biological: EX\\-19 CAR\\-T cells; Drug: Fludarabine",
        "Participants receive one infusion after lymphodepletion.",
    ):
        assert expected.replace("\\", "") in body.replace("\\", ""), expected
    assert str(first["source_title"]).startswith("A Phase 1/2, Open-label Study")
    second = shown(invoke, config, str(rows[1]["id"]))
    assert "**Status:** Enrolling by invitation" in str(second["body"])

    status, out, _ = invoke(config, "refresh")
    assert out.splitlines() == ["✓ Lupus trials: 0 new, 1 updated"]
    again = listed(invoke, config)
    assert [r["id"] for r in again] == [r["id"] for r in rows]  # the same articles
    assert again[0]["published"] == "2025-06-03T00:00:00+00:00"
    assert "**Status:** Active not recruiting" in str(
        shown(invoke, config, str(rows[0]["id"]))["body"]
    )
    _, feeds, _ = invoke(config, "feeds", "--json")
    record = json.loads(feeds)
    assert (record["trials"], record["location"], record["last_error"]) == (
        "CAR-T lupus",
        "trials: CAR-T lupus",
        None,
    )


def test_a_pubmed_feed_lists_the_papers_with_their_fields(
    httpserver: HTTPServer, make_config: Callable[[str], Path], invoke: Invoke, tmp_path: Path
) -> None:
    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_data(
        (EUTILS / "esearch.json").read_bytes(), content_type="application/json"
    )
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_data(
        efetch_answer("pubmed7", "pubmed5", "pubmed2"), content_type="text/xml"
    )
    runs = tmp_path / "runs"
    config = make_config(
        settings(httpserver, 'ncbi_email = "reader@example.org"')
        + f"""
[[feeds]]
name = "Lupus papers"
pubmed = "CAR-T[tiab] AND lupus"
api_key_command = "echo run >> '{runs}'; echo {API_KEY}"
"""
    )
    status, out, err = invoke(config, "refresh")
    assert status == 0, err
    assert out.splitlines() == ["✓ Lupus papers: 4 new, 0 updated"]
    assert "DTD" not in out + err and "warning" not in (out + err).lower()
    search, papers = (request for request, _ in httpserver.log)
    assert search.args["db"] == "pubmed"
    assert search.args["term"] == "CAR-T[tiab] AND lupus"
    assert search.args["sort"] == "pub_date"
    assert search.args["retmode"] == "json"
    assert papers.args["id"] == "29963580,28775130,11748933,11700088"
    assert papers.args["retmode"] == "xml"
    for request in (search, papers):
        assert request.args["tool"] == "biotui"
        assert request.args["email"] == "reader@example.org"
        assert request.args["api_key"] == API_KEY
    assert runs.read_text().splitlines() == ["run"]

    rows = listed(invoke, config)
    assert [(r["title"], r["source"], r["link"], r["published"]) for r in rows][:2] == [
        (
            "Development of a pulmonary imaging biomarker pipeline for phenotyping of chronic"
            " lung disease.",
            "Journal of medical imaging (Bellingham, Wash.)",
            "https://pubmed.ncbi.nlm.nih.gov/29963580/",
            "2018-06-28T00:00:00+00:00",
        ),
        (
            "Occupational pesticide exposure and subclinical hypothyroidism among male pesticide"
            " applicators.",
            "Occupational and environmental medicine",
            "https://pubmed.ncbi.nlm.nih.gov/28775130/",
            "2017-08-03T00:00:00+00:00",
        ),
    ]
    paper = shown(invoke, config, str(rows[1]["id"]))
    assert paper["author"] == "Catherine C Lerro, Laura E Beane Freeman, Curt T DellaValle et al."
    body = str(paper["body"])
    assert "[28775130](https://pubmed.ncbi.nlm.nih.gov/28775130/)" in body
    assert "(https://doi.org/10.1136/oemed-2017-104431)" in body
    assert "Mary H Ward" in body  # every author in the body
    assert "**OBJECTIVES:** Animal studies suggest" in body
    assert "Occupational and environmental medicine, 2018 Feb;75(2):79\\-89" in body or (
        "2018 Feb;75(2):79-89" in body
    )
    data = tmp_path / "data"
    _, feeds, _ = invoke(config, "feeds", "--json")
    for text in (out, err, feeds):
        assert API_KEY not in text
    assert not any(API_KEY.encode() in path.read_bytes() for path in data.rglob("*"))


def test_a_search_that_finds_nothing_is_a_success_with_no_articles(
    httpserver: HTTPServer, make_config: Callable[[str], Path], invoke: Invoke
) -> None:
    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_data(
        (EUTILS / "esearch-none.json").read_bytes(), content_type="application/json"
    )
    config = make_config(settings(httpserver) + '[[feeds]]\nname = "P"\npubmed = "nothingatall"\n')
    status, out, _ = invoke(config, "refresh")
    assert (status, out.splitlines()) == (0, ["✓ P: 0 new, 0 updated"])
    assert len(httpserver.log) == 1  # no efetch for no ids
    assert "api_key" not in httpserver.log[0][0].args
    assert "email" not in httpserver.log[0][0].args


def test_failures_are_one_line_naming_the_feed_and_keep_what_is_stored(
    httpserver: HTTPServer, make_config: Callable[[str], Path], invoke: Invoke
) -> None:
    ok_trials = (TRIALS / "studies.json").read_bytes()
    ok_search = (EUTILS / "esearch.json").read_bytes()
    httpserver.expect_ordered_request("/ct/api/v2/studies").respond_with_data(ok_trials)
    httpserver.expect_ordered_request("/eutils/esearch.fcgi").respond_with_data(ok_search)
    httpserver.expect_ordered_request("/eutils/efetch.fcgi").respond_with_data(
        efetch_answer("pubmed2")
    )
    config = make_config(
        settings(httpserver, "concurrency = 1")
        + """
[[feeds]]
name = "T"
trials = "lupus"

[[feeds]]
name = "P"
pubmed = "lupus"
"""
    )
    assert invoke(config, "refresh")[1].splitlines() == [
        "✓ T: 2 new, 0 updated",
        "✓ P: 2 new, 0 updated",
    ]
    before = listed(invoke, config)

    cases = [
        # (trials answer, esearch answer, efetch answer or None, T's error, P's error)
        (
            (TRIALS / "error-400.json").read_bytes(),
            400,
            (EUTILS / "esearch-error.json").read_bytes(),
            200,
            None,
            "HTTP 400 BAD REQUEST: ClinicalTrials.gov: sort: Unknown field 'LastUpdate'",
            "esearch: Invalid query: unbalanced parentheses",
        ),
        (
            b'{"studies": [',
            200,
            ok_search,
            200,
            b"<PubmedArticleSet><PubmedArticle>",
            "not valid JSON",
            "efetch: not well-formed XML",
        ),
        (
            b'{"totally": "else"}',
            200,
            b"<html>busy</html>",
            200,
            None,
            "not a ClinicalTrials.gov answer (no studies list)",
            "esearch: not valid JSON",
        ),
        (
            b"",
            500,
            ok_search,
            200,
            b"<eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>",
            "HTTP 500 INTERNAL SERVER ERROR",
            "efetch: Empty id list - nothing todo",
        ),
    ]
    for trials, trials_status, search, search_status, papers, t_error, p_error in cases:
        httpserver.clear()
        httpserver.expect_request("/ct/api/v2/studies").respond_with_data(
            trials, status=trials_status
        )
        httpserver.expect_request("/eutils/esearch.fcgi").respond_with_data(
            search, status=search_status
        )
        if papers is not None:
            httpserver.expect_request("/eutils/efetch.fcgi").respond_with_data(papers)
        status, out, err = invoke(config, "refresh")
        lines = (out + err).splitlines()
        t_line = [line for line in lines if line.lstrip("✗ ").startswith("T:")]
        p_line = [line for line in lines if line.lstrip("✗ ").startswith("P:")]
        assert len(t_line) == 1 and t_error in t_line[0], lines
        assert len(p_line) == 1 and p_error in p_line[0], lines
        assert status == 0  # a feed's failure is reported, not the refresh's
        assert listed(invoke, config) == before
        _, feeds, _ = invoke(config, "feeds", "--json")
        errors = [json.loads(line)["last_error"] for line in feeds.splitlines()]
        assert t_error in errors[0] and p_error in errors[1]


def test_other_feeds_are_unaffected_by_a_failing_search(
    httpserver: HTTPServer, make_config: Callable[[str], Path], invoke: Invoke
) -> None:
    httpserver.expect_request("/ct/api/v2/studies").respond_with_data("nope", status=400)
    httpserver.expect_request("/feed.xml").respond_with_data(
        '<rss version="2.0"><channel><title>F</title><item><guid>1</guid><title>One</title>'
        "</item></channel></rss>",
        content_type="application/rss+xml",
    )
    config = make_config(
        settings(httpserver)
        + f"""
[[feeds]]
name = "T"
trials = "lupus"

[[feeds]]
name = "F"
url = "{httpserver.url_for("/feed.xml")}"
"""
    )
    _, out, err = invoke(config, "refresh")
    assert "✓ F: 1 new, 0 updated" in out.splitlines()
    assert any(
        "T:" in line and "HTTP 400" in line and "nope" in line for line in (out + err).splitlines()
    )
    assert [r["title"] for r in listed(invoke, config)] == ["One"]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            'url = "https://example.org/f.xml"\ntrials = "lupus"',
            "has 'url' and 'trials': a feed is only one of them",
        ),
        (
            'trials = "lupus"\npubmed = "lupus"',
            "has 'trials' and 'pubmed': a feed is only one of them",
        ),
        ('trials = ""', "'trials' must be a non-empty string (a search)"),
        ("pubmed = 3", "'pubmed' must be a non-empty string (a search)"),
        (
            'trials = "lupus"\napi_key_command = "echo k"',
            "'api_key_command' is only for a 'pubmed' feed",
        ),
        (
            'pubmed = "lupus"\nfull_text = true',
            "'full_text' is only for a 'url' feed (its articles' pages)",
        ),
    ],
)
def test_a_feed_of_two_kinds_is_a_configuration_error_with_its_place(
    make_config: Callable[[str], Path], invoke: Invoke, entry: str, problem: str
) -> None:
    config = make_config(f'[[feeds]]\nname = "A"\n{entry}\n')
    status, _, err = invoke(config, "list")
    assert status == 2
    assert f'feeds.toml: feeds[1] "A": {problem}' in err


def test_base_url_and_email_settings_are_checked(
    make_config: Callable[[str], Path], invoke: Invoke
) -> None:
    config = make_config('[settings]\neutils_api = "ftp://x"\nncbi_email = "nobody"\n')
    status, _, err = invoke(config, "list")
    assert status == 2
    assert "settings.eutils_api: must be an http or https URL" in err
    assert "settings.ncbi_email: must be an e-mail address" in err


def test_requests_keep_each_services_pace(
    httpserver: HTTPServer, make_config: Callable[[str], Path], invoke: Invoke
) -> None:
    """Three trials feeds and two pubmed feeds, refreshed at once: no two ClinicalTrials.gov
    requests closer than 1.2 s (50 a minute), never 4 E-utilities requests within 1 s."""
    times: dict[str, list[float]] = {"ct": [], "eutils": []}
    lock = threading.Lock()

    def answer(service: str, body: bytes) -> Callable[[Request], Response]:
        def handle(request: Request) -> Response:
            with lock:
                times[service].append(time.monotonic())
            return Response(body, content_type="application/json")

        return handle

    httpserver.expect_request("/ct/api/v2/studies").respond_with_handler(
        answer("ct", (TRIALS / "studies.json").read_bytes())
    )
    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_handler(
        answer("eutils", (EUTILS / "esearch.json").read_bytes())
    )
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(
        answer("eutils", efetch_answer("pubmed5"))
    )
    feeds = "".join(f'[[feeds]]\nname = "T{n}"\ntrials = "q{n}"\n\n' for n in range(3))
    feeds += "".join(f'[[feeds]]\nname = "P{n}"\npubmed = "q{n}"\n\n' for n in range(2))
    config = make_config(settings(httpserver) + feeds)
    status, out, _ = invoke(config, "refresh")
    assert status == 0, out
    ct, eutils = sorted(times["ct"]), sorted(times["eutils"])
    assert len(ct) == 3 and len(eutils) == 4
    assert all(later - earlier >= 1.2 for earlier, later in itertools.pairwise(ct))
    assert all(b - a >= 1.0 for a, b in zip(eutils, eutils[3:], strict=False))


def test_a_failing_api_key_command_skips_its_feed_only(
    httpserver: HTTPServer, make_config: Callable[[str], Path], invoke: Invoke
) -> None:
    httpserver.expect_request("/ct/api/v2/studies").respond_with_data(
        (TRIALS / "studies.json").read_bytes()
    )
    config = make_config(
        settings(httpserver)
        + """
[[feeds]]
name = "P"
pubmed = "lupus"
api_key_command = "echo k3y-printed; exit 3"

[[feeds]]
name = "T"
trials = "lupus"
"""
    )
    _, out, err = invoke(config, "refresh")
    lines = (out + err).splitlines()
    assert "✓ T: 2 new, 0 updated" in lines
    [line] = [line for line in lines if "P:" in line]
    assert 'api_key_command of feed "P" failed (exit status 3)' in line
    assert "k3y-printed" not in out + err
    assert [request.path for request, _ in httpserver.log] == ["/ct/api/v2/studies"]


def test_a_429_from_ncbi_is_kept_as_a_retry_after(
    httpserver: HTTPServer, make_config: Callable[[str], Path], invoke: Invoke
) -> None:
    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_data(
        '{"error":"API rate limit exceeded","count":"4"}',
        status=429,
        headers={"Retry-After": "600"},
    )
    config = make_config(settings(httpserver) + '[[feeds]]\nname = "P"\npubmed = "lupus"\n')
    _, out, err = invoke(config, "refresh")
    assert "HTTP 429" in out + err
    _, out, err = invoke(config, "refresh")
    assert "server asked to wait until" in out + err
    assert len(httpserver.log) == 1  # not asked again before its time


def test_export_names_the_searches_it_leaves_out(
    make_config: Callable[[str], Path], invoke: Invoke
) -> None:
    config = make_config(
        '[[feeds]]\nname = "Lupus trials"\ntrials = "lupus"\n\n'
        '[[feeds]]\nname = "Wire"\nurl = "https://example.org/f.xml"\n'
    )
    status, out, err = invoke(config, "export")
    assert status == 0
    assert "https://example.org/f.xml" in out and "Lupus trials" not in out
    assert err == "biotui: trials and pubmed searches are not exported: Lupus trials\n"
