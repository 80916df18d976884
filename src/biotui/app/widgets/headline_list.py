"""The headline list: a line-API ScrollView over the rowids of the current view.

The rowids and their rows, read a page at a time, are in :class:`HeadlinePages`; how a row
is drawn is in :mod:`biotui.app.headline_rows`. This widget draws what is on screen and moves
the cursor.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from biotui.app.format import fit, one_line, row_parts
from biotui.app.headline_pages import FetchHeadlines, HeadlinePages
from biotui.app.headline_rows import LRU, MatchSpans, RowKey, part_styles, row_segments
from biotui.app.rowid_search import position
from biotui.app.widgets.headline_keys import LIST_BINDINGS
from biotui.errors import BiotuiError
from biotui.model import Headline

if TYPE_CHECKING:
    from collections.abc import Sequence

    from biotui.search import Highlighter

MAX_STRIPS = 500
"""Rendered rows kept."""


@dataclass
class ListMessage(Message):
    """A message from a headline list (``@on(Msg, "#id")`` selects by the list)."""

    headline_list: HeadlineList

    @property
    def control(self) -> HeadlineList:
        """The list that sent the message."""
        return self.headline_list


class HeadlineList(ScrollView, can_focus=True):
    """Headlines of the current view, newest first, one row each, with a cursor."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = LIST_BINDINGS

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"headline-list--{part}"
        for part in ("cursor", "unread", "marker", "star", "date", "source", "empty", "match")
    }

    @dataclass
    class Highlighted(ListMessage):
        """The cursor moved to another article (``rowid`` is None when the list is empty)."""

        rowid: int | None
        headline: Headline | None
        by_person: bool = True
        """False when the list moved the cursor itself (new rows, a new filter)."""

    @dataclass
    class Selected(ListMessage):
        """The person asked to read the article under the cursor (Enter or a second click)."""

        rowid: int
        headline: Headline | None

    @dataclass
    class FetchFailed(ListMessage):
        """Reading headline rows from the store failed."""

        error: str

    @dataclass
    class _PageRead(Message, bubble=False):
        """A prefetch worker read a page (private to the list)."""

        generation: int
        page_no: int
        rows: list[Headline]

    def __init__(
        self,
        fetch: FetchHeadlines,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create an empty list that reads rows with ``fetch`` (e.g. ``Store.headlines``)."""
        super().__init__(name=name, id=id, classes=classes)
        self._fetch = fetch
        self._pages = HeadlinePages(fetch, self._fetch_failed)
        self._strips: LRU[RowKey, Strip] = LRU(MAX_STRIPS)
        self._cursor = 0
        self._last_rowid: int | None = None
        self._empty_text = "Loading…"
        self._now = datetime.now().astimezone()
        self._base_style: Style | None = None
        self._row_styles: dict[tuple[bool, bool], dict[str, Style]] = {}
        """``row_styles`` by (cursor's row, list focused), until the styles change."""
        self._spans = MatchSpans()
        """Where the current filter matched each displayed title."""

    # -- state -------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Number of articles in the list."""
        return len(self._pages.ids)

    @property
    def ids(self) -> array[int]:
        """The rowids shown, in display order (replace them with :meth:`set_ids`)."""
        return self._pages.ids

    @property
    def cursor(self) -> int:
        """Index of the highlighted row (0 when the list is empty)."""
        return self._cursor

    @property
    def highlighted_rowid(self) -> int | None:
        """The rowid under the cursor, or None when the list is empty."""
        return self._pages.ids[self._cursor] if self._pages.ids else None

    @property
    def highlighted(self) -> Headline | None:
        """The headline under the cursor, fetched if needed."""
        return self.headline_at(self._cursor) if self._pages.ids else None

    @property
    def empty_text(self) -> str:
        """What the list says when it has no rows."""
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str) -> None:
        self._empty_text = text
        if not self._pages.ids:
            self.refresh()

    @property
    def highlighter(self) -> Highlighter | None:
        """What marks the filter's matches in titles (None: nothing is marked)."""
        return self._spans.highlighter

    def set_ids(
        self,
        ids: array[int],
        *,
        keep_rowid: int | None = None,
        highlighter: Highlighter | None = None,
        to_top: bool = False,
        page: tuple[int, list[Headline]] | None = None,
        added: Sequence[Headline] | None = None,
    ) -> None:
        """Show ``ids`` (rowids, in display order), keeping the cursor on the same article.

        The cursor stays on ``keep_rowid`` (default: the highlighted article) if it is still in
        the list, at the same height on screen; otherwise, or with ``to_top``, it goes to the
        top. ``highlighter`` marks the words the filter matched. ``page`` (a page number and
        its rows) and ``added`` (rows added to those shown, which ``ids`` rearrange) spare the
        drawing a query (:meth:`HeadlinePages.reset`)."""
        old_rowid = keep_rowid if keep_rowid is not None else self.highlighted_rowid
        if old_rowid is None:
            old_rowid = self._last_rowid
        old_screen_row = self._cursor - self.scroll_offset.y
        if to_top:
            old_rowid = None
        self._pages.reset(ids, page, added=added)
        self._strips.clear()
        self._spans.use(highlighter)
        self._now = datetime.now().astimezone()
        self.virtual_size = Size(0, len(ids))
        new_cursor = 0
        if old_rowid is not None:
            new_cursor = position(ids, old_rowid) or 0
        self._cursor = new_cursor
        height = max(1, self.scrollable_content_region.height)
        top = new_cursor - old_screen_row if 0 <= old_screen_row < height else new_cursor
        self.scroll_to(y=max(0, top), animate=False, immediate=True)
        self._scroll_cursor_into_view()
        self.refresh()
        self._prefetch_around_view()
        new_rowid = self.highlighted_rowid
        if new_rowid != old_rowid or to_top:
            self._post_highlighted(by_person=False)

    def extend_ids(self, ids: array[int]) -> None:
        """Show ``ids``, the whole list whose first rows are shown: the cursor, the view and
        the rows read stay (with other first rows, as :meth:`set_ids` does)."""
        if not self._pages.extend(ids):
            self.set_ids(ids, highlighter=self.highlighter)
            return
        self.virtual_size = Size(0, len(ids))
        self._prefetch_around_view()

    def headline_at(self, index: int) -> Headline | None:
        """The headline at row ``index``, read from the store (a page at once) if needed."""
        return self._pages.headline(index)

    def update_headline(
        self, rowid: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Change the read or starred marker of ``rowid`` in the cached rows and redraw it."""
        index = self._pages.update(rowid, read=read, starred=starred)
        if index is not None:
            self.refresh_line(index)

    def _fetch_failed(self, error: str) -> None:
        self.post_message(self.FetchFailed(self, error))

    def _prefetch_around_view(self) -> None:
        """Have a thread read the pages half a page above and below the view."""
        top = self.scroll_offset.y
        bottom = top + max(1, self.scrollable_content_region.height)
        pages = self._pages
        for page_no in pages.to_prefetch(top, bottom):
            self._prefetch(pages.generation, page_no, pages.rowids(page_no))

    @work(thread=True, group="headline-prefetch", exit_on_error=False)
    def _prefetch(self, generation: int, page_no: int, rowids: array[int]) -> None:
        """Read one page in a worker thread and hand it to the list."""
        try:
            rows = self._fetch(rowids)
        except BiotuiError:
            return  # the page is read again, with error reporting, when it comes on screen
        self.post_message(self._PageRead(generation, page_no, rows))

    def _on_headline_list__page_read(self, message: _PageRead) -> None:
        self._pages.prefetched(message.generation, message.page_no, message.rows)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scroll, then prefetch the pages the view is heading for."""
        super().watch_scroll_y(old_value, new_value)
        self._prefetch_around_view()

    # -- drawing -----------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        """Drop rendered rows when styles (theme, focus, CSS) change."""
        super().notify_style_update()
        self._strips.clear()
        self._base_style = None
        self._row_styles.clear()

    @property
    def _base(self) -> Style:
        """The widget's own style under every row (``rich_style`` walks the ancestors: cache
        it until the styles change)."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    @on(events.Focus)
    @on(events.Blur)
    def _focus_changed(self) -> None:
        self.refresh_line(self._cursor)  # the cursor's row looks different when focused

    def render_line(self, y: int) -> Strip:
        """Draw the row at screen line ``y``."""
        index = self.scroll_offset.y + y
        width = self.scrollable_size.width  # the scrollbar covers the rest
        base = self._base
        if not self._pages.ids:
            if index == 0 and self._empty_text:
                style = base + self.get_component_rich_style("headline-list--empty")
                text = " " + fit(one_line(self._empty_text), max(0, width - 1))
                return Strip([Segment(text, style)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if index >= len(self._pages.ids):
            return Strip.blank(width, base)
        key = RowKey(
            index,
            self.headline_at(index),
            width,
            index == self._cursor,
            self.has_focus and index == self._cursor,
        )
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips.put(key, self._render_row(key))
        return strip

    def _render_row(self, key: RowKey) -> Strip:
        """Build one row (a placeholder while its headline cannot be read)."""
        width = key.width
        styles = self.row_styles(cursor=key.cursor)
        if key.headline is None:
            return Strip([Segment(fit("   …", width), styles["base"])], width)
        parts = row_parts(key.headline, width, now=self._now)
        segments = row_segments(parts, styles, self._spans(parts.full_title))
        if parts.cells == width:
            return Strip(segments, width)
        return Strip(segments).crop_extend(0, width, self._base)

    def row_styles(self, *, cursor: bool) -> dict[str, Style]:
        """The style of each part of a row (``base``, ``marker``, ``star``, ``date``,
        ``source``, ``title``, ``unread`` for an unread title, and ``match:title`` /
        ``match:unread`` for what a filter matched in them), on the cursor's row or off it.

        The start frame records these too, so its rows look like the list's.
        """
        key = (cursor, cursor and self.has_focus)
        cached = self._row_styles.get(key)
        if cached is not None:
            return cached
        styles = part_styles(self.get_component_rich_style, self._base, cursor=cursor)
        self._row_styles[key] = styles
        return styles

    # -- moving ------------------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped), scroll it into view and announce it."""
        if not self._pages.ids:
            return
        index = max(0, min(index, len(self._pages.ids) - 1))
        if index == self._cursor:
            self._scroll_cursor_into_view()
            return
        old = self._cursor
        self._cursor = index
        self.refresh_line(old)
        self.refresh_line(index)
        self._scroll_cursor_into_view()
        self._post_highlighted()

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = self.scroll_offset.y
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False, immediate=True)

    def _post_highlighted(self, *, by_person: bool = True) -> None:
        if self._pages.ids:
            self._last_rowid = self.highlighted_rowid
        self.post_message(
            self.Highlighted(self, self.highlighted_rowid, self.highlighted, by_person)
        )

    def action_cursor_down(self) -> None:
        """Move to the next (older) headline."""
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Move to the previous (newer) headline."""
        self.move_cursor(self._cursor - 1)

    def action_page_down(self) -> None:
        """Move down one screenful."""
        self.move_cursor(self._cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        """Move up one screenful."""
        self.move_cursor(self._cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        """Move to the newest headline."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """Move to the oldest headline."""
        self.move_cursor(len(self._pages.ids) - 1)

    def action_select(self) -> None:
        """Ask to read the highlighted article."""
        rowid = self.highlighted_rowid
        if rowid is not None:
            self.post_message(self.Selected(self, rowid, self.highlighted))

    async def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._pages.ids:
            return
        index = self.scroll_offset.y + offset.y
        if index >= len(self._pages.ids):
            return
        again = index == self._cursor
        self.move_cursor(index)
        if again or event.chain >= 2:
            self.action_select()
