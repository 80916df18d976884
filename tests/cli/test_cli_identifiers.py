"""Identifiers on the command line: ``show --json`` lists them with their links, plain ``show``
prints an Identifiers section under Source and Credits, ``list --filter`` takes the identifier
fields, and ``refresh`` gives older articles theirs."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from biotui.cli import main
from biotui.model import Article, article_id
from biotui.store import Store

BODY = (
    "Kyverna doses KYV-101, a CD19 CAR-T, in NCT06123456 (EudraCT 2022-000123-45); "
    "see doi:10.1056/NEJMoa2034577 and PMID: 38012345. Photo: Canon EOS-5D."
)


@pytest.fixture
def cli(
    make_config: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.ingest(
            "Wire",
            [
                Article(article_id("Wire", "k"), "Wire", "k", "KYV-101 in lupus", body=BODY),
                Article(article_id("Wire", "n"), "Wire", "n", "Nothing named", body="No ids."),
                Article(article_id("Wire", "c"), "Wire", "c", "CABA-201", body="CABA-201 (CD19)."),
            ],
        )
    config = make_config('[[feeds]]\nname = "Wire"\nurl = "https://w.example/feed"\n')

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(config), "--data-dir", str(data), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def test_show_json_gives_the_identifiers_with_their_links(cli: Callable[..., Any]) -> None:
    status, out, _ = cli("show", article_id("Wire", "k"), "--json")
    assert status == 0
    assert json.loads(out)["identifiers"] == [
        {
            "kind": "trial",
            "id": "NCT06123456",
            "url": "https://clinicaltrials.gov/study/NCT06123456",
        },
        {
            "kind": "eudract",
            "id": "2022-000123-45",
            "url": "https://www.clinicaltrialsregister.eu/ctr-search/search?query=2022-000123-45",
        },
        {"kind": "pmid", "id": "38012345", "url": "https://pubmed.ncbi.nlm.nih.gov/38012345/"},
        {
            "kind": "doi",
            "id": "10.1056/NEJMoa2034577",
            "url": "https://doi.org/10.1056/NEJMoa2034577",
        },
        {"kind": "drug", "id": "KYV-101", "url": "https://clinicaltrials.gov/search?intr=KYV-101"},
        {
            "kind": "target",
            "id": "CD19",
            "url": "https://www.ncbi.nlm.nih.gov/gene/?term=CD19%5Bsym%5D+AND+human%5Borgn%5D",
        },
    ]
    _, out, _ = cli("show", article_id("Wire", "n"), "--json")
    assert json.loads(out)["identifiers"] == []


def test_show_prints_an_identifiers_section_under_source(cli: Callable[..., Any]) -> None:
    status, out, _ = cli("show", article_id("Wire", "k"))
    assert status == 0
    section = out[out.index("\nSource\n") :]
    assert section.index("\nIdentifiers\n-----------\n") > 0
    lines = section.split("Identifiers\n-----------\n")[1].splitlines()
    assert lines[0] == "trial   NCT06123456  https://clinicaltrials.gov/study/NCT06123456"
    assert lines[4] == "drug    KYV-101  https://clinicaltrials.gov/search?intr=KYV-101"
    assert len(lines) == 6
    _, out, _ = cli("show", article_id("Wire", "n"))
    assert "Identifiers" not in out


def test_list_filters_by_identifier_fields(cli: Callable[..., Any]) -> None:
    def ids(text: str) -> set[str]:
        status, out, _ = cli("list", "--filter", text, "--json")
        assert status == 0
        return {json.loads(line)["title"] for line in out.splitlines()}

    assert ids("target:cd19") == {"KYV-101 in lupus", "CABA-201"}
    assert ids("drug:kyv101 OR drug:CABA-201") == {"KYV-101 in lupus", "CABA-201"}
    assert ids("target:CD19 -lupus") == {"CABA-201"}
    assert ids("pmid:38012345") == {"KYV-101 in lupus"}
    status, _, err = cli("list", "--filter", "drug:KYV*")
    assert status == 2 and "'drug:' takes a whole identifier" in err


SCHEMA7 = Path(__file__).parents[1] / "store" / "data" / "schema7.db"


def test_refresh_and_list_on_a_store_still_finding_older_identifiers(
    make_config: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``list`` says what an unfinished backfill leaves out; ``refresh`` (of no feed due here)
    finishes a small one."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(SCHEMA7, data / "biotui.db")
    (tmp_path / "empty").mkdir()
    config = make_config(f'[[feeds]]\nname = "Local"\npath = "{tmp_path / "empty"}"\n')
    base = ["--config", str(config), "--data-dir", str(data)]
    assert main([*base, "list", "--filter", "drug:KYV-101"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "identifiers of some articles are still being found" in captured.err
    assert main([*base, "refresh"]) == 0
    done = "identifiers found in 4 articles stored without them (all done)"
    assert done in capsys.readouterr().out
    assert main([*base, "list", "--filter", "drug:KYV-101", "--json"]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["title"] for line in captured.out.splitlines()] == [
        "KYV-101 in lupus nephritis"
    ]
    assert captured.err == ""


def _saved_feed(number: int, items: int) -> bytes:
    """A saved RSS file: every tenth item names KYV-101, each title is its own story."""
    entries = "".join(
        f"<item><guid>f{number}-{n}</guid><title>Report {number}-{n} on site {n * 7 + number}"
        f"</title><description>{'KYV-101 dosed. ' if n % 10 == 0 else ''}"
        f"Item {n} of file {number}.</description></item>"
        for n in range(items)
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>F{number}</title>{entries}"
        "</channel></rss>"
    ).encode()


def test_a_large_refresh_stores_first_and_finds_identifiers_and_stories_after(
    make_config: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past its first articles, a refresh stores without identifiers or stories; it finds
    some after its feeds, and ``biotui group`` the rest: nothing is missed."""
    from biotui.refresh.enrichment import INLINE

    files, items = 16, 500
    assert files * items > INLINE + 4 * items  # more than the tasks in flight can enrich
    folder = tmp_path / "saved"
    folder.mkdir()
    for number in range(files):
        (folder / f"feed{number:02}.rss").write_bytes(_saved_feed(number, items))
    config = make_config(f'[[feeds]]\nname = "Saved"\npath = "{folder}"\n')
    base = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    assert main([*base, "refresh"]) == 0
    assert "identifiers found in" in capsys.readouterr().out
    assert main([*base, "group"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("every article is in one\n")
    assert main([*base, "list", "--filter", "drug:KYV-101", "--json"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == files * items // 10
    assert captured.err == ""
    assert main([*base, "list", "--stories"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == files * items
