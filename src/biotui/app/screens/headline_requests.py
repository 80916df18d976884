"""Which headline query runs, and which answers count.

One query runs at a time. A request made while one runs waits, and only the latest waiting
one runs next, so fast typing never piles up queries; the running query, now stale, is
interrupted in the store and its answer is dropped (:class:`QuerySuperseded` instead of
:class:`HeadlinesLoaded`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from textual.widget import Widget

from biotui.app import queries
from biotui.app.format import one_line
from biotui.app.messages import (
    FilterFailed,
    HeadlineRequest,
    HeadlinesLoaded,
    QuerySuperseded,
    RestOfList,
)
from biotui.app.queries import FirstHeadlines, Headlines, read_headlines, read_rest
from biotui.store import Store


def describe(failure: BaseException) -> str:
    """One line saying what went wrong."""
    return one_line(str(failure)) or repr(failure)


class HeadlineRequests:
    """Runs the headline queries of ``owner`` in thread workers, which post the answers to
    it: :class:`HeadlinesLoaded`, :class:`FilterFailed` or :class:`QuerySuperseded`. The
    owner calls :meth:`finished` when it receives any of them."""

    def __init__(
        self,
        owner: Widget,
        store: Store,
        *,
        first: FirstHeadlines | None,
        anchor: Callable[[], int | None],
        known_total: Callable[[], int | None],
    ) -> None:
        """``first`` is the first list, already being read; ``anchor`` gives the rowid
        the cursor is on (whose page comes with the answer); ``known_total`` the number
        of stored articles when known (it saves a count)."""
        self._owner = owner
        self._store = store
        self._first = first
        self._anchor = anchor
        self._known_total = known_total
        self._running = False
        self._pending: HeadlineRequest | None = None
        self._generation = 0
        """Bumped by every request: a running query of an older generation stops early."""

    def take_first(self, request: HeadlineRequest) -> Headlines | BaseException | None:
        """The first list if it is read already and answers ``request`` (or what reading
        it raised); the caller then shows it as if a query had answered, and calls
        :meth:`finished`. None: call :meth:`request` instead."""
        first = self._first
        if first is None or not first.done():
            return None
        if not first.matches(request.filter_text, request.scope, request.order):
            return None
        self._first = None
        self._running = True
        try:
            return first.result()
        except Exception as failure:  # shown like any failed query
            return failure

    def request(self, request: HeadlineRequest) -> None:
        """Load the list for ``request`` now, or after the running query."""
        self._generation += 1
        if self._running:
            pending = self._pending
            if pending is not None:
                request = replace(
                    request,
                    keep_rowid=request.keep_rowid or pending.keep_rowid,
                    to_top=request.to_top or pending.to_top,
                )
            self._pending = request
            return
        self._running = True
        self._start(request)

    def finished(self) -> None:
        """The running query answered: run the request that waited, if any."""
        self._running = False
        if self._pending is not None:
            request, self._pending = self._pending, None
            self._running = True
            self._start(request)

    def _start(self, request: HeadlineRequest) -> None:
        first, self._first = self._first, None
        if first is not None and not first.matches(
            request.filter_text, request.scope, request.order
        ):
            first = None
        anchor = None if request.to_top else request.keep_rowid or self._anchor()
        work = partial(self._run, request, self._generation, anchor, self._known_total(), first)
        self._owner.run_worker(
            work, thread=True, group="query", exit_on_error=False, description="headlines"
        )

    def _run(
        self,
        request: HeadlineRequest,
        generation: int,
        anchor: int | None,
        known_total: int | None,
        first: FirstHeadlines | None,
    ) -> None:
        """Run the query for ``request`` (or wait for ``first``, the same query started
        before the screen existed) and post the answer, or why it failed."""

        def superseded() -> bool:
            return generation != self._generation

        post = self._owner.post_message
        try:
            if first is not None:
                headlines = first.result()
            else:
                with self._store.interruptible(superseded):
                    headlines = read_headlines(
                        self._store,
                        request.filter_text,
                        request.scope,
                        request.order,
                        known_total=known_total,
                        anchor=anchor,
                        first_rows=queries.FIRST_ROWS,
                    )
        except Exception as failure:  # the list must stay usable whatever a query does
            if superseded():
                post(QuerySuperseded(request))
            else:
                post(FilterFailed(request, describe(failure)))
            return
        if superseded():
            post(QuerySuperseded(request))
        else:
            post(HeadlinesLoaded(request, headlines))

    def read_rest(self, request: HeadlineRequest, headlines: Headlines) -> None:
        """Read every row of the list just shown for ``request`` in a thread worker, if
        ``headlines`` held only its first rows; the worker posts :class:`RestOfList`, unless
        a newer request came first (which stops it)."""
        if headlines.complete:
            return
        generation = self._generation

        def superseded() -> bool:
            return generation != self._generation

        def work() -> None:
            try:
                with self._store.interruptible(superseded):
                    ids = read_rest(self._store, request.filter_text, request.scope, request.order)
            except Exception:  # a newer list, or a failing store: the first rows stay
                return
            if not superseded():
                self._owner.post_message(RestOfList(request, ids, generation))

        self._owner.run_worker(work, thread=True, group="rest", exclusive=True, exit_on_error=False)

    def is_current(self, generation: int) -> bool:
        """True when no request was made since the one of ``generation``."""
        return generation == self._generation
