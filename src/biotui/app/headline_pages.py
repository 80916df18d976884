"""The rows behind the headline list: its rowids, and their headlines read a page at a time.

The list holds only the ordered rowids (an ``array`` of integers); the headlines it draws are
read by rowid, a page of ``PAGE_SIZE`` at once, and kept in a small LRU cache, so a list of any
length costs what one screenful does. Nothing here imports Textual.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace

from biotui.app.queries import PAGE_SIZE
from biotui.errors import BiotuiError
from biotui.model import Headline

MAX_PAGES = 50
"""Pages kept in the cache."""

FetchHeadlines = Callable[[Sequence[int]], list[Headline]]
"""Reads headline rows for rowids, in the order given (``Store.headlines``); it is called from
the event loop for rows on screen and from a worker thread to prefetch neighbouring pages, so it
must be thread-safe."""


class HeadlinePages:
    """The rowids of one list at a time, and a cache of their headlines by page."""

    def __init__(self, fetch: FetchHeadlines, on_error: Callable[[str], None]) -> None:
        """Read rows with ``fetch``; ``on_error`` hears the first failure to read a page
        of each list (rows that could not be read show as ``None``)."""
        self._fetch = fetch
        self._on_error = on_error
        self.ids: array[int] = array("i")
        self.generation = 0
        """Bumped whenever the ids change, so that late pages of an old list are dropped."""
        self._pages: OrderedDict[int, list[Headline | None]] = OrderedDict()
        self._prefetching: set[int] = set()
        self._failed = False

    def __len__(self) -> int:
        return len(self.ids)

    def reset(
        self,
        ids: array[int],
        page: tuple[int, list[Headline]] | None = None,
        *,
        added: Sequence[Headline] | None = None,
    ) -> None:
        """Hold ``ids`` from now on; ``page`` is a page number and its rows, read with them.
        ``added``: ``ids`` are the rows held, rearranged, and these rows (a story unfolded or
        folded), so each cached page whose rows are all known stays (nothing is read again)."""
        cached: list[int] = []  # the pages to keep if their rows are known, in order of use
        known: dict[int, Headline] = {}
        if added is not None:
            cached = list(self._pages)
            known = {row.rowid: row for rows in self._pages.values() for row in rows if row}
            known.update((row.rowid, row) for row in added)
        self.ids = ids
        self.generation += 1
        self._prefetching.clear()
        self._pages.clear()
        self._failed = False
        if page is not None:
            self.add(*page)
        for page_no in cached:
            rowids = self.rowids(page_no)
            if rowids and all(rowid in known for rowid in rowids):
                self.add(page_no, [known[rowid] for rowid in rowids])

    def extend(self, ids: array[int]) -> bool:
        """Hold ``ids`` if they begin with the ids held (the rest of a list shown by its first
        rows), keeping the pages read (but a last one not full); False, and nothing changed,
        otherwise."""
        held = len(self.ids)
        if len(ids) < held or ids[:held] != self.ids:
            return False
        self.ids = ids
        if held % PAGE_SIZE:
            self._pages.pop(held // PAGE_SIZE, None)
            self._prefetching.discard(held // PAGE_SIZE)
        return True

    def rowids(self, page_no: int) -> array[int]:
        """The rowids of page ``page_no``."""
        start = page_no * PAGE_SIZE
        return self.ids[start : start + PAGE_SIZE]

    def headline(self, index: int) -> Headline | None:
        """The headline at ``index``, read now (with its page) if not cached."""
        if not 0 <= index < len(self.ids):
            return None
        page_no = index // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            rows: list[Headline] = []
            try:
                rows = self._fetch(self.rowids(page_no))
            except BiotuiError as error:
                if not self._failed:
                    self._failed = True
                    self._on_error(str(error))
            page = self.add(page_no, rows)
        else:
            self._pages.move_to_end(page_no)
        return page[index - page_no * PAGE_SIZE]

    def add(self, page_no: int, rows: list[Headline]) -> list[Headline | None]:
        """Cache ``rows`` as page ``page_no``; rows the store no longer has stay None."""
        by_rowid = {headline.rowid: headline for headline in rows}
        page: list[Headline | None] = [by_rowid.get(rowid) for rowid in self.rowids(page_no)]
        self._pages[page_no] = page
        self._pages.move_to_end(page_no)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def prefetched(self, generation: int, page_no: int, rows: list[Headline]) -> None:
        """A page read ahead arrived (for the list of ``generation``)."""
        if generation != self.generation:
            return
        self._prefetching.discard(page_no)
        if page_no not in self._pages:
            self.add(page_no, rows)

    def to_prefetch(self, top: int, bottom: int) -> list[int]:
        """The pages to read ahead for a view of rows ``top`` to ``bottom``: those half a
        page above and below it, unless cached, being read, or on screen (drawing reads
        those); they count as being read from now on."""
        on_screen = range(top // PAGE_SIZE, (bottom - 1) // PAGE_SIZE + 1)
        wanted = []
        for y in (top - PAGE_SIZE // 2, bottom + PAGE_SIZE // 2):
            page_no = y // PAGE_SIZE
            if y < 0 or page_no * PAGE_SIZE >= len(self.ids) or page_no in on_screen:
                continue
            if page_no in self._pages or page_no in self._prefetching:
                continue
            self._prefetching.add(page_no)
            wanted.append(page_no)
        return wanted

    def update(self, rowid: int, *, read: bool | None, starred: bool | None) -> int | None:
        """Change the flags of ``rowid`` in the cached rows; its index, if cached."""
        for page_no, page in self._pages.items():
            for offset, headline in enumerate(page):
                if headline is not None and headline.rowid == rowid:
                    page[offset] = replace(
                        headline,
                        read=headline.read if read is None else read,
                        starred=headline.starred if starred is None else starred,
                    )
                    return page_no * PAGE_SIZE + offset
        return None
