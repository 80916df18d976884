"""Helpers for the app tests: articles to ingest, and readers of what the screen shows."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.segment import Segment
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from biotui.app.screens.main import RELOAD_PREVIEW_DELAY
from biotui.app.widgets.headline_list import HeadlineList
from biotui.model import Article, article_id

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


# Long enough for what waits for a pause in typing (the article, its marks) to appear even on
# a loaded machine: the wait plus a margin.
AFTER_TYPING = RELOAD_PREVIEW_DELAY + 0.25


async def settle(pilot: Pilot[Any], delay: float = 0.2) -> None:
    """Let timers fire, workers finish and the screen repaint."""
    await pilot.pause(delay)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: App[Any]) -> str:
    """The whole screen as plain text, the way the terminal would show it."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


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
    update = app.screen._compositor.render_update(full=True)
    return [Strip.join(line) for line in update.strips]  # type: ignore[attr-defined]


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
