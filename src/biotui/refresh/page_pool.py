"""The pages of ``full_text = true`` feeds, fetched once a refresh has stored their articles.

Fetching threads download the pages (each host at most :data:`PAGES_PER_HOST` at a time,
the hosts taken in turn, each page under its feed's deadline and the body cap) into spool
files; the refresh's parse pool extracts their main text in its worker processes, so the
refreshing process (in the app, the one answering keys) only waits on the network; the
refresh's one writer stores each full text or failure. A bounded number of pages is on its
way at once, from the start of its download until it is stored.

An article is taken while it has no full text and has failed fewer than
:data:`~biotui.refresh.pages.MAX_PAGE_ATTEMPTS` times: a page fetched once is not fetched
again, a failing one is retried at later refreshes up to that limit.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from biotui.errors import SourceError
from biotui.model import Config, Feed
from biotui.plaintext import clean_text
from biotui.refresh.http import MAX_BODY_BYTES, HttpClient, fetch
from biotui.refresh.page_writes import PageFetched
from biotui.refresh.pages import (
    MAX_PAGE_ATTEMPTS,
    PAGE_ACCEPT,
    PageOutcome,
    PageRequest,
    fetch_failure,
)
from biotui.refresh.pool import ParsePool
from biotui.refresh.spool import Download, spool_error
from biotui.refresh.tasks import PageTask, Result, Unreadable
from biotui.refresh.writer import Writer
from biotui.sources.pagetext import PageText
from biotui.store import Store

__all__ = [
    "MAX_PAGES_PER_FEED",
    "PAGES_PER_HOST",
    "PageCallback",
    "PagePhase",
    "page_requests",
]

PAGES_PER_HOST = 2
"""Pages fetched at once from one host."""
MAX_PAGES_PER_FEED = 100
"""The newest articles of a feed whose pages one refresh fetches at most."""
_POLL_S = 0.1
"""How often the waiting threads look whether the refresh is stopping."""

PageCallback = Callable[[PageOutcome], None]
"""Called with each page's outcome, in the refreshing thread, as it is stored."""


def page_requests(config: Config, store: Store, feeds: Sequence[Feed]) -> list[PageRequest]:
    """The pages to fetch for ``feeds`` (those with ``full_text`` on), newest first per
    feed, the hosts taken in turn (so that no host waits behind another's pages)."""
    by_host: dict[str, list[PageRequest]] = {}
    for feed in feeds:
        if not feed.full_text:
            continue
        timeout = config.settings.timeout if feed.timeout is None else feed.timeout
        for page in store.full_texts.to_fetch(feed.name, MAX_PAGE_ATTEMPTS, MAX_PAGES_PER_FEED):
            request = PageRequest(
                page.article, page.link, timeout, feed.user_agent, feed.name, page.title
            )
            by_host.setdefault(_host(page.link), []).append(request)
    turns = [iter(requests) for requests in by_host.values()]
    ordered: list[PageRequest] = []
    while turns:
        for turn in list(turns):
            following = next(turn, None)
            if following is None:
                turns.remove(turn)
            else:
                ordered.append(following)
    return ordered


@dataclass(frozen=True, slots=True)
class _Parts:
    """What the page phase borrows from its refresh."""

    client: HttpClient
    pool: ParsePool
    writer: Writer
    spool_file: Callable[[], Path]


class PagePhase:
    """Fetches ``requests`` with the refresh's client, pool, writer and spool; the writer
    reports each stored page into ``stored``."""

    def __init__(
        self,
        requests: Sequence[PageRequest],
        stored: queue.SimpleQueue[PageOutcome],
        *,
        client: HttpClient,
        pool: ParsePool,
        writer: Writer,
        spool_file: Callable[[], Path],
        threads: int,
    ) -> None:
        self._requests = list(requests)
        self._stored = stored
        self._parts = _Parts(client, pool, writer, spool_file)
        self._todo: queue.SimpleQueue[PageRequest] = queue.SimpleQueue()
        self._hosts = {_host(r.url): threading.Semaphore(PAGES_PER_HOST) for r in requests}
        self._threads = max(1, min(threads, PAGES_PER_HOST * len(self._hosts), len(requests)))
        self._ahead = threading.Semaphore(self._threads + 2 * pool.workers)
        """Pages on their way, from the start of the download until stored."""
        self._stopping = threading.Event()

    def run(
        self, cancel: threading.Event | None = None, on_page: PageCallback | None = None
    ) -> list[PageOutcome] | None:
        """Fetch every page and wait until each is stored; the outcomes, or None when
        ``cancel`` was set first (the pages not stored stay as they were)."""
        for request in self._requests:
            self._todo.put(request)
        for number in range(self._threads):
            name = f"biotui-page-{number}"
            threading.Thread(target=self._work, name=name, daemon=True).start()
        outcomes: list[PageOutcome] = []
        total = len(self._requests)
        try:
            while len(outcomes) < total:
                if cancel is not None and cancel.is_set():
                    return None
                try:
                    outcome = self._stored.get(timeout=_POLL_S)
                except queue.Empty:
                    continue
                self._ahead.release()
                outcome = replace(outcome, done=len(outcomes) + 1, total=total)
                outcomes.append(outcome)
                if on_page is not None:
                    on_page(outcome)
        finally:
            self._stopping.set()
        return outcomes

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                request = self._todo.get_nowait()
            except queue.Empty:
                return
            try:
                self._one(request)
            except Exception as exc:  # even a bug is this page's one-line failure
                reason = clean_text(f"{type(exc).__name__}: {exc}")[:300]
                self._parts.writer.put(PageFetched(request, PageText(reason=reason)))

    def _one(self, request: PageRequest) -> None:
        """Download ``request``'s page and hand it to the pool (a failure: to the writer)."""
        parts = self._parts
        host = self._hosts[_host(request.url)]
        if not self._acquire(host):
            return
        try:
            if not self._acquire(self._ahead):
                return
            sink = Download(parts.spool_file, "page")
            try:
                result = fetch(
                    parts.client,
                    request.url,
                    timeout=request.timeout,
                    max_bytes=MAX_BODY_BYTES,
                    sink=sink,
                    user_agent=request.user_agent,
                    accept=PAGE_ACCEPT,
                )
                sink.close()
            except (SourceError, OSError) as exc:
                sink.delete()
                if not self._stopping.is_set():  # cut short by the refresh's end: not failed
                    text = (
                        fetch_failure(exc)
                        if isinstance(exc, SourceError)
                        else PageText(reason=spool_error(exc, "page"))
                    )
                    parts.writer.put(PageFetched(request, text))
                return
        finally:
            host.release()
        body = None if sink.path is None else str(sink.path)
        task = PageTask(request.article, result.url, result.content_type, body)

        def extracted(result: Result) -> None:
            sink.delete()
            parts.writer.put(PageFetched(request, _page_text(result), parsed=True))

        parts.pool.submit(task, extracted)

    def _acquire(self, semaphore: threading.Semaphore) -> bool:
        """Take ``semaphore``; False when the refresh stops meanwhile."""
        while not semaphore.acquire(timeout=_POLL_S):
            if self._stopping.is_set():
                return False
        if self._stopping.is_set():
            semaphore.release()
            return False
        return True


def _page_text(result: Result) -> PageText:
    """What the pool's answer says of a page."""
    if isinstance(result, PageText):
        return result
    if isinstance(result, Unreadable):
        return PageText(reason=result.message)
    return PageText(reason="not a readable page")


def _host(url: str) -> str:
    try:
        return (urlsplit(url).netloc or url).lower()
    except ValueError:
        return url
