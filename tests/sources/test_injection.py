"""Every field of every reader: markup stays literal text, controls never get through."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biotui.errors import SourceError
from biotui.model import Article
from biotui.sources import parse_feed, read_file
from biotui.sources.clipping import parse_clipping
from biotui.sources.markdown import parse_markdown
from biotui.sources.webpage import parse_webpage

from .helpers import PAYLOAD, assert_safe

P = PAYLOAD
TEXT_FIELDS = ("id", "feed", "guid", "title", "link", "author", "source", "source_title")
TEXT_FIELDS += ("section", "place", "body")


def check(article: Article) -> None:
    for name in TEXT_FIELDS:
        assert_safe(getattr(article, name))
    for value in (*article.credits, *article.notes):
        assert_safe(value)
    assert article.link == "" or article.link.startswith(("http://", "https://", "file://"))


def xml_text(value: str) -> str:
    """The payload as XML character data: controls XML forbids become character references
    that feedparser's lenient parser turns back into the raw characters."""
    return "".join(c if c in "\t\n" or ord(c) >= 0x20 else f"&#{ord(c)};" for c in escape(value))


def test_rss_every_field() -> None:
    x = xml_text(P)
    data = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{x}</title><link>https://f.example/</link>
<item><title>{x}</title><link>javascript:alert(1)</link><guid>{x}</guid>
<dc:creator>{x}</dc:creator><source url="https://s.example/">{x}</source>
<description>{escape("<p>" + P + "</p><script>alert(1)</script>")}</description>
<media:credit>{x}</media:credit></item></channel></rss>""".encode()
    result = parse_feed(data, "F")
    assert_safe(result.title)
    for warning in result.warnings:
        assert_safe(warning)
    (article,) = result.articles
    check(article)
    assert "[@click=app.quit]x [/] [bold]b" in article.title
    assert article.credits and "[@click=app.quit]x" in article.credits[0]
    assert article.link == ""
    assert "alert" not in article.body


def test_atom_every_field() -> None:
    x = xml_text(P)
    data = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">{escape(x)}</title>
<entry><title type="html">{escape(x)}</title><id>{x}</id>
<link href="{escape(P)}"/><author><name>{x}</name></author>
<content type="html">{escape("<b>" + P + "</b>")}</content></entry></feed>""".encode()
    result = parse_feed(data, "F")
    assert_safe(result.title)
    (article,) = result.articles
    check(article)
    assert "[@click=app.quit]x" in article.title


def test_json_feed_every_field() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": P,
        "home_page_url": P,
        "authors": [{"name": P}],
        "items": [
            {
                "id": P,
                "url": P,
                "title": P,
                "content_html": "<p>" + P + "</p>",
                "authors": [{"name": P}],
            },
            {"id": "2", "title": P, "content_text": P},
        ],
    }
    result = parse_feed(json.dumps(document).encode(), "F")
    assert_safe(result.title)
    for article in result.articles:
        check(article)
        assert "[@click=app.quit]x [/]" in article.title


def test_clipping_every_field() -> None:
    text = (
        f"February 2026 — {P}\n{P} — {P}. Second sentence.\n{P}\nPhoto: {P}\n"
        f"Foto: {P}\nSource: {P} — {P}\n"
    )
    article = parse_clipping(text, feed="F", guid=P, link="")
    check(article)
    assert len(article.credits) == 2
    assert "[@click=app.quit]x" in article.title
    assert "[@click=app.quit]x" in article.source


def test_clipping_without_source_line() -> None:
    article = parse_clipping(f"{P}\nBoston — {P}. More.\n", feed="F", guid="g")
    check(article)


def test_markdown_every_field() -> None:
    text = (
        f'---\ntitle: "{P}"\nsource: {P}\nauthor: {P}\ndate: {P}\nlink: {P}\n'
        f"credits:\n  - {P}\nsection: {P}\nplace: {P}\n---\n\n{P}\n\n*Photo: {P}*\n"
    )
    article = parse_markdown(text, feed="F", guid=P, link="file:///x.md")
    check(article)
    assert "[@click=app.quit]x" in article.title
    assert len(article.credits) == 2


def test_markdown_heading_title() -> None:
    article = parse_markdown(f"# {P}\n\n{P}", feed="F", guid="g")
    check(article)
    assert "[@click=app.quit]x" in article.title


def test_webpage_every_field() -> None:
    a = escape(P)
    html = f"""<html><head><title>{a}</title>
<meta property="og:title" content="{a}"><meta property="og:site_name" content="{a}">
<meta name="author" content="{a}"><meta property="article:published_time" content="{a}">
<link rel="canonical" href="{a}"></head>
<body><article><h1>{a}</h1><p>{a}</p><p>{a} and more words in a real paragraph.</p>
<figure><img src="x.jpg"><figcaption>A caption. Photo: {a}</figcaption></figure>
<p>Credit: {a}</p></article></body></html>"""
    article = parse_webpage(html, feed="F", guid=P, link="file:///p.html")
    check(article)
    assert "[@click=app.quit]x" in article.title
    assert article.credits


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".xml", ".json"])
def test_local_files_with_hostile_names(tmp_path: Path, suffix: str) -> None:
    name = "[@click=app.quit]x [b]\u202eevil" + suffix
    path = tmp_path / name
    content = {
        ".txt": "June 2024 — N\nBoston — Body.",
        ".md": "# T\n\nBody",
        ".html": "<title>T</title><p>Body</p>",
        ".xml": '<rss version="2.0"><channel><item><title>T</title></item></channel></rss>',
        ".json": '{"version": "https://jsonfeed.org/version/1", "items": [{"id": "1"}]}',
    }[suffix]
    path.write_text(content, encoding="utf-8")
    for article in read_file(path, "F"):
        check(article)


# Fuzzing: any input gives an article with safe fields, or a SourceError; nothing else. -------

fuzz_settings = settings(max_examples=150, deadline=None)
hostile_text = st.text(
    alphabet=st.sampled_from(
        [*"abc XYZ—–-:.\n\r\t[]/@=<>&;#*_`!\"'()", "\x1b", "\x9b", "\u202e", "\x00", "é"]
    )
    | st.characters(),
    max_size=300,
)


def check_or_source_error(parse: Callable[[], Article]) -> None:
    try:
        article = parse()
    except SourceError:
        return
    check(article)


@fuzz_settings
@given(hostile_text)
def test_fuzz_clipping(text: str) -> None:
    check_or_source_error(lambda: parse_clipping(text, feed="F", guid="g"))


@fuzz_settings
@given(hostile_text)
def test_fuzz_markdown(text: str) -> None:
    check_or_source_error(lambda: parse_markdown(text, feed="F", guid="g"))


@fuzz_settings
@given(hostile_text)
def test_fuzz_webpage(text: str) -> None:
    check_or_source_error(lambda: parse_webpage(text, feed="F", guid="g"))


@fuzz_settings
@given(
    st.binary(max_size=300)
    | hostile_text.map(lambda s: ("<rss>" + s).encode("utf-8", "surrogatepass"))
)
def test_fuzz_feed_bytes(data: bytes) -> None:
    try:
        result = parse_feed(data, "F")
    except SourceError:
        return
    for article in result.articles:
        check(article)
