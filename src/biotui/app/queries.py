"""The store reads behind the main screen, as plain functions that thread workers run.

Nothing here imports textual (``biotui.cli`` starts the first read before Textual is
imported): each function takes the store (and the config) and returns plain values, raising
:class:`~biotui.errors.BiotuiError` when the store or the filter fails.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biotui.app.rowid_search import position
from biotui.app.scope import ALL, Count, Order, Scope
from biotui.app.story_rows import read_rows
from biotui.errors import BiotuiError, QueryError
from biotui.model import Config, Headline
from biotui.store import IndexQuery, Listing, MarkSelection, Store, SyncedFeed

if TYPE_CHECKING:
    from biotui.search import Highlighter

PAGE_SIZE = 200
"""Headline rows read from the store at once (the list's page, and the page read with a
new list so that the list can draw at once)."""

FIRST_ROWS = PAGE_SIZE
"""Rows a new list is shown with before the rest of it is read (:func:`read_rest`): one
page, since a filter's first rows are read newest first until this many are found."""

RANK_LIMIT = 20_000
"""Above this many matches the relevance order is not computed (bm25 costs time in proportion
to the matches); the list is then newest first and says so."""


@dataclass(frozen=True, slots=True)
class Headlines:
    """The ordered rowids of a view, with what the screen needs to describe them."""

    ids: array[int]
    highlighter: Highlighter | None
    """Marks what the filter matched (None without a text filter)."""
    scope_total: int | None
    """Articles in the scope without the filter (None when not counted)."""
    searched: bool
    """True when a text filter narrowed the view (so relevance order applies)."""
    ranked: bool = False
    """True when the ids are in relevance order."""
    rank_skipped: bool = False
    """True when relevance order was asked for but there were too many matches to rank."""
    page_no: int = 0
    """The page of ``ids`` whose rows come with them in ``rows``."""
    rows: list[Headline] | None = None
    """The headlines of page ``page_no``, read with the ids (None when not read)."""
    listed: int = 0
    """Articles the view holds, those folded under their story's row included."""
    complete: bool = True
    """False when ``ids`` are only the first rows (:func:`read_rest` lists them all)."""


def read_headlines(
    store: Store,
    filter_text: str,
    scope: Scope,
    order: Order,
    *,
    known_total: int | None = None,
    anchor: int | None = None,
    rank_limit: int = RANK_LIMIT,
    first_rows: int | None = None,
) -> Headlines:
    """Run ``filter_text`` within ``scope`` in ``order``, each story once.

    ``known_total`` is the number of articles in the store when the caller knows it, which
    saves a count. The rows of one page come back with the ids: the page holding the rowid
    ``anchor`` if it is listed (the article the cursor will stay on), else the first one.
    Relevance order is skipped (newest first instead) above ``rank_limit`` matches.
    ``first_rows``: only that many rows are listed (``Headlines.complete`` says whether that
    was all; :func:`read_rest` lists the whole view), so that a new list costs the same
    however many articles it holds. Raises :class:`QueryError` with the parser's message for
    a malformed filter (the caller keeps its last good list) and :class:`StoreError` when the
    store fails. The filter language is imported on the first filter, not at start.
    """
    view = _View.parse(filter_text, scope, order, rank_limit)
    listing = view.list(store, first_rows, counted=True)
    ids = listing.ids
    query = view.query
    listed = listing.listed or 0
    if query is None:
        scope_total: int | None = listed
    elif scope.kind == "muted":
        scope_total = store.article_count(muted=view.muted)
    elif scope.kind in ("feed", "tag"):
        scope_total = store.article_count(feed=scope.feed)
    elif scope.kind == "starred":
        scope_total = store.starred_count()[0]
    else:
        scope_total = known_total if known_total is not None else store.article_count()
    page_no = 0
    if anchor is not None:
        page_no = (position(ids, anchor) or 0) // PAGE_SIZE
    start = page_no * PAGE_SIZE
    rows = read_rows(store, ids[start : start + PAGE_SIZE]) if ids else []
    return Headlines(
        ids,
        view.highlighter,
        scope_total,
        query is not None,
        ranked=listing.ranked,
        rank_skipped=order == "relevance" and query is not None and not listing.ranked,
        page_no=page_no,
        rows=rows,
        listed=listed,
        complete=first_rows is None or len(ids) < first_rows,
    )


def read_rest(
    store: Store, filter_text: str, scope: Scope, order: Order, *, rank_limit: int = RANK_LIMIT
) -> array[int]:
    """Every row of the view :func:`read_headlines` listed the first rows of (same arguments),
    each story once."""
    return _View.parse(filter_text, scope, order, rank_limit).list(store, None).ids


@dataclass(frozen=True, slots=True)
class _View:
    """A filter within a scope in an order, parsed: what the store lists for it."""

    query: IndexQuery | None
    highlighter: Highlighter | None
    scope: Scope
    order: Order
    rank_limit: int
    muted: IndexQuery | bool

    @classmethod
    def parse(cls, filter_text: str, scope: Scope, order: Order, rank_limit: int) -> _View:
        """Raises :class:`QueryError` for a malformed filter."""
        result = None
        if filter_text.strip():
            from biotui.search import parse_filter

            result = parse_filter(filter_text)
        if result is not None and result.error is not None:
            raise QueryError(result.error)
        query = result.query if result is not None else None
        highlighter = result.highlighter if result is not None else None
        return cls(query, highlighter, scope, order, rank_limit, muted_by(scope))

    def list(self, store: Store, limit: int | None, *, counted: bool = False) -> Listing:
        """The view's rowids, folded (the first ``limit``; None: all); ``counted``: with how
        many articles it holds."""
        return store.list_ids(
            self.query,
            starred_only=self.scope.starred_only,
            feed=self.scope.feed,
            order=self.order if self.query is not None else "newest",
            rank_limit=self.rank_limit,
            muted=self.muted,
            limit=limit,
            folded=True,
            counted=counted,
        )


def muted_by(scope: Scope) -> IndexQuery | bool:
    """The store's ``muted`` argument for ``scope``: a mute rule's entry lists what its rule
    hides; every other entry leaves out what the rules hide (False)."""
    if scope.kind != "muted":
        return False
    from biotui.search import mute_queries

    rules = mute_queries([scope.query])
    return rules[0] if rules else True


def view_selection(filter_text: str, scope: Scope) -> MarkSelection:
    """The articles the list shows for ``filter_text`` within ``scope`` (as
    :func:`read_headlines` lists them), for marking them all at once. Raises
    :class:`QueryError` for a malformed filter."""
    query = None
    if filter_text.strip():
        from biotui.search import parse_filter

        result = parse_filter(filter_text)
        if result.error is not None:
            raise QueryError(result.error)
        query = result.query
    return MarkSelection(query=query, feed=scope.feed, starred_only=scope.starred_only)


class FirstHeadlines:
    """The first list, read in a thread of its own as soon as the store is open.

    ``biotui.cli`` starts it before importing Textual, so the first query runs while the
    interface is being imported and built: ``FirstHeadlines(store, filter_text)``, then
    ``BiotuiApp(..., first_headlines=it)``.
    """

    def __init__(
        self,
        store: Store,
        filter_text: str = "",
        *,
        first_page: Callable[[Store], None] | None = None,
    ) -> None:
        """Start reading every article (newest first) narrowed by ``filter_text``.

        ``first_page`` runs in the reading thread before the whole list is read, so that
        the start frame can read and draw the first page without waiting for it; it must
        not raise.
        """
        self.filter_text = filter_text
        self._first_page = first_page
        self._future: Future[Headlines] = Future()
        self._thread = threading.Thread(
            target=self._read, args=(store,), name="biotui-first-headlines", daemon=True
        )
        self._thread.start()

    def _read(self, store: Store) -> None:
        if self._first_page is not None:
            self._first_page(store)
        try:
            headlines = read_headlines(
                store, self.filter_text, ALL, "newest", first_rows=FIRST_ROWS
            )
        except BaseException as error:  # handed to whoever waits for the result
            self._future.set_exception(error)
            return
        self._future.set_result(headlines)

    def matches(self, filter_text: str, scope: Scope, order: Order) -> bool:
        """True when this read answers a request for ``filter_text`` in ``scope``/``order``."""
        return filter_text == self.filter_text and scope == ALL and order == "newest"

    def done(self) -> bool:
        """True when the list is read (or reading it failed)."""
        return self._future.done()

    def result(self) -> Headlines:
        """Wait for the list; raises what reading it raised."""
        return self._future.result()


def read_counts(
    store: Store, config: Config, synced: Sequence[SyncedFeed] = ()
) -> dict[Scope, Count]:
    """Every side panel entry counted whole (see :func:`biotui.app.panel_counts.read_counts`,
    which the panel calls with the counts it keeps)."""
    from biotui.app.panel_counts import read_counts as count_panel

    return count_panel(store, config, synced)


def synced_feeds(store: Store, config: Config) -> tuple[SyncedFeed, ...]:
    """The feeds the ``[sync]`` server listed at its last sync (none without ``[sync]``, or
    when the store cannot say: the panel then lists the configured feeds only)."""
    if config.sync is None:
        return ()
    try:
        return tuple(store.synced.feeds(config.sync.account))
    except BiotuiError:
        return ()
