"""The readers of ``trials`` and ``pubmed`` feeds on their own: real PubMed XML (Biopython's
test files, see tests/data/README.md), answers written from the documentation, and hostile
ones: entity declarations, an external DTD that must never be fetched, markup and escape
sequences in fields, records that lack what they need."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from biotui.errors import SourceError
from biotui.sources import esearch_ids, parse_pubmed, parse_trials

DATA = Path(__file__).resolve().parents[1] / "data"


def test_ncbis_doctype_is_expected_and_not_warned_about() -> None:
    data = (DATA / "eutils" / "pubmed7.xml").read_bytes()
    assert b"<!DOCTYPE PubmedArticleSet PUBLIC" in data
    result = parse_pubmed(data, "P")
    assert result.warnings == []
    assert [a.guid for a in result.articles] == ["29963580"]


def test_an_external_dtd_is_never_fetched(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/pubmed.dtd").respond_with_data('<!ENTITY t "FETCHED">')
    data = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE PubmedArticleSet SYSTEM "{httpserver.url_for("/pubmed.dtd")}">'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>T</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>"
    ).encode()
    result = parse_pubmed(data, "P")
    assert [a.title for a in result.articles] == ["T"]
    assert httpserver.log == []


def test_entities_are_never_expanded() -> None:
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY l0 "lol">{laughs}]>'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>&l9;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>"
    ).encode()
    try:
        result = parse_pubmed(data, "P")
    except SourceError as exc:
        assert "not well-formed XML" in str(exc)
    else:
        assert all("lol" not in a.title for a in result.articles)


def test_markup_and_escapes_in_fields_stay_text() -> None:
    study = {
        "protocolSection": {
            "identificationModule": {
                "nctId": "NCT09000009",
                "briefTitle": "Evil \x1b]8;;https://x.example\x07title\x1b[2J",
            },
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": "[click](javascript:x)"}},
            "conditionsModule": {"conditions": ["<script>alert(1)</script>", "*bold*"]},
            "descriptionModule": {"briefSummary": "# heading\n\n[link](https://evil.example)"},
        }
    }
    [article] = parse_trials(json.dumps({"studies": [study]}).encode(), "T").articles
    assert "\x1b" not in article.title and "\x07" not in article.title
    assert "[click](javascript" not in article.body  # escaped: shown, not a link
    assert "\\[click\\](javascript:x)" in article.body
    assert "[link](https://evil.example)" not in article.body
    assert "\\*bold\\*" in article.body
    assert article.link == "https://clinicaltrials.gov/study/NCT09000009"


def test_a_study_without_an_nct_id_is_skipped_with_a_warning_the_others_read() -> None:
    studies = [
        {"protocolSection": {"identificationModule": {"briefTitle": "No id"}}},
        "not an object",
        {"protocolSection": {"identificationModule": {"nctId": "nct09000003"}}},
    ]
    result = parse_trials(json.dumps({"studies": studies}).encode(), "T")
    assert [(a.guid, a.title) for a in result.articles] == [("NCT09000003", "NCT09000003")]
    assert result.warnings == [
        "study 1 skipped: no NCT id (none)",
        "study 2 skipped: not an object",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[1, 2", "esearch: not valid JSON"),
        (b'{"esearchresult": {"ERROR": "Invalid query"}}', "esearch: Invalid query"),
        (b'{"error": "API rate limit exceeded"}', "esearch: API rate limit exceeded"),
        (b'{"esearchresult": {}}', "esearch: not an E-utilities answer (no idlist)"),
    ],
)
def test_esearch_errors_are_one_line(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=r"^" + reason.replace("(", r"\(").replace(")", r"\)")):
        esearch_ids(data)


def test_esearch_keeps_only_pmids() -> None:
    data = b'{"esearchresult": {"idlist": ["123", "x1", 5, "456"]}}'
    assert esearch_ids(data) == ["123", "456"]
