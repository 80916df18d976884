"""Tests for saved web pages: metadata, main text, credits, bounded cost."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from biotui.errors import SourceError
from biotui.sources import markup, webpage
from biotui.sources.webpage import parse_webpage

from .helpers import DATA

BOILERPLATE = [
    "cookies",
    "Deals & Financing",
    "Subscribe to our newsletter",
    "Share on X",
    "UK regulator was first",
    "daily briefing",
    "pipette_pal",
    "price tag is wild",
    "Most read",
    "Biotech funding rebounds",
    "Advertisement",
    "All rights reserved",
    "tracking text",
    "CSS text",
    "Search Example",
]
PARAGRAPHS = [
    "approved Casgevy, a cell therapy",
    "first medicine cleared in the United States",
    "own blood stem cells",
    "pivotal study that supported",
    "Gene therapy holds the promise",
    "also approved Lyfgenia",
    "roughly 100,000 people",
    "Regulators in the United Kingdom",
]


def page(html: str, link: str = "file:///pages/a.html"):  # type: ignore[no-untyped-def]
    return parse_webpage(html, feed="Pages", guid="/pages/a.html", link=link)


@pytest.fixture
def casgevy() -> str:
    return (DATA / "casgevy-page.html").read_text(encoding="utf-8")


def test_metadata(casgevy: str) -> None:
    article = page(casgevy)
    assert article.title == "FDA clears first CRISPR-edited cell therapy for sickle cell disease"
    assert article.source == "Example Bio Wire"
    assert article.author == "Ana Moreau"
    assert article.published == datetime(2023, 12, 8, 21, 45, tzinfo=UTC)
    assert article.link == "https://biowire.example.org/news/2023/12/casgevy-fda-approval"
    assert article.guid == "/pages/a.html"


def test_main_text_without_boilerplate(casgevy: str) -> None:
    body = page(casgevy).body
    for text in PARAGRAPHS:
        assert text in body
    for text in BOILERPLATE:
        assert text not in body, text
    assert not body.startswith("# FDA clears")  # the title is not repeated in the body


def test_caption_and_credit_lines_become_credits(casgevy: str) -> None:
    article = page(casgevy)
    assert article.credits == (
        "Photo: Lena Fischer/Example Agency",
        "Image credit: Example Agency archive",
    )
    assert "Image credit" not in article.body


def test_relative_images_resolve_against_the_canonical_link(casgevy: str) -> None:
    body = page(casgevy).body
    assert "https://biowire.example.org/images/2023/12/lab-bench.jpg" in body


def test_fallback_extraction_when_trafilatura_finds_nothing(
    casgevy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webpage.trafilatura, "extract", lambda *a, **k: None)
    body = page(casgevy).body
    for text in PARAGRAPHS:
        assert text in body
    for text in ("pipette_pal", "Most read", "cookies", "Share on X", "tracking text"):
        assert text not in body


def test_fallback_when_trafilatura_raises(casgevy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(webpage.trafilatura, "extract", boom)
    assert "roughly 100,000 people" in page(casgevy).body


def test_title_fallbacks() -> None:
    assert page(
        "<html><head><title>Only title</title></head><body><p>x</p></body></html>"
    ).title == ("Only title")
    assert page("<html><body><h1>Heading title</h1><p>Some text.</p></body></html>").title == (
        "Heading title"
    )
    html = '<html><head><meta name="twitter:title" content="Tw"><title>T</title></head></html>'
    assert page(html).title == "Tw"


def test_article_author_url_is_not_an_author() -> None:
    html = (
        '<html><head><meta property="article:author" content="https://x.example/people/a">'
        "<title>T</title></head><body><p>Text</p></body></html>"
    )
    assert page(html).author == ""


def test_time_element_date_and_og_url() -> None:
    html = (
        '<html><head><meta property="og:url" content="https://x.example/story"><title>T</title>'
        '</head><body><time datetime="2024-03-08">March 8</time><p>Text</p></body></html>'
    )
    article = page(html)
    assert article.published == datetime(2024, 3, 8, tzinfo=UTC)
    assert article.link == "https://x.example/story"


def test_unsafe_canonical_is_ignored() -> None:
    html = '<head><link rel="canonical" href="javascript:alert(1)"><title>T</title></head>'
    assert page(html).link == "file:///pages/a.html"


def test_xml_declared_xhtml_string() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n<html><head><title>X</title></head></html>'
    assert page(html).title == "X"


@pytest.mark.parametrize("html", ["", "   ", "\ufeff", "<html></html>", "<!-- only -->"])
def test_empty_pages_raise(html: str) -> None:
    with pytest.raises(SourceError):
        page(html)


def test_deeply_nested_page_is_bounded() -> None:
    html = "<html><head><title>Deep</title></head><body>" + "<div>" * 100_000
    html += "<p>Deep text</p>" + "</div>" * 100_000 + "</body></html>"
    started = time.monotonic()
    article = page(html)
    assert time.monotonic() - started < 3
    assert article.title == "Deep"


def test_huge_page_is_cut_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webpage, "MAX_HTML_CHARS", 10_000)
    html = "<html><head><title>Big</title></head><body>" + "<p>Trial text.</p>" * 5000
    started = time.monotonic()
    article = page(html)
    assert time.monotonic() - started < 3
    assert any("cut" in note for note in article.notes)


def test_large_page_skips_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webpage, "MAX_EXTRACT_CHARS", 100)

    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("trafilatura must not run on a page this large")

    monkeypatch.setattr(webpage.trafilatura, "extract", fail)
    html = "<html><head><title>T</title></head><body><article>" + "<p>Para.</p>" * 50
    assert "Para." in page(html + "</article></body></html>").body


def test_long_body_truncated(casgevy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markup, "MAX_BODY_CHARS", 200)
    article = page(casgevy)
    assert len(article.body) < 210
    assert any("truncated" in note for note in article.notes)
