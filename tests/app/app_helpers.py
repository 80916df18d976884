"""Helpers for the app tests: articles to ingest, and readers of what the screen shows."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from rich.segment import Segment
from textual.app import App
from textual.geometry import Region
from textual.message import Message
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from biotui.app.textual_internals import render_screen
from biotui.app.widgets.headline_list import HeadlineList
from biotui.app.widgets.side_panel import SidePanel
from biotui.model import Article, Config, article_id
from biotui.refresh import FeedOutcome
from biotui.store import Store

FEED = "Test Feed"


def make_article(
    guid: str,
    title: str,
    *,
    day: int = 1,
    month: int = 2,
    feed: str = FEED,
    **fields: Any,
) -> Article:
    """An article of ``feed`` published at noon UTC on 2026-``month``-``day``."""
    return Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=title,
        published=datetime(2026, month, day, 12, tzinfo=UTC),
        **fields,
    )


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the workers are done and the messages they posted are handled (twice: a
    handled message may start another worker), then for the screen to repaint."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


OpenApp = Callable[..., AbstractAsyncContextManager[Pilot[None]]]
"""The ``open_app`` fixture (see conftest.py)."""

WAIT_LIMIT = 60.0
"""Seconds :func:`until` waits before failing a test (a hang guard, not a timing check)."""

_message_seen: WeakKeyDictionary[App[Any], asyncio.Event] = WeakKeyDictionary()


def watch_messages(app: App[Any]) -> Callable[[Message], None]:
    """A ``message_hook`` for ``app.run_test`` that lets :func:`until` wake at each message."""
    seen = _message_seen.setdefault(app, asyncio.Event())
    return lambda message: seen.set()


async def until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    """Wait until ``condition()`` holds, checking after each message the app handles."""
    seen = _message_seen[pilot.app]
    async with asyncio.timeout(WAIT_LIMIT):
        while True:
            await pilot.pause()
            if condition():
                return
            seen.clear()
            await seen.wait()


def screen_text(app: App[Any]) -> str:
    """The whole screen as plain text, the way the terminal would show it."""
    return "\n".join(strip.text for strip in screen_strips(app)) + "\n"


def list_rows(app: App[Any]) -> list[str]:
    """The headline list's visible rows as plain text (trailing blanks removed)."""
    headlines = app.screen.query_one(HeadlineList)
    rows = [headlines.render_line(y).text.rstrip() for y in range(headlines.size.height)]
    return [row for row in rows if row]


def cursor_row(app: App[Any]) -> str:
    """The text of the highlighted row."""
    headlines = app.screen.query_one(HeadlineList)
    y = headlines.cursor - headlines.scroll_offset.y
    return headlines.render_line(y).text.rstrip()


def screen_strips(app: App[Any]) -> list[Strip]:
    """Every row the terminal would draw, with its styles."""
    strips = render_screen(app.screen)
    assert strips is not None
    return strips


def screen_segments(app: App[Any], region: Region | None = None) -> list[Segment]:
    """The segments drawn on the screen (or in ``region`` of it), row by row."""
    strips = screen_strips(app)
    if region is not None:
        strips = [strip.crop(region.x, region.right) for strip in strips[region.y : region.bottom]]
    segments: list[Segment] = []
    for strip in strips:
        segments.extend(strip)
        segments.append(Segment("\n"))
    return segments


def marked_words(app: App[Any], widget: Widget | None = None) -> list[str]:
    """The runs of text drawn underlined (how biotui marks what a filter matched), on the
    whole screen or where ``widget`` is."""
    words: list[str] = []
    run = ""
    for segment in screen_segments(app, None if widget is None else widget.region):
        if segment.style is not None and segment.style.underline and segment.text != "\n":
            run += segment.text
        elif run:
            words.append(run.strip())
            run = ""
    if run:
        words.append(run.strip())
    return [word for word in words if word]


def choose_scope(app: App[Any], label: str) -> None:
    """Move the side panel's cursor to the entry called ``label``."""
    panel = app.screen.query_one(SidePanel)
    panel.highlight_scope(next(scope for scope in panel.scopes if scope.label == label))


async def show_scope(pilot: Pilot[None], app: App[Any], label: str) -> None:
    """Choose the side panel's entry called ``label`` with Enter and wait for the list."""
    choose_scope(app, label)
    await pilot.press("enter")
    await settle(pilot)


def refresh_bringing(articles: list[Article]) -> Callable[..., list[FeedOutcome]]:
    """A ``refresh_all`` stand-in that stores ``articles`` in the test feed."""

    def refresh_all(
        config: Config,
        store: Store,
        *,
        feeds: object = None,
        on_progress: Callable[[FeedOutcome], None] | None = None,
        cancel: threading.Event | None = None,
        on_stored: Callable[[list[FeedOutcome]], None] | None = None,
        on_page: object = None,
    ) -> list[FeedOutcome]:
        counts = store.ingest(FEED, articles)
        outcome = FeedOutcome(FEED, counts, None, done=1, total=1)
        if on_progress is not None:
            on_progress(outcome)
        if on_stored is not None:
            on_stored([outcome])
        return [outcome]

    return refresh_all
