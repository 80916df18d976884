"""The pages of ``full_text`` feeds in ``refresh_all``: ``on_stored`` comes before any page,
each page's outcome comes to ``on_page`` with its article, feed and count, and a page whose
reading kills its worker fails alone. A real server on 127.0.0.1, real workers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.model import Feed, article_id
from biotui.refresh import FeedOutcome, refresh_all
from biotui.refresh.pages import PageOutcome
from biotui.refresh.pool import DIED
from biotui.store import Store
from page_site import FULL_PAGE, PROSE
from refresh_helpers import config_for
from test_refresh_pipeline import Watcher, rss_mb

PARAGRAPH = "<p>" + "The trial enrolled patients with lupus nephritis at twelve sites. " * 5
HUGE_PAGE = "<html><body><article>" + (PARAGRAPH + "</p>\n") * 15_000 + "</article></body></html>"
"""About 5 MB of article: reading it takes a worker far past the memory a small page does."""


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as opened:
        yield opened


@pytest.fixture
def httpserver() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def serve_feed(httpserver: HTTPServer, guids: Sequence[str]) -> str:
    base = httpserver.url_for("").rstrip("/").replace("//localhost:", "//127.0.0.1:")
    items = [
        {"id": guid, "title": f"Story {guid}", "url": f"{base}/pages/{guid}", "summary": "T."}
        for guid in guids
    ]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "W", "items": items}
    httpserver.expect_request("/feed.json").respond_with_data(
        json.dumps(feed), content_type="application/feed+json"
    )
    return f"{base}/feed.json"


def test_on_stored_comes_before_the_pages_and_each_page_is_reported(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    stored = threading.Event()
    asked_after_stored: list[bool] = []

    def page(request: Request) -> Response:
        asked_after_stored.append(stored.is_set())
        return Response(FULL_PAGE, content_type="text/html")

    url = serve_feed(httpserver, ["a", "b", "c"])
    for guid in "abc":
        httpserver.expect_request(f"/pages/{guid}").respond_with_handler(page)
    seen: list[PageOutcome] = []

    def on_stored(outcomes: Sequence[FeedOutcome]) -> None:
        assert [o.counts.new for o in outcomes] == [3]
        stored.set()

    config = config_for(tmp_path, Feed("Wire", url=url, full_text=True))
    refresh_all(config, store, on_stored=on_stored, on_page=seen.append)
    assert asked_after_stored == [True, True, True]
    assert [(p.done, p.total) for p in seen] == [(1, 3), (2, 3), (3, 3)]
    assert sorted((p.title, p.feed, p.error) for p in seen) == [
        (f"Story {guid}", "Wire", None) for guid in "abc"
    ]
    shown = store.article(article_id("Wire", "b"))
    assert shown is not None and PROSE in shown.body


def test_a_page_that_kills_its_worker_fails_alone(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    """An "out of memory killer": any worker past 100 MB dies; only the huge page takes one
    there, each time it is read."""
    killed: list[int] = []

    def kill_the_greedy(pid: int) -> None:
        if rss_mb(pid) > 100:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    guids = ["huge", "p1", "p2", "p3"]
    url = serve_feed(httpserver, guids)
    httpserver.expect_request("/pages/huge").respond_with_data(HUGE_PAGE, content_type="text/html")
    for guid in guids[1:]:
        httpserver.expect_request(f"/pages/{guid}").respond_with_data(
            FULL_PAGE, content_type="text/html"
        )
    seen: list[PageOutcome] = []
    watcher = Watcher(kill_the_greedy)
    try:
        config = config_for(tmp_path, Feed("Wire", url=url, full_text=True))
        refresh_all(config, store, on_page=seen.append)
    finally:
        watcher.stop()
    assert killed
    errors = {page.title: page.error for page in seen}
    assert errors == {"Story huge": DIED, "Story p1": None, "Story p2": None, "Story p3": None}
    for guid in guids[1:]:
        shown = store.article(article_id("Wire", guid))
        assert shown is not None and PROSE in shown.body
