"""Small pure helpers that turn article fields into the short strings the UI draws.

Nothing here imports textual; every function takes plain values and returns plain strings.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size

from biotui.app.story_rows import StoryHeadline
from biotui.model import Headline
from biotui.plaintext import clean_multiline, clean_text

ELLIPSIS = "…"
LONG_DATE_WIDTH = 10
SHORT_DATE_WIDTH = 7
ALLOWED_LINK_SCHEMES = ("http://", "https://", "mailto:", "file://")


def one_line(text: str) -> str:
    """Return ``text`` as one line of plain text with no control characters.

    Articles are cleaned at ingest already; this is the last guard before the terminal.
    """
    return clean_text(text)


def multiline(text: str) -> str:
    """Return ``text`` with control characters removed but line breaks kept."""
    return clean_multiline(text)


def fit(text: str, width: int) -> str:
    """Return ``text`` cut or padded to exactly ``width`` terminal cells, ending in … if cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + ELLIPSIS


def _date_only(published: datetime) -> bool:
    """True for a UTC midnight, which sources use for "a day, no time" (clippings, many feeds)."""
    utc = published.astimezone(UTC) if published.tzinfo is not None else published
    return (utc.hour, utc.minute, utc.second, utc.microsecond) == (0, 0, 0, 0)


def _local(published: datetime) -> datetime:
    """``published`` in local time, except a bare date, which stays on its own day (UTC)."""
    if published.tzinfo is None:
        return published
    if _date_only(published):
        return published.astimezone(UTC)
    return published.astimezone()


def list_date(published: datetime | None, *, now: datetime, short: bool) -> str:
    """Return the date column of a headline row, in local time.

    ``short`` gives ``Feb 12`` for this year and ``2025-02`` for other years (7 cells at most);
    otherwise ``2026-02-12``. An unknown date is blank.
    """
    if published is None:
        return ""
    local = _local(published)
    if not short:
        return local.strftime("%Y-%m-%d")
    if local.year == now.year:
        return f"{local:%b} {local.day}"
    return local.strftime("%Y-%m")


def long_date(published: datetime | None) -> str:
    """Return the date for the article's metadata line, e.g. ``2026-02-12 14:05``.

    A UTC midnight is taken as a date without a time and shown as ``2026-02-12``.
    """
    if published is None:
        return ""
    if _date_only(published):
        return _local(published).strftime("%Y-%m-%d")
    return _local(published).strftime("%Y-%m-%d %H:%M")


class RowParts(NamedTuple):
    """The texts of one headline row, each cut to its cells and ending in the space after it
    (a space looks the same in any foreground colour), so the parts add up to the row."""

    marker: str
    """``●`` for an unread article, else a space."""
    star: str
    date: str
    source: str
    title: str
    """The title cut to its cells (with a closing … when cut)."""
    full_title: str
    """The whole title, as one clean line (what a filter's matches are found in)."""
    title_visible: int
    """Characters of ``title`` that are the title's own (all but the … when cut)."""
    unread: bool
    cells: int
    """What the parts add up to: the row's width, unless it is too narrow for them."""
    indent: str = ""
    """``↳ `` before the title of an article unfolded under its story's row."""
    story: str = ""
    """`` +N sources`` after the title of a story's row (the title's cells include it)."""


def row_parts(headline: Headline, width: int, *, now: datetime) -> RowParts:
    """Lay out a headline row of ``width`` cells: unread ● · star ★ · date · source · title.

    The headline list and the start frame (``biotui.app.startframe``) both draw rows with it.
    """
    short = width < 60
    date_width = SHORT_DATE_WIDTH if short else LONG_DATE_WIDTH
    source_width = 10 if width < 60 else 14 if width < 90 else 18
    title_width = max(0, width - 2 - 1 - date_width - 1 - source_width - 1)
    unread = not headline.read
    source = one_line(headline.source) or one_line(headline.feed)
    date = list_date(headline.published, now=now, short=short)
    title = one_line(headline.title) or "(untitled)"
    indent, story = _story_parts(headline, title_width)
    text_width = title_width - len(indent) - len(story)
    shown = fit(title, text_width)
    visible = len(shown) - 1 if cell_len(title) > text_width else len(title)
    return RowParts(
        marker="●" if unread else " ",
        star="★ " if headline.starred else "  ",
        date=fit(date, date_width) + " ",
        source=fit(source, source_width) + " ",
        title=shown,
        full_title=title,
        title_visible=visible,
        unread=unread,
        cells=5 + date_width + source_width + title_width,
        indent=indent,
        story=story,
    )


def _story_parts(headline: Headline, title_width: int) -> tuple[str, str]:
    """The indent and the ``+N sources`` of a story's row, if the title has room for them
    (a title keeps at least half its cells)."""
    if not isinstance(headline, StoryHeadline):
        return "", ""
    if headline.member:
        return ("↳ ", "") if title_width >= 8 else ("", "")
    if not headline.sources:
        return "", ""
    noun = "source" if headline.sources == 1 else "sources"
    for story in (f" +{headline.sources} {noun}", f" +{headline.sources}"):
        if len(story) * 2 <= title_width:
            return "", story
    return "", ""


def is_openable_link(url: str) -> bool:
    """True when ``url`` uses a scheme biotui hands to a browser (http, https, mailto, file)."""
    return url.strip().lower().startswith(ALLOWED_LINK_SCHEMES)


def shorten_markdown(body: str, limit: int) -> tuple[str, bool]:
    """Return at most ``limit`` characters of ``body``, cut at a paragraph break when possible.

    The second value is True when the body was shortened.
    """
    if len(body) <= limit:
        return body, False
    cut = body.rfind("\n\n", 0, limit)
    if cut < limit // 2:
        cut = body.rfind("\n", 0, limit)
    if cut < limit // 2:
        cut = limit
    return body[:cut].rstrip(), True
