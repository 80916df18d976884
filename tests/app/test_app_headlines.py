"""The headline list as a person sees it: order, filtering, markers, moving, big lists."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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

from biotui.app.queries import PAGE_SIZE
from biotui.app.screens import headline_requests
from biotui.app.widgets.filter_bar import FilterBar
from biotui.app.widgets.headline_list import HeadlineList
from biotui.model import Config, Feed, Headline, Settings
from biotui.search import parse_filter
from biotui.store import Store

WIDE = (140, 30)
NARROW = (80, 24)


def fill(store: Store) -> None:
    """Three articles, ingested out of date order."""
    store.ingest(
        "Test Feed",
        [
            make_article("b", "Gene therapy for sickle cell", day=5, source="Endpoints News"),
            make_article("c", "CAR-T reaches lupus patients", day=9, source="PR Newswire"),
            make_article("a", "Quarterly results of a vaccine maker", day=2, source="BioPharma"),
        ],
    )


async def test_headlines_newest_first_with_date_source_and_unread_marker(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 3
        assert "CAR-T reaches lupus patients" in rows[0]
        assert "Gene therapy for sickle cell" in rows[1]
        assert "Quarterly results of a vaccine maker" in rows[2]
        assert rows[0].startswith("●")
        assert f"{datetime(2026, 2, 9, 12, tzinfo=UTC).astimezone():%Y-%m-%d}" in rows[0]
        assert "PR Newswire" in rows[0]
        assert "3 articles" in screen_text(app)


async def test_empty_store_says_so(open_app: OpenApp) -> None:
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        text = screen_text(app)
        assert "No articles yet" in text
        assert "0 articles" in text


async def test_typing_a_filter_narrows_the_list_and_escape_clears_it(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("slash")
        assert app.screen.focused is app.screen.query_one("#filter-input")
        await pilot.press(*"lupus")
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 1
        assert "CAR-T reaches lupus patients" in rows[0]
        assert "1 of 3 articles" in screen_text(app)

        await pilot.press("enter")
        assert isinstance(app.screen.focused, HeadlineList)

        await pilot.press("slash", "escape")
        await settle(pilot)
        assert app.screen.query_one(FilterBar).value == ""
        assert len(list_rows(app)) == 3
        assert isinstance(app.screen.focused, HeadlineList)
        assert "3 articles" in screen_text(app)


async def test_keys_typed_into_the_filter_do_not_trigger_commands(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("slash", *"CD19/CD20 q m s r o")
        await settle(pilot)
        assert app.is_running
        assert app.screen.query_one(FilterBar).value == "CD19/CD20 q m s r o"
        assert "No articles match" in screen_text(app)


async def test_a_hyphenated_word_filters_as_a_phrase(store: Store, open_app: OpenApp) -> None:
    fill(store)
    async with open_app(size=WIDE, initial_filter="CAR-T") as pilot:
        app = pilot.app
        await settle(pilot)
        rows = list_rows(app)
        assert len(rows) == 1
        assert "CAR-T reaches lupus patients" in rows[0]


async def test_a_malformed_filter_shows_a_note_and_never_raises(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        for text in ('"unclosed', "((", "AND NOT"):
            await pilot.press("slash", "escape", "slash", *text)
            await settle(pilot)
            assert app.is_running
        await pilot.press("slash", "escape", "slash", *"lupus OR")
        await settle(pilot)  # while typing, the message waits for a pause
        error = parse_filter("lupus OR").error
        assert error is not None and error in screen_text(app)


async def test_moving_keeps_the_cursor_visible(store: Store, open_app: OpenApp) -> None:
    store.ingest(
        "Test Feed",
        [make_article(f"g{i}", f"Story number {i}", day=1 + i % 28, month=1) for i in range(60)],
    )
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        headlines = app.screen.query_one(HeadlineList)
        await pilot.press("end")
        await settle(pilot)
        assert headlines.cursor == 59
        assert cursor_row(app) in list_rows(app)
        await pilot.press("home", "j", "j", "down", "k")
        assert headlines.cursor == 2
        await pilot.press("pagedown")
        assert headlines.cursor > 10
        assert cursor_row(app) in list_rows(app)
        await pilot.press("pageup", "pageup")
        assert headlines.cursor == 0


async def test_m_and_s_toggle_the_markers_and_save_them(store: Store, open_app: OpenApp) -> None:
    fill(store)
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        # Narrow layout: the list alone, nothing is shown yet, so nothing is read yet.
        assert cursor_row(app).startswith("● ")
        await pilot.press("m")
        await settle(pilot)
        assert cursor_row(app).startswith("  ")
        await pilot.press("s")
        await settle(pilot)
        assert cursor_row(app).startswith(" ★")
        newest = store.article(store.headline_ids()[0])
        assert newest is not None and newest.read and newest.starred

        await pilot.press("m", "s")
        await settle(pilot)
        assert cursor_row(app).startswith("● ")
        newest = store.article(store.headline_ids()[0])
        assert newest is not None and not newest.read and not newest.starred


async def test_clicking_a_row_highlights_it(store: Store, open_app: OpenApp) -> None:
    fill(store)
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        headlines = app.screen.query_one(HeadlineList)
        await pilot.click(HeadlineList, offset=(20, 2))
        assert headlines.cursor == 2
        await pilot.click(HeadlineList, offset=(20, 2))
        await settle(pilot)
        assert "Quarterly results of a vaccine maker" in screen_text(app)
        assert app.screen.has_class("-reading")


async def test_a_large_list_reads_only_the_pages_it_draws(store: Store, open_app: OpenApp) -> None:
    store.ingest(
        "Test Feed",
        [
            make_article(f"g{i:04}", f"Story {i:04}", day=1 + i % 28, month=1 + i % 12)
            for i in range(1500)
        ],
    )
    requested: list[int] = []
    real = store.headlines

    def counting(rowids: Sequence[int]) -> list[Headline]:
        requested.append(len(rowids))
        return real(rowids)

    store.headlines = counting  # type: ignore[method-assign]
    async with open_app(size=NARROW) as pilot:
        app = pilot.app
        await settle(pilot)
        headlines = app.screen.query_one(HeadlineList)
        assert headlines.row_count == 1500
        assert headlines.virtual_size.height == 1500
        assert requested == [PAGE_SIZE]  # the first screenful: one page
        await pilot.press("end")
        await settle(pilot)
        # The last page, drawn at once, and the one above it, prefetched by a worker.
        assert requested == [PAGE_SIZE, 1500 % PAGE_SIZE, PAGE_SIZE]
        assert cursor_row(app) in list_rows(app)
        assert "1,500 articles" in screen_text(app)
        await pilot.press(*["pageup"] * 12)
        await settle(pilot)
        assert headlines.cursor < 1300
        assert requested == [PAGE_SIZE, 1500 % PAGE_SIZE, PAGE_SIZE, PAGE_SIZE]  # + page 5
        assert "Story" in cursor_row(app)


async def test_articles_become_read_when_visited_not_when_shown_at_start(
    store: Store, open_app: OpenApp
) -> None:
    fill(store)
    async with open_app(size=WIDE) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "CAR-T reaches lupus patients" in screen_text(app)
        assert all(row.startswith("●") for row in list_rows(app))
        await pilot.press("j")
        await settle(pilot)
        rows = list_rows(app)
        assert rows[0].startswith("●") and not rows[1].startswith("●")
        await pilot.press("k", "enter")
        await settle(pilot)
        assert not list_rows(app)[0].startswith("●")
        assert [h.read for h in store.headlines(store.headline_ids())] == [True, True, False]


async def test_a_reload_during_a_refresh_keeps_the_cursor_where_the_person_moved_it(
    open_app: OpenApp, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys pressed while the list reloads (new articles arriving) are not undone by it."""
    store.ingest(
        "Clips", [make_article(f"a{n}", f"Story {n}", day=10 - n, feed="Clips") for n in range(5)]
    )
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "old.txt").write_text(
        "January 2020 — Desk\nBern, Switzerland — An old lupus story arrives late.\n",
        encoding="utf-8",
    )
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False),
        feeds=(Feed("Clips", path=str(clips)),),
    )
    gate = threading.Event()
    gate.set()
    real = headline_requests.read_headlines

    def gated(*args: Any, **kwargs: Any) -> Any:
        gate.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(headline_requests, "read_headlines", gated)
    async with open_app(size=(120, 30), config=config) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "Story 0" in cursor_row(app)
        gate.clear()  # the reload the refresh asks for waits here ...
        await pilot.press("r")
        await until(pilot, lambda: "Refreshed 1 feeds" in screen_text(app))
        await pilot.press("j")  # ... while the person moves down
        await pilot.pause()
        assert "Story 1" in cursor_row(app)
        gate.set()
        await settle(pilot)
        assert any("An old lupus story" in row for row in list_rows(app))  # it reloaded
        assert "Story 1" in cursor_row(app)
