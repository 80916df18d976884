"""Feed discovery from a page's bytes: links in page order, then the usual paths."""

from __future__ import annotations

import time

import pytest

from biotui.sources import discover
from biotui.sources.discovery import MAX_LINKS, USUAL_PATHS

PAGE = "https://example.org/blog/post.html"


def links(html: str, url: str = PAGE) -> list[str]:
    return [link.url for link in discover(html.encode(), url).links]


def test_relative_links_are_resolved_against_the_page() -> None:
    html = """<html><head>
    <link rel="alternate" type="application/rss+xml" title="Posts" href="feed.xml">
    <link rel="alternate" type="application/atom+xml" href="/atom">
    <link rel="alternate" type="application/rss+xml" href="//cdn.example.org/c.rss">
    </head><body></body></html>"""
    found = discover(html.encode(), PAGE)
    assert [link.url for link in found.links] == [
        "https://example.org/blog/feed.xml",
        "https://example.org/atom",
        "https://cdn.example.org/c.rss",
    ]
    assert found.links[0].title == "Posts"
    assert found.links[1].type == "application/atom+xml"


def test_base_href_is_the_base_for_links_but_not_for_the_usual_paths() -> None:
    html = (
        '<base href="https://static.example.net/x/">'
        "<link rel=alternate type=application/rss+xml href=f.rss>"
    )
    found = discover(html.encode(), PAGE)
    assert [link.url for link in found.links] == ["https://static.example.net/x/f.rss"]
    assert found.guesses[0] == "https://example.org/feed"


def test_a_base_that_is_not_http_is_ignored() -> None:
    html = (
        '<base href="javascript:void(0)/"><link rel=alternate type=application/rss+xml href=f.rss>'
    )
    assert links(html) == ["https://example.org/blog/f.rss"]


def test_only_feed_types_with_rel_alternate() -> None:
    html = """
    <link rel="alternate" type="application/feed+json" href="/feed.json">
    <link rel="ALTERNATE home" type="Application/RSS+XML; charset=utf-8" href="/a">
    <link rel="alternate" type="application/json" href="/j">
    <link rel="alternate" type="text/html" href="/fr/">
    <link rel="alternate" type="application/json+oembed" href="/oembed">
    <link rel="stylesheet" type="application/rss+xml" href="/not-alternate">
    <link rel="alternate" href="/no-type">
    <a rel="alternate" type="application/rss+xml" href="/an-anchor">x</a>
    """
    assert links(html) == [
        "https://example.org/feed.json",
        "https://example.org/a",
        "https://example.org/j",
    ]


def test_non_http_schemes_are_dropped() -> None:
    html = "".join(
        f'<link rel=alternate type=application/rss+xml href="{href}">'
        for href in (
            "javascript:alert(1)",
            "ftp://example.org/f.rss",
            "file:///etc/passwd",
            "data:text/xml,<rss/>",
            "feed://example.org/f",
            "http://[::1",
            "https://example.org:99999/x",
            "HTTPS://Example.org/ok",
        )
    )
    assert links(html) == ["https://Example.org/ok"]


def test_duplicates_are_kept_once_in_page_order_and_the_page_itself_is_not_a_guess() -> None:
    html = """
    <link rel=alternate type=application/atom+xml href="/b">
    <link rel=alternate type=application/rss+xml href="/a">
    <link rel=alternate type=application/rss+xml href="https://EXAMPLE.org/b/">
    <link rel=alternate type=application/rss+xml href="/feed.xml#top">
    """
    found = discover(html.encode(), "https://example.org/rss")
    assert [link.url for link in found.links] == [
        "https://example.org/b",
        "https://example.org/a",
        "https://example.org/feed.xml",
    ]
    assert found.guesses == (
        "https://example.org/feed",
        "https://example.org/rss.xml",
        "https://example.org/atom.xml",
        "https://example.org/index.xml",
        "https://example.org/feed.json",
    )
    assert found.candidates == (*[link.url for link in found.links], *found.guesses)


def test_a_page_without_links_gives_the_usual_paths_in_order() -> None:
    found = discover(b"<html><body>hello</body></html>", "http://example.org:8080/a/b?c=1")
    assert found.links == ()
    assert found.guesses == tuple(f"http://example.org:8080{path}" for path in USUAL_PATHS)


@pytest.mark.parametrize(
    "page",
    [
        b"",
        b"   ",
        b"\x00\xff\xfe<<<>>>",
        b"<link rel=alternate type=application/rss+xml href=",
        b'<link rel=alternate type=application/rss+xml href="/ok"><<<<</head',
        b"<" * 1_000_000,
        b"<a " * 400_000,
        b"<!--" * 300_000,
        b"<div>" * 200_000,
        b'<!DOCTYPE x [<!ENTITY big "bigbigbig">]><p>&big;</p>',
        b'<link href="' + b"x" * 1_000_000,
    ],
)
def test_malformed_or_hostile_pages_never_crash_and_stay_quick(page: bytes) -> None:
    started = time.monotonic()
    found = discover(page, PAGE)
    assert time.monotonic() - started < 5
    assert len(found.guesses) == len(USUAL_PATHS)
    assert all(link.url.startswith("https://") for link in found.links)


def test_the_number_of_links_is_bounded() -> None:
    html = "".join(
        f'<link rel=alternate type=application/rss+xml href="/f{n}">' for n in range(5000)
    )
    assert len(links(html)) == MAX_LINKS
