"""The app's refresh syncs with the ``[sync]`` server as a person sees it: the server's
articles and feeds in the list and the panel, progress on the status line, a failure as one
notification line while the local feeds still load, and marks made in the app reaching the
server at the next refresh. The in-memory server stands in for the protocol module."""

from __future__ import annotations

import asyncio
import sys
import threading
import types
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from app_helpers import (
    OpenApp,
    choose_scope,
    cursor_row,
    list_rows,
    screen_text,
    settle,
    show_scope,
    until,
)

from biotui.app.app import BiotuiApp
from biotui.app.delays import NO_DELAYS
from biotui.app.widgets.side_panel import SidePanel
from biotui.model import Config, Feed, Settings, SyncConfig
from biotui.store import Store
from sync.fake_backend import FakeBackend, Mark, days_ago

WIDE = (150, 36)
SYNC = SyncConfig(
    kind="greader",
    url="https://fake.example/api",
    username="me",
    password_command="echo s3cret-pass",
)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeBackend:
    """The fake server, built by the sync as ``GReaderBackend`` would be: two feeds (one the
    ``[[feeds]]`` entry "My STAT" names), three items, one read, one starred."""
    backend = FakeBackend()
    backend.add_feed("feed/1", "Endpoints News", "https://endpts.example/feed", tags=["biotech"])
    backend.add_feed("feed/2", "STAT", "https://stat.example/feed", tags=["news", "policy"])
    backend.add_item("a", "feed/1", title="Merck buys a biotech", published=days_ago(1))
    backend.add_item(
        "b", "feed/2", title="FDA approves a gene therapy", starred=True, published=days_ago(2)
    )
    backend.add_item(
        "c", "feed/1", title="Layoffs at a gene editor", read=True, published=days_ago(3)
    )

    def factory(url: str, username: str, password: Any, **options: Any) -> FakeBackend:
        return backend

    monkeypatch.setitem(
        sys.modules, "biotui.sync.greader", types.SimpleNamespace(GReaderBackend=factory)
    )
    return backend


@pytest.fixture
def sync_config(tmp_path: Path) -> Config:
    """A local folder of clippings, a ``[[feeds]]`` entry naming a server feed's URL, and
    ``[sync]``."""
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "note.txt").write_text(
        "March 2026 — Desk\nBasel — A local clipping about CAR-T.\n", encoding="utf-8"
    )
    return Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False),
        feeds=(
            Feed("Clips", path=str(clips)),
            Feed("My STAT", url="https://stat.example/feed", tags=("policy", "fda")),
        ),
        sync=SYNC,
    )


def panel_lines(app: BiotuiApp) -> list[str]:
    panel = app.screen.query_one(SidePanel)
    rows = [panel.render_line(y).text.strip() for y in range(panel.size.height)]
    return [row for row in rows if row]


def line_of(app: BiotuiApp, name: str) -> str:
    lines = panel_lines(app)
    found = [line for line in lines if line.lstrip("▸✗ ").startswith(name)]
    assert found, "|".join(lines)
    return found[0]


async def test_r_syncs_and_lists_the_servers_articles_feeds_and_tags(
    open_app: OpenApp, server: FakeBackend, sync_config: Config
) -> None:
    async with open_app(size=WIDE, config=sync_config) as pilot:
        app = pilot.app
        await pilot.press("r")
        await until(pilot, lambda: "Synced: 3 new · Refreshed 1 feeds: 1 new" in screen_text(app))
        await settle(pilot)
        rows = "\n".join(list_rows(app))
        for title in ("Merck buys a biotech", "FDA approves a gene therapy", "Layoffs at a gene"):
            assert title in rows
        assert "A local clipping about CAR-T" in rows
        await pilot.press("b")
        await settle(pilot)
        lines = panel_lines(app)
        assert lines.index("Feeds") < lines.index(line_of(app, "Clips"))
        assert lines.index(line_of(app, "Clips")) < lines.index("Synced feeds")
        assert lines.index("Synced feeds") < lines.index(line_of(app, "Endpoints News"))
        assert line_of(app, "All articles").endswith("4")
        assert line_of(app, "Starred").endswith("1/1")  # unread/total
        assert line_of(app, "Endpoints News").endswith("1")  # one of its two is read
        assert line_of(app, "My STAT").endswith("1")  # the server's STAT, under the entry's name
        assert sum(line.startswith("My STAT") for line in lines) == 1
        # The server's categories are tags, merged with the [[feeds]] entry's.
        assert line_of(app, "biotech").endswith("1")
        for tag in ("policy", "fda", "news"):
            assert line_of(app, tag).endswith("1"), tag
        await show_scope(pilot, app, "Endpoints News")
        assert [row for row in list_rows(app) if "biotech" in row or "gene editor" in row]
        assert not any("FDA approves" in row for row in list_rows(app))
    # the refresh fetched only the clippings: the entry naming a server feed is left to it
    assert "items" in server.calls and server.calls[-1] == "close"


async def test_the_first_headlines_show_while_the_first_sync_runs(
    open_app: OpenApp, server: FakeBackend, sync_config: Config
) -> None:
    gate = threading.Event()
    server.before_read_state = lambda: gate.wait(30)  # the sync waits after its pages
    async with open_app(size=WIDE, config=sync_config) as pilot:
        app = pilot.app
        try:
            await pilot.press("r")
            await until(pilot, lambda: "Merck buys a biotech" in "\n".join(list_rows(app)))
            assert "Syncing read and starred marks" in screen_text(app)
        finally:
            gate.set()
        await until(pilot, lambda: "Synced: 3 new" in screen_text(app))


async def test_a_failing_server_is_one_notification_and_the_local_feeds_still_load(
    open_app: OpenApp,
    server: FakeBackend,
    sync_config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.fail_at_page = 1
    async with open_app(size=WIDE, config=sync_config, notifications=True) as pilot:
        app = pilot.app
        shown: list[tuple[str, str]] = []
        notify = app.notify

        def recording(message: str, *args: Any, **kwargs: Any) -> None:
            shown.append((kwargs.get("title", ""), message))
            notify(message, *args, **kwargs)

        monkeypatch.setattr(app, "notify", recording)
        await pilot.press("r")
        await until(pilot, lambda: "Refreshed 1 feeds: 1 new" in screen_text(app))
        await settle(pilot)
        assert shown == [("Sync failed", "fake.example: HTTP 503: service unavailable")]
        assert "Sync failed: fake.example: HTTP 503" in screen_text(app)
        assert any("A local clipping about CAR-T" in row for row in list_rows(app))
        await pilot.press("b")  # the feeds it listed before failing are in the panel
        await settle(pilot)
        assert line_of(app, "Endpoints News").endswith("0")


async def test_a_mark_made_with_m_reaches_the_server_at_the_next_r(
    open_app: OpenApp, server: FakeBackend, sync_config: Config
) -> None:
    config = replace(sync_config, feeds=())
    async with open_app(size=WIDE, config=config) as pilot:
        app = pilot.app
        await pilot.press("r")
        await until(pilot, lambda: "Synced: 3 new" in screen_text(app))
        await settle(pilot)
        assert "Merck buys a biotech" in cursor_row(app)  # newest first; unread on the server
        await pilot.press("m")  # read
        await pilot.press("j")  # "FDA approves", starred on the server: shown, so read
        await settle(pilot)
        assert "FDA approves a gene therapy" in cursor_row(app)
        await pilot.press("s")  # unstarred
        await settle(pilot)
        assert not server.marks
        await pilot.press("r")
        await until(pilot, lambda: "Synced: 0 new" in screen_text(app))
        await settle(pilot)
    assert server.marks == [Mark(("a", "b"), True, None), Mark(("b",), None, False)]
    assert server.unread == set() and server.starred_ids == set()


async def test_the_timer_syncs_when_due_and_not_again_before_refresh_every(
    open_app: OpenApp, server: FakeBackend, tmp_path: Path
) -> None:
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False, refresh_every=3600),
        sync=SYNC,
    )
    delays = replace(NO_DELAYS, due_check=0.05)
    async with open_app(size=WIDE, config=config, delays=delays) as pilot:
        app = pilot.app
        await until(pilot, lambda: "Synced: 3 new" in screen_text(app))
        await until(pilot, lambda: "Merck buys a biotech" in "\n".join(list_rows(app)))
        logins = server.calls.count("login")
        later = asyncio.Event()
        ticks = 0

        def tick() -> None:
            nonlocal ticks
            ticks += 1
            if ticks >= 5:
                later.set()

        app.set_interval(0.05, tick)
        await asyncio.wait_for(later.wait(), 60)  # several due checks later
        await settle(pilot)
        assert server.calls.count("login") == logins == 1


async def test_refresh_on_start_syncs_and_a_store_without_sync_lists_no_synced_heading(
    open_app: OpenApp, server: FakeBackend, sync_config: Config, store: Store
) -> None:
    config = replace(sync_config, settings=Settings(refresh_on_start=True))
    async with open_app(size=WIDE, config=config) as pilot:
        app = pilot.app
        await until(pilot, lambda: "Synced: 3 new" in screen_text(app))
    async with open_app(size=WIDE, config=replace(sync_config, sync=None)) as pilot:
        app = pilot.app
        await pilot.press("b")
        await settle(pilot)
        assert "Synced feeds" not in panel_lines(app)
        assert "Endpoints News" not in "\n".join(panel_lines(app))


async def test_removing_a_server_feed_in_the_panel_says_where_to_unsubscribe(
    open_app: OpenApp,
    server: FakeBackend,
    sync_config: Config,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with open_app(size=WIDE, config=sync_config, notifications=True) as pilot:
        app = pilot.app
        shown: list[str] = []
        notify = app.notify

        def recording(message: str, *args: Any, **kwargs: Any) -> None:
            shown.append(message)
            notify(message, *args, **kwargs)

        monkeypatch.setattr(app, "notify", recording)
        await pilot.press("r")
        await until(pilot, lambda: "Synced: 3 new" in screen_text(app))
        await pilot.press("b")
        await settle(pilot)
        choose_scope(app, "Endpoints News")
        await pilot.press("x")
        await settle(pilot)
        assert shown == ["Endpoints News is a feed of the sync server: unsubscribe from it there."]
        assert "Endpoints News" in "\n".join(panel_lines(app))
