"""Drawing one headline row: unread ● · star ★ · date · source · title, with what a filter
matched in the title marked, and the caches the list draws through. Plain text only: feed
text is never parsed as markup."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style

from biotui.app.format import RowParts
from biotui.model import Headline

if TYPE_CHECKING:
    from biotui.search import Highlighter

K = TypeVar("K")
V = TypeVar("V")

MAX_SPANS = 2_000
"""Titles whose match spans are kept for the current filter."""


PARTS = ("marker", "star", "date", "source")
"""Parts of a row styled by a component class of their own."""


@dataclass(frozen=True, slots=True)
class RowKey:
    """Everything that changes the pixels of one row."""

    index: int
    headline: Headline | None
    width: int
    cursor: bool
    focused: bool


def part_styles(
    component: Callable[[str], Style], base: Style, *, cursor: bool
) -> dict[str, Style]:
    """The style of each part of a row: ``base``, ``marker``, ``star``, ``date``,
    ``source``, ``title``, ``unread`` for an unread title, and ``match:title`` /
    ``match:unread`` for what a filter matched in them, on the cursor's row or off it.
    ``component`` gives the style of a ``headline-list--*`` component class; ``base`` is
    the list's own style under every part."""
    cursor_style = component("headline-list--cursor") if cursor else None
    unread = component("headline-list--unread")
    match = component("headline-list--match")
    parts: dict[str, Style | None] = {
        "base": None,
        **{part: component(f"headline-list--{part}") for part in PARTS},
        "title": None,
        "unread": unread,
        "match:title": match,
        "match:unread": unread + match,
    }
    styles: dict[str, Style] = {}
    for name, part in parts.items():
        combined = base if part is None else base + part
        styles[name] = combined if cursor_style is None else combined + cursor_style
    return styles


def row_segments(
    parts: RowParts, styles: dict[str, Style], spans: list[tuple[int, int]]
) -> list[Segment]:
    """The segments of a row cut into ``parts``, styled by part name (see
    ``HeadlineList.row_styles``), the title's ``spans`` styled as matches.

    Segments are built directly (each part is already cut to its cells), rather than through
    rich ``Text``: a screenful is drawn after each keystroke.
    """
    title_style = styles["unread" if parts.unread else "title"]
    match_style = styles["match:" + ("unread" if parts.unread else "title")]
    segments = [
        Segment(parts.marker, styles["marker"]),
        Segment(parts.star, styles["star"]),
        Segment(parts.date, styles["date"]),
        Segment(parts.source, styles["source"]),
    ]
    if parts.indent:
        segments.append(Segment(parts.indent, styles["source"]))
    shown = parts.title
    position = 0
    for start, end in spans:
        if start >= parts.title_visible:
            break
        end = min(end, parts.title_visible)
        if start > position:
            segments.append(Segment(shown[position:start], title_style))
        segments.append(Segment(shown[start:end], match_style))
        position = end
    segments.append(Segment(shown[position:], title_style))
    if parts.story:
        segments.append(Segment(parts.story, styles["source"]))
    return segments


class LRU(Generic[K, V]):
    """A mapping that keeps its ``size`` most recently used entries."""

    def __init__(self, size: int) -> None:
        """Keep up to ``size`` entries."""
        self._size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value for ``key`` (now the most recent), or None."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` for ``key``, dropping the least recent entry beyond the size."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()


class MatchSpans:
    """Where the current filter matched each title, cached per title until it changes."""

    def __init__(self) -> None:
        """Start with no filter (nothing matches)."""
        self.highlighter: Highlighter | None = None
        self._spans: LRU[str, list[tuple[int, int]]] = LRU(MAX_SPANS)

    def use(self, highlighter: Highlighter | None) -> None:
        """Mark what ``highlighter`` matches from now on."""
        if highlighter is not self.highlighter:
            self.highlighter = highlighter
            self._spans.clear()

    def __call__(self, title: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` spans the filter matched in ``title``."""
        if self.highlighter is None:
            return []
        spans = self._spans.get(title)
        if spans is None:
            spans = self._spans.put(title, self.highlighter.spans(title))
        return spans
