"""The headline list: a line-API ScrollView over the rowids of the current view.

It holds only the ordered rowids (``array('q')``) and fetches the rows it draws, a page of
``PAGE_SIZE`` at a time by rowid, through a small LRU page cache. Drawing 100,000 articles costs
what drawing one screenful does. Rows are built as rich ``Text`` from plain strings: feed text is
never parsed as markup. Words a filter matched are styled with ``headline-list--match`` from the
filter's highlighter; their spans are cached per title until the filter changes.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from biotui.app.format import fit, one_line, row_parts
from biotui.app.queries import PAGE_SIZE
from biotui.errors import BiotuiError
from biotui.model import Headline

if TYPE_CHECKING:
    from biotui.search import Highlighter

__all__ = ["PAGE_SIZE", "FetchHeadlines", "HeadlineList"]

MAX_PAGES = 50
"""Pages kept in the LRU cache (10,000 rows)."""
MAX_STRIPS = 500
"""Rendered rows kept."""
MAX_SPANS = 2_000
"""Titles whose match spans are kept for the current filter."""

FetchHeadlines = Callable[[Sequence[int]], list[Headline]]
"""Reads headline rows for rowids, in the order given (``Store.headlines``); it is called from
the event loop for rows on screen and from a worker thread to prefetch neighbouring pages, so it
must be thread-safe."""


@dataclass(frozen=True, slots=True)
class _RowKey:
    """Everything that changes the pixels of one row."""

    index: int
    headline: Headline | None
    width: int
    cursor: bool
    focused: bool


class HeadlineList(ScrollView, can_focus=True):
    """Headlines of the current view, newest first, one row each, with a cursor."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Move", key_display="j/k"),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "select", "Show"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "headline-list--cursor",
        "headline-list--unread",
        "headline-list--marker",
        "headline-list--star",
        "headline-list--date",
        "headline-list--source",
        "headline-list--empty",
        "headline-list--match",
    }

    DEFAULT_CSS = """
    HeadlineList {
        overflow-x: hidden;
        /* Always there: a filter that empties or fills the list then costs one layout, not
           a second one for the scrollbar coming or going (and every row drawn again, at
           the new width). */
        overflow-y: scroll;
        & > .headline-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .headline-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .headline-list--unread { text-style: bold; }
        & > .headline-list--marker { color: $accent; }
        & > .headline-list--star { color: $warning; }
        & > .headline-list--date { color: $text-muted; }
        & > .headline-list--source { color: $text-secondary; }
        & > .headline-list--empty { color: $text-muted; text-style: italic; }
        & > .headline-list--match { color: $text-warning; text-style: bold underline; }
    }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another article (``rowid`` is None when the list is empty)."""

        headline_list: HeadlineList
        rowid: int | None
        headline: Headline | None
        by_person: bool = True
        """False when the list moved the cursor itself (new rows, a new filter)."""

        @property
        def control(self) -> HeadlineList:
            """The list that sent the message."""
            return self.headline_list

    @dataclass
    class Selected(Message):
        """The person asked to read the article under the cursor (Enter or a second click)."""

        headline_list: HeadlineList
        rowid: int
        headline: Headline | None

        @property
        def control(self) -> HeadlineList:
            """The list that sent the message."""
            return self.headline_list

    @dataclass
    class FetchFailed(Message):
        """Reading headline rows from the store failed."""

        headline_list: HeadlineList
        error: str

        @property
        def control(self) -> HeadlineList:
            """The list that sent the message."""
            return self.headline_list

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
        self._ids: array[int] = array("q")
        self._pages: OrderedDict[int, list[Headline | None]] = OrderedDict()
        self._strips: OrderedDict[_RowKey, Strip] = OrderedDict()
        self._cursor = 0
        self._last_rowid: int | None = None
        self._fetch_failed = False
        self._generation = 0
        """Bumped whenever the ids change, so late prefetches of an old list are dropped."""
        self._prefetching: set[int] = set()
        self._empty_text = "Loading…"
        self._now = datetime.now().astimezone()
        self._highlighter: Highlighter | None = None
        self._base_style: Style | None = None
        self._row_styles: dict[tuple[bool, bool], dict[str, Style]] = {}
        """``row_styles`` by (cursor's row, list focused), until the styles change."""
        self._spans: OrderedDict[str, list[tuple[int, int]]] = OrderedDict()
        """Match spans per displayed title, for the current highlighter."""

    # -- state -------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Number of articles in the list."""
        return len(self._ids)

    @property
    def cursor(self) -> int:
        """Index of the highlighted row (0 when the list is empty)."""
        return self._cursor

    @property
    def highlighted_rowid(self) -> int | None:
        """The rowid under the cursor, or None when the list is empty."""
        return self._ids[self._cursor] if self._ids else None

    @property
    def highlighted(self) -> Headline | None:
        """The headline under the cursor, fetched if needed."""
        return self.headline_at(self._cursor) if self._ids else None

    @property
    def empty_text(self) -> str:
        """What the list says when it has no rows."""
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str) -> None:
        self._empty_text = text
        if not self._ids:
            self.refresh()

    @property
    def highlighter(self) -> Highlighter | None:
        """What marks the filter's matches in titles (None: nothing is marked)."""
        return self._highlighter

    def set_ids(
        self,
        ids: array[int],
        *,
        keep_rowid: int | None = None,
        highlighter: Highlighter | None = None,
        to_top: bool = False,
        page: tuple[int, list[Headline]] | None = None,
    ) -> None:
        """Show ``ids`` (rowids, in display order), keeping the cursor on the same article.

        The cursor stays on ``keep_rowid`` (default: the highlighted article) if it is still in
        the list, at the same height on screen; otherwise, or with ``to_top``, it goes to the
        top. ``highlighter`` marks the words the filter matched. ``page`` is a page number and
        its rows, read with the ids, so that drawing them needs no query.
        """
        old_rowid = keep_rowid if keep_rowid is not None else self.highlighted_rowid
        if old_rowid is None:
            old_rowid = self._last_rowid
        old_screen_row = self._cursor - self.scroll_offset.y
        if to_top:
            old_rowid = None
        self._ids = ids
        self._generation += 1
        self._prefetching.clear()
        self._pages.clear()
        self._strips.clear()
        if highlighter is not self._highlighter:
            self._highlighter = highlighter
            self._spans.clear()
        self._fetch_failed = False
        if page is not None:
            self._cache_page(*page)
        self._now = datetime.now().astimezone()
        self.virtual_size = Size(0, len(ids))
        new_cursor = 0
        if old_rowid is not None:
            try:
                new_cursor = ids.index(old_rowid)
            except ValueError:
                new_cursor = 0
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

    def headline_at(self, index: int) -> Headline | None:
        """The headline at row ``index``, fetched from the store (a page at once) if needed."""
        if not 0 <= index < len(self._ids):
            return None
        page_no = index // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page[index - page_no * PAGE_SIZE]

    def update_headline(
        self, rowid: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Change the read or starred marker of ``rowid`` in the cached rows and redraw it."""
        for page_no, page in self._pages.items():
            for offset, headline in enumerate(page):
                if headline is not None and headline.rowid == rowid:
                    changed = replace(
                        headline,
                        read=headline.read if read is None else read,
                        starred=headline.starred if starred is None else starred,
                    )
                    page[offset] = changed
                    self.refresh_line(page_no * PAGE_SIZE + offset)
                    return

    def _page_rowids(self, page_no: int) -> array[int]:
        start = page_no * PAGE_SIZE
        return self._ids[start : start + PAGE_SIZE]

    def _load_page(self, page_no: int) -> list[Headline | None]:
        """Fetch a page on screen now (a few ms: one ``rowid IN (...)`` query) and cache it."""
        rows: list[Headline] = []
        try:
            rows = self._fetch(self._page_rowids(page_no))
        except BiotuiError as error:
            if not self._fetch_failed:
                self._fetch_failed = True
                self.post_message(self.FetchFailed(self, str(error)))
        return self._cache_page(page_no, rows)

    def _cache_page(self, page_no: int, rows: list[Headline]) -> list[Headline | None]:
        """Store ``rows`` as page ``page_no``; rows the store no longer has stay None."""
        by_rowid = {headline.rowid: headline for headline in rows}
        page: list[Headline | None] = [by_rowid.get(rowid) for rowid in self._page_rowids(page_no)]
        self._pages[page_no] = page
        self._pages.move_to_end(page_no)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _prefetch_around_view(self) -> None:
        """Have a thread read the pages half a page above and below the view, if not cached."""
        top = self.scroll_offset.y
        bottom = top + max(1, self.scrollable_content_region.height)
        on_screen = range(top // PAGE_SIZE, (bottom - 1) // PAGE_SIZE + 1)
        for y in (top - PAGE_SIZE // 2, bottom + PAGE_SIZE // 2):
            page_no = y // PAGE_SIZE
            if y < 0 or page_no * PAGE_SIZE >= len(self._ids) or page_no in on_screen:
                continue  # out of the list, or drawn (and so read) right now
            if page_no in self._pages or page_no in self._prefetching:
                continue
            self._prefetching.add(page_no)
            self._prefetch(self._generation, page_no, self._page_rowids(page_no))

    @work(thread=True, group="headline-prefetch", exit_on_error=False)
    def _prefetch(self, generation: int, page_no: int, rowids: array[int]) -> None:
        """Read one page in a worker thread and hand it to the list."""
        try:
            rows = self._fetch(rowids)
        except BiotuiError:
            return  # the page is read again, with error reporting, when it comes on screen
        self.post_message(self._PageRead(generation, page_no, rows))

    def _on_headline_list__page_read(self, message: _PageRead) -> None:
        if message.generation != self._generation:
            return
        self._prefetching.discard(message.page_no)
        if message.page_no not in self._pages:
            self._cache_page(message.page_no, message.rows)

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

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh_line(self._cursor)

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh_line(self._cursor)

    def render_line(self, y: int) -> Strip:
        """Draw the row at screen line ``y``."""
        index = self.scroll_offset.y + y
        width = self.scrollable_size.width  # the scrollbar covers the rest
        base = self._base
        if not self._ids:
            if index == 0 and self._empty_text:
                style = base + self.get_component_rich_style("headline-list--empty")
                text = Text(" " + fit(one_line(self._empty_text), max(0, width - 1)), style=style)
                return self._to_strip(text, width, base)
            return Strip.blank(width, base)
        if index >= len(self._ids):
            return Strip.blank(width, base)
        key = _RowKey(
            index,
            self.headline_at(index),
            width,
            index == self._cursor,
            self.has_focus and index == self._cursor,
        )
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(key)
            self._strips[key] = strip
            while len(self._strips) > MAX_STRIPS:
                self._strips.popitem(last=False)
        else:
            self._strips.move_to_end(key)
        return strip

    def _to_strip(self, text: Text, width: int, base: Style) -> Strip:
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, base).simplify()

    def _render_row(self, key: _RowKey) -> Strip:
        """Build one row: unread ● · star ★ · date · source · title, all plain text.

        Segments are built directly (each part is already cut to its cells), which is several
        times faster than rendering a rich ``Text``: a screenful after each keystroke counts.
        """
        width = key.width
        headline = key.headline
        styles = self.row_styles(cursor=key.cursor)
        if headline is None:
            return Strip([Segment(fit("   …", width), styles["base"])], width)
        parts = row_parts(headline, width, now=self._now)
        title_style = styles["unread" if parts.unread else "title"]
        segments = [
            Segment(parts.marker, styles["marker"]),
            Segment(parts.star, styles["star"]),
            Segment(parts.date, styles["date"]),
            Segment(parts.source, styles["source"]),
        ]
        shown = parts.title
        position = 0
        for start, end in self._match_spans(parts.full_title):
            if start >= parts.title_visible:
                break
            end = min(end, parts.title_visible)
            if start > position:
                segments.append(Segment(shown[position:start], title_style))
            segments.append(
                Segment(
                    shown[start:end], styles["match:" + ("unread" if parts.unread else "title")]
                )
            )
            position = end
        segments.append(Segment(shown[position:], title_style))
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
        base = self._base
        cursor_style = self.get_component_rich_style("headline-list--cursor") if cursor else None
        unread = self.get_component_rich_style("headline-list--unread")
        match = self._match_style
        parts: dict[str, Style | None] = {
            "base": None,
            "marker": self._marker_style,
            "star": self._star_style,
            "date": self._date_style,
            "source": self._source_style,
            "title": None,
            "unread": unread,
            "match:title": match,
            "match:unread": unread + match,
        }
        styles: dict[str, Style] = {}
        for name, part in parts.items():
            combined = base if part is None else base + part
            styles[name] = combined if cursor_style is None else combined + cursor_style
        self._row_styles[key] = styles
        return styles

    def _match_spans(self, title: str) -> list[tuple[int, int]]:
        """Where the filter matched ``title`` (cached per title until the filter changes)."""
        if self._highlighter is None:
            return []
        spans = self._spans.get(title)
        if spans is None:
            spans = self._highlighter.spans(title)
            self._spans[title] = spans
            while len(self._spans) > MAX_SPANS:
                self._spans.popitem(last=False)
        return spans

    @property
    def _marker_style(self) -> Style:
        return self.get_component_rich_style("headline-list--marker")

    @property
    def _star_style(self) -> Style:
        return self.get_component_rich_style("headline-list--star")

    @property
    def _date_style(self) -> Style:
        return self.get_component_rich_style("headline-list--date")

    @property
    def _source_style(self) -> Style:
        return self.get_component_rich_style("headline-list--source")

    @property
    def _match_style(self) -> Style:
        return self.get_component_rich_style("headline-list--match")

    # -- moving ------------------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped), scroll it into view and announce it."""
        if not self._ids:
            return
        index = max(0, min(index, len(self._ids) - 1))
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
        if self._ids:
            self._last_rowid = self.highlighted_rowid
        self.post_message(
            self.Highlighted(self, self.highlighted_rowid, self.highlighted, by_person)
        )

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        """Move to the next (older) headline."""
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Move to the previous (newer) headline."""
        self.move_cursor(self._cursor - 1)

    def action_page_down(self) -> None:
        """Move down one screenful."""
        self.move_cursor(self._cursor + self._page_rows())

    def action_page_up(self) -> None:
        """Move up one screenful."""
        self.move_cursor(self._cursor - self._page_rows())

    def action_first(self) -> None:
        """Move to the newest headline."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """Move to the oldest headline."""
        self.move_cursor(len(self._ids) - 1)

    def action_select(self) -> None:
        """Ask to read the highlighted article."""
        rowid = self.highlighted_rowid
        if rowid is not None:
            self.post_message(self.Selected(self, rowid, self.highlighted))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._ids:
            return
        index = self.scroll_offset.y + offset.y
        if index >= len(self._ids):
            return
        again = index == self._cursor
        self.move_cursor(index)
        if again or event.chain >= 2:
            self.action_select()
