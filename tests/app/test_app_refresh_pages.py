"""``full_text = true`` in the app: a refresh shows the feed's headlines before the pages
come (served on 127.0.0.1, held until the test lets them go), says how many pages are in,
fills the article pane when the article shown gets its full text, refuses a second refresh
meanwhile, and quitting while pages are on their way does not wait for them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_helpers import OpenApp, cursor_row, screen_text, settle, until
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui import refresh
from biotui.model import Config, Feed, Settings, article_id
from biotui.refresh import FeedOutcome
from biotui.store import Store
from page_site import FULL_PAGE, NAV_PAGE

WIDE = (150, 40)
FEED = "Wire"
HOLD_S = 30.0
"""How long a held page waits for the test at most (a hang guard, not a timing)."""


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Set to let the pages answer (always set at the end, so no server thread lingers)."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def httpserver() -> Iterator[HTTPServer]:
    """A server answering in threads: held pages must not hold up the feed."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def site(httpserver: HTTPServer, gate: threading.Event, tmp_path: Path) -> Config:
    """A teaser feed of two articles whose pages wait for ``gate``: the newer one's page
    has an article, the older one's only links."""
    base = httpserver.url_for("").rstrip("/").replace("//localhost:", "//127.0.0.1:")
    items = [
        {
            "id": guid,
            "title": f"Story {guid}",
            "url": f"{base}/pages/{guid}",
            "summary": f"Teaser of {guid}.",
            "date_published": f"2026-02-0{day}T12:00:00Z",
        }
        for guid, day in (("full", 2), ("nav", 1))
    ]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "W", "items": items}
    httpserver.expect_request("/feed.json").respond_with_data(
        json.dumps(feed), content_type="application/feed+json"
    )

    def held(page: str) -> object:
        def answer(request: Request) -> Response:
            gate.wait(HOLD_S)
            return Response(page, content_type="text/html")

        return answer

    httpserver.expect_request("/pages/full").respond_with_handler(held(FULL_PAGE))
    httpserver.expect_request("/pages/nav").respond_with_handler(held(NAV_PAGE))
    url = httpserver.url_for("/feed.json").replace("//localhost:", "//127.0.0.1:")
    return Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False, timeout=HOLD_S + 10),
        feeds=(Feed(FEED, url=url, full_text=True),),
    )


async def test_headlines_come_before_the_pages_and_the_pane_fills_in_when_they_arrive(
    store: Store, open_app: OpenApp, site: Config, gate: threading.Event
) -> None:
    async with open_app(size=WIDE, config=site, notifications=True) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("r")
        await until(pilot, lambda: "Fetching pages…" in screen_text(app))
        assert "Refreshed 1 feeds: 2 new" in screen_text(app)
        await until(pilot, lambda: "Teaser of full." in screen_text(app))
        assert "Story full" in cursor_row(app)
        assert not gate.is_set()  # the headlines and the teaser came before any page
        await pilot.press("r")
        await until(pilot, lambda: "A refresh is already running." in screen_text(app))
        gate.set()
        await until(pilot, lambda: "Nephrologists followed" in screen_text(app))
        assert "Teaser of full." not in screen_text(app)
        await until(pilot, lambda: "pages: 1 fetched, 1 failed" in screen_text(app))
        await pilot.press("r")  # the refresh is over: another may start, and tries the
        await until(pilot, lambda: "pages: 0 fetched, 1 failed" in screen_text(app))  # nav again
        await settle(pilot)
    shown = store.article(article_id(FEED, "full"))
    assert shown is not None and "Nephrologists followed" in shown.body


async def test_quitting_while_pages_are_on_their_way_does_not_wait_for_them(
    store: Store,
    open_app: OpenApp,
    site: Config,
    gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    returned = threading.Event()
    real = refresh.refresh_all

    def watched(*args: Any, **kwargs: Any) -> list[FeedOutcome]:
        try:
            return real(*args, **kwargs)
        finally:
            returned.set()

    monkeypatch.setattr(refresh, "refresh_all", watched)
    async with open_app(size=WIDE, config=site) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("r")
        await until(pilot, lambda: "Fetching pages…" in screen_text(app))
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert returned.wait(5)  # the pages are held for 30 s: the refresh did not wait for them
    assert not gate.is_set()
    shown = store.article(article_id(FEED, "full"))
    assert shown is not None and shown.body == "Teaser of full."
