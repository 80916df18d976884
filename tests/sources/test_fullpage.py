"""An article's fetched page to its full text: the main text, or one line saying why not."""

from __future__ import annotations

import time
import tracemalloc

from biotui.sources import PageText, extract_page

URL = "https://news.example/2024/05/lupus-trial"
PROSE = (
    "The phase 2 trial enrolled 120 patients with systemic lupus erythematosus across twelve "
    "sites, and the investigators reported that remission lasted at least a year."
)
NAV = (
    '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/pipeline">Pipeline</a></nav>'
    '<div class="menu"><ul><li><a href="/about">About us</a></li>'
    '<li><a href="/careers">Careers at the company</a></li></ul></div>'
)


def page(body: str, head: str = "<title>Lupus trial</title>") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def article_page(extra: str = "") -> bytes:
    return page(
        f"{NAV}<article><h1>Lupus trial</h1><p>{PROSE}</p>"
        f'<p>More on <a href="/more">the results</a> of the CAR-T therapy in adults.</p>'
        f"{extra}</article><footer>© News Example</footer>"
    )


def test_the_main_text_of_an_article_page_becomes_a_markdown_body() -> None:
    text = extract_page(article_page(), URL, "text/html; charset=utf-8")
    assert text.ok and text.reason == ""
    assert PROSE in text.body
    assert "[the results](https://news.example/more)" in text.body  # relative to the page
    assert "Careers" not in text.body and "©" not in text.body


def test_a_page_of_only_navigation_gives_a_reason() -> None:
    text = extract_page(page(NAV + "<footer>© News Example</footer>"), URL, "text/html")
    assert text == PageText(reason="no article text on the page (only links or short lines)")


def test_content_that_is_not_html_gives_a_reason() -> None:
    assert extract_page(b"%PDF-1.7", URL, "application/pdf").reason == (
        "not an HTML page (application/pdf)"
    )
    assert extract_page(b'{"a": 1}', URL, "application/json").reason == (
        "not an HTML page (application/json)"
    )
    assert extract_page(b"plain words", URL, None).reason == "not an HTML page"
    assert extract_page(article_page(), URL, None).ok  # no type: judged by its first bytes


def test_the_charset_of_the_header_or_the_page_is_used() -> None:
    latin = article_page("<p>Die Studie in München lief über zwei Jahre mit vielen Patienten.</p>")
    data = latin.decode().encode("latin-1")
    assert "München" in extract_page(data, URL, "text/html; charset=ISO-8859-1").body
    meta = page(
        f"<article><p>{PROSE} Die Studie in München lief über zwei Jahre.</p></article>",
        '<meta charset="windows-1252"><title>T</title>',
    ).decode()
    assert "München" in extract_page(meta.encode("cp1252"), URL, "text/html").body


def test_hostile_pages_give_a_body_or_a_reason_never_an_exception() -> None:
    deep = page("<div>" * 50_000 + f"<p>{PROSE}</p>" + "</div>" * 50_000)
    text = extract_page(deep, URL, "text/html")
    assert PROSE in text.body and any("nested" in note for note in text.notes)
    huge_attribute = page(f'<p title="{"x" * 3_000_000}">{PROSE}</p>')
    assert extract_page(huge_attribute, URL, "text/html").ok
    scripted = article_page(
        "<script>document.write('<p>injected lupus words</p>')</script>"
        '<img src="x" onerror="alert(1)"><iframe src="javascript:alert(1)"></iframe>'
        '<a href="javascript:alert(1)">click</a>'
    )
    text = extract_page(scripted, URL, "text/html")
    assert text.ok and "injected" not in text.body and "javascript" not in text.body
    assert "\x1b" not in extract_page(article_page("<p>\x1b[31mred\x1b[0m</p>"), URL).body
    for junk in (b"<html>", b"<html><body></body></html>", b"<html>\x00\xff\xfe<body>", b""):
        result = extract_page(junk, URL, "text/html")
        assert not result.ok and result.reason and "\n" not in result.reason


def test_a_page_of_twenty_megabytes_is_read_in_bounded_memory_and_time() -> None:
    filler = f"<p>{PROSE}</p>" * 200
    data = page(f"<article>{filler * (21 * 1024 * 1024 // len(filler) + 1)}</article>")
    assert len(data) > 20 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    text = extract_page(data, URL, "text/html")
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert text.ok and PROSE in text.body
    assert any("cut to its first" in note for note in text.notes)
    assert peak < 150 * 1024 * 1024, peak  # Python's own allocations; lxml's are not traced
    assert elapsed < 60
