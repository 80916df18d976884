"""A teaser-only feed and its articles' pages, served by pytest-httpserver on 127.0.0.1, for
the full-text tests of the CLI and the app (imported by name: tests/ is on sys.path)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.model import article_id

FEED = "Biotech Wire"
PROSE = (
    "The phase 2 trial enrolled 120 patients with systemic lupus erythematosus across twelve "
    "sites, and the investigators reported that remission lasted at least a year."
)
FULL_PAGE = (
    "<!DOCTYPE html><html><head><title>Trial update</title></head><body>"
    '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
    f"<article><h1>Trial update</h1><p>{PROSE}</p>"
    "<p>Nephrologists followed every patient with monthly visits and biopsies.</p></article>"
    "<footer>© Biotech Wire</footer></body></html>"
)
NAV_PAGE = (
    "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/jobs'>Jobs</a>"
    "</nav><ul class='menu'><li><a href='/about'>About us</a></li></ul></body></html>"
)
HOSTILE_PAGE = (
    "<html><body>"
    + "<div>" * 30_000
    + f'<p title="{"x" * 100_000}">{PROSE}</p>'
    + "<script>alert('lupus-script-word')</script>"
    + "</div>" * 30_000
    + "</body></html>"
)
SLOW_SECONDS = 5.0
"""How long the slow page takes to answer at most (the test's timeout is well under it)."""
SLOW_ARRIVED: list[str] = []
"""One entry each time the slow page is asked for, as it is asked (the server's log has a
request only once it is answered)."""
RELEASE = threading.Event()
"""Set when a test ends, so that the slow page answers at once: the server answers one
request at a time, and the next test's feed must not wait behind it."""
BIG_BYTES = 21 * 1024 * 1024

GUIDS = ("full", "slow", "big", "nav", "hostile", "missing", "pdf")
"""One teaser per page, each linking to ``/pages/<guid>``."""
TEASER = "A short teaser about {guid}."


def item_id(guid: str) -> str:
    """The public id of the teaser of ``guid``."""
    return article_id(FEED, guid)


def feed_json(base: str) -> bytes:
    """The teaser feed, one item per page. A JSON Feed: the RSS reader's fast parser drops
    links to loopback and private addresses, which the pages here have."""
    items = [
        {
            "id": guid,
            "title": f"Story {guid}",
            "url": f"{base}/pages/{guid}",
            "summary": TEASER.format(guid=guid),
        }
        for guid in GUIDS
    ]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "W", "items": items}
    return json.dumps(feed).encode()


def _slow(request: Request) -> Response:
    SLOW_ARRIVED.append(request.path)
    RELEASE.wait(SLOW_SECONDS)
    return Response(FULL_PAGE, content_type="text/html")


def _big(request: Request) -> Response:
    chunk = b"<p>" + PROSE.encode() * 100 + b"</p>"

    def body() -> Iterator[bytes]:
        yield b"<html><body><article>"
        for _ in range(BIG_BYTES // len(chunk) + 1):
            yield chunk
        yield b"</article></body></html>"

    return Response(body(), content_type="text/html")


def serve_site(httpserver: HTTPServer) -> str:
    """Serve the feed (``/feed.json``) and its pages; return the feed's URL. Set
    :data:`RELEASE` when the test ends."""
    RELEASE.clear()
    base = httpserver.url_for("").rstrip("/").replace("//localhost:", "//127.0.0.1:")
    httpserver.expect_request("/feed.json").respond_with_data(
        feed_json(base), content_type="application/feed+json"
    )
    pages = httpserver.expect_request
    pages("/pages/full").respond_with_data(FULL_PAGE, content_type="text/html; charset=utf-8")
    pages("/pages/slow").respond_with_handler(_slow)
    pages("/pages/big").respond_with_handler(_big)
    pages("/pages/nav").respond_with_data(NAV_PAGE, content_type="text/html")
    pages("/pages/hostile").respond_with_data(HOSTILE_PAGE, content_type="text/html")
    pages("/pages/missing").respond_with_data("gone", status=404, content_type="text/html")
    pages("/pages/pdf").respond_with_data(b"%PDF-1.7 ...", content_type="application/pdf")
    return httpserver.url_for("/feed.json")


def site_config(
    httpserver: HTTPServer, make_config: Callable[[str], Path], extra: str = ""
) -> Path:
    """A configuration with the teaser feed (a short timeout, so the slow page times out)."""
    return make_config(
        f"""
[settings]
refresh_on_start = false

[[feeds]]
name = "{FEED}"
url = "{serve_site(httpserver)}"
timeout = 0.5
{extra}
"""
    )
