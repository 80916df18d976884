"""Layout, help, refresh and screenshots: the app as a whole."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from app_helpers import (
    OpenApp,
    cursor_row,
    list_rows,
    make_article,
    screen_text,
    settle,
    until,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui import refresh
from biotui.app.app import BiotuiApp
from biotui.app.delays import NO_DELAYS
from biotui.app.screens.help import HelpScreen
from biotui.app.screenshot import capture_svg
from biotui.app.widgets.article_view import ArticleView
from biotui.app.widgets.headline_list import HeadlineList
from biotui.model import Config, Feed, IngestCounts, Settings
from biotui.refresh import FeedOutcome
from biotui.store import Store


def fill(store: Store) -> None:
    """Two articles."""
    store.ingest(
        "Test Feed",
        [
            make_article("a", "Older story", day=1, body="Older body."),
            make_article("b", "Newer story", day=2, body="Newer body.", credits=("Photo: X",)),
        ],
    )


async def test_wide_layout_shows_both_panes(store: Store, open_app: OpenApp) -> None:
    fill(store)
    async with open_app(size=(140, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        assert app.screen.has_class("-wide")
        headlines = app.screen.query_one(HeadlineList)
        article = app.screen.query_one(ArticleView)
        assert headlines.display and article.display
        assert headlines.size.width >= 50 and article.size.width >= 60
        text = screen_text(app)
        assert "Newer story" in text and "Newer body." in text
        for key in (
            "Move",
            "Show",
            "Filter",
            "Panel",
            "Order",
            "Open",
            "Read",
            "Star",
            "Refresh",
            "Quit",
            "Help",
        ):
            assert key in text


async def test_narrow_terminal_toggles_between_list_and_article(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=(80, 24)) as pilot:
        app = pilot.app
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        headlines = screen.query_one(HeadlineList)
        article = screen.query_one(ArticleView)
        assert headlines.region.width == 80
        assert article.region.width == 0
        assert "Newer body." not in screen_text(app)

        await pilot.press("enter")
        await settle(pilot)
        assert screen.has_class("-reading")
        text = screen_text(app)
        assert "Newer body." in text
        assert "Older story" not in text  # the list is hidden while reading
        assert article.region.width == 80
        assert "Back" in text

        await pilot.press("escape")
        await settle(pilot)
        assert not screen.has_class("-reading")
        assert isinstance(screen.focused, HeadlineList)
        assert "Older story" in screen_text(app)

        await pilot.press("j", "enter")
        await settle(pilot)
        assert "Older body." in screen_text(app)


async def test_resizing_switches_layouts(store: Store, open_app: OpenApp) -> None:
    fill(store)
    async with open_app(size=(80, 24)) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "Newer body." not in screen_text(app)
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        assert app.screen.has_class("-wide")
        assert "Newer body." in screen_text(app)
        assert "Older story" in screen_text(app)


async def test_help_screen_lists_the_keys(store: Store, open_app: OpenApp) -> None:
    fill(store)
    async with open_app(size=(120, 36)) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for phrase in (
            "mark read / unread",
            "star / unstar",
            "refresh",
            "quit",
            "filter",
            "side panel",
            "by relevance",
        ):
            assert phrase in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(store: Store, open_app: OpenApp) -> None:
    async with open_app(size=(100, 24)) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_quitting_during_a_refresh_stops_it_at_once(
    open_app: OpenApp,
    store: Store,
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """q while feeds are still downloading: the app does not wait for them to finish."""
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(20)
        return Response(b"", status=304)

    feeds = []
    for n in range(3):
        httpserver.expect_request(f"/f{n}.xml").respond_with_handler(slow)
        feeds.append(Feed(f"F{n}", url=httpserver.url_for(f"/f{n}.xml")))
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False, timeout=30),
        feeds=tuple(feeds),
    )
    returned = threading.Event()
    real = refresh.refresh_all

    def watched(*args: object, **kwargs: object) -> list[FeedOutcome]:
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            returned.set()

    monkeypatch.setattr(refresh, "refresh_all", watched)
    try:
        async with open_app(size=(100, 24), config=config) as pilot:
            app = pilot.app
            await settle(pilot)
            await pilot.press("r")
            await pilot.pause()
            assert "Refreshing 0/3 feeds" in screen_text(app)
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running
        assert returned.wait(5)  # the server would hold the refresh for 20 s
    finally:
        release.set()


async def test_initial_filter_opens_filtered(store: Store, open_app: OpenApp) -> None:
    fill(store)
    async with open_app(size=(120, 30), initial_filter="older") as pilot:
        app = pilot.app
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 1 and "Older story" in rows[0]
        assert "1 of 2 articles" in screen_text(app)


def fake_refresh(
    added: list[str],
) -> Callable[..., list[FeedOutcome]]:
    """A refresh_all stand-in that ingests one article and reports one failing feed."""

    def refresh_all(
        config: Config,
        store: Store,
        *,
        feeds: object = None,
        on_progress: Callable[[FeedOutcome], None] | None = None,
        cancel: threading.Event | None = None,
        on_stored: Callable[[Sequence[FeedOutcome]], None] | None = None,
        on_page: object = None,
    ) -> list[FeedOutcome]:
        counts = store.ingest("Test Feed", [make_article("new", "Brand new story", day=20)])
        added.append("Brand new story")
        outcomes = [
            FeedOutcome("Test Feed", counts, None, done=1, total=2),
            FeedOutcome("Broken", IngestCounts(), "HTTP 404 Not Found", done=2, total=2),
        ]
        for outcome in outcomes:
            if on_progress is not None:
                on_progress(outcome)
        if on_stored is not None:
            on_stored(outcomes)
        return outcomes

    return refresh_all


async def test_r_refreshes_in_the_background_and_keeps_the_cursor(
    store: Store, open_app: OpenApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    added: list[str] = []
    monkeypatch.setattr("biotui.refresh.refresh_all", fake_refresh(added))
    async with open_app(size=(80, 24), notifications=True) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("j")
        assert "Older story" in cursor_row(app)
        await pilot.press("r")
        await settle(pilot)
        assert added == ["Brand new story"]
        rows = list_rows(app)
        assert "Brand new story" in rows[0]
        assert "Older story" in cursor_row(app)
        text = screen_text(app)
        assert "3 articles" in text
        assert "1 new" in text
        assert "Broken: HTTP 404 Not Found" in text
        assert "Some feeds failed" in text


async def test_refresh_on_start_runs_without_blocking_the_first_frame(
    open_app: OpenApp, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    added: list[str] = []
    monkeypatch.setattr("biotui.refresh.refresh_all", fake_refresh(added))
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=True),
        feeds=(Feed("Test Feed", path=str(tmp_path)),),
    )
    async with open_app(size=(120, 30), config=config) as pilot:
        app = pilot.app
        await settle(pilot)
        assert added == ["Brand new story"]
        assert "Brand new story" in list_rows(app)[0]


async def test_a_crashing_refresh_is_reported_not_raised(
    store: Store, open_app: OpenApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> list[FeedOutcome]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("biotui.refresh.refresh_all", broken)
    fill(store)
    async with open_app(size=(120, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running
        assert "Refresh failed: disk on fire" in screen_text(app)


async def test_capture_svg_makes_a_screenshot(store: Store, config: Config) -> None:
    fill(store)
    svg = await capture_svg(BiotuiApp(config, store, delays=NO_DELAYS), size=(120, 30))
    assert svg.startswith("<svg")
    assert "Newer" in svg and "biotui" in svg


async def test_articles_appear_while_a_slow_feed_is_still_loading(
    open_app: OpenApp, store: Store, tmp_path: Path, httpserver: HTTPServer
) -> None:
    """The clippings show at once even though another feed takes seconds to answer."""
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(5)
        return Response("<rss version='2.0'><channel><title>S</title></channel></rss>")

    httpserver.expect_request("/slow.xml").respond_with_handler(slow)
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "one.txt").write_text(
        "May 2025 — Desk\nBern, Switzerland — A lupus trial enrolled its first patient.\n",
        encoding="utf-8",
    )
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=True, timeout=10),
        feeds=(Feed("Slow", url=httpserver.url_for("/slow.xml")), Feed("Clips", path=str(clips))),
    )
    try:
        async with open_app(size=(120, 30), config=config) as pilot:
            app = pilot.app
            title = "A lupus trial"
            await until(pilot, lambda: title in "".join(list_rows(app)))
            assert title in list_rows(app)[0]
            assert "Refreshing 1/2 feeds · 1 new" in screen_text(app)
            release.set()
    finally:
        release.set()


async def test_footer_is_rebuilt_only_when_its_keys_change(store: Store, open_app: OpenApp) -> None:
    fill(store)
    async with open_app(size=(140, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        keys = list(app.screen.query("FooterKey"))
        assert "Refresh" in screen_text(app)
        app.screen.refresh_bindings()  # a signal that changes nothing shown
        await settle(pilot)
        assert list(app.screen.query("FooterKey")) == keys
        await pilot.press("slash")
        await settle(pilot)
        text = screen_text(app)
        assert "Clear filter" in text and "Refresh" not in text
        await pilot.press("escape")
        await settle(pilot)
        assert "Refresh" in screen_text(app) and "Clear filter" not in screen_text(app)
