"""The pages of ``full_text = true`` feeds, fetched after a refresh has stored their articles.

A few threads share one HTTP client; each host gets at most :data:`PAGES_PER_HOST` pages at
a time, so a feed of many articles on one site never floods it. Each page is fetched and read
(:func:`biotui.refresh.pages.fetch_page`) and its full text or failure stored at once, so the
app can show pages as they come. An article is taken while it has no full text and has failed
fewer than :data:`~biotui.refresh.pages.MAX_PAGE_ATTEMPTS` times: a page fetched once is not
fetched again, a failing one is retried at later refreshes up to that limit.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from urllib.parse import urlsplit

from biotui.errors import BiotuiError
from biotui.model import Config, Feed
from biotui.refresh.http import HttpClient
from biotui.refresh.pages import (
    MAX_PAGE_ATTEMPTS,
    PageOutcome,
    PageRequest,
    fetch_page,
    save_page,
)
from biotui.store import Store

__all__ = ["MAX_PAGES_PER_FEED", "PAGES_PER_HOST", "fetch_feed_pages"]

PAGES_PER_HOST = 2
"""Pages fetched at once from one host."""
MAX_PAGES_PER_FEED = 100
"""The newest articles of a feed whose pages one refresh fetches at most."""
_CANCEL_POLL_S = 0.1


def page_requests(config: Config, store: Store, feeds: Sequence[Feed]) -> list[PageRequest]:
    """The pages to fetch for ``feeds`` (those with ``full_text`` on), newest first per feed."""
    requests: list[PageRequest] = []
    for feed in feeds:
        if not feed.full_text:
            continue
        timeout = config.settings.timeout if feed.timeout is None else feed.timeout
        for page in store.full_texts.to_fetch(feed.name, MAX_PAGE_ATTEMPTS, MAX_PAGES_PER_FEED):
            requests.append(PageRequest(page.article, page.link, timeout, feed.user_agent))
    return requests


def fetch_feed_pages(
    config: Config,
    store: Store,
    feeds: Sequence[Feed],
    *,
    cancel: threading.Event | None = None,
) -> list[PageOutcome]:
    """Fetch and store the pages :func:`page_requests` names; one outcome per page done.

    Blocks until all are done, or soon after ``cancel`` is set (running exchanges are shut
    down; pages not fetched stay as they were).
    """
    requests = page_requests(config, store, feeds)
    if not requests:
        return []
    hosts = {_host(request.url): threading.Semaphore(PAGES_PER_HOST) for request in requests}
    stopped = cancel or threading.Event()

    def one(request: PageRequest) -> PageOutcome | None:
        with hosts[_host(request.url)]:
            if stopped.is_set():
                return None
            text = fetch_page(client, request)
        if stopped.is_set():
            return None
        try:
            return save_page(store, request, text)
        except BiotuiError as exc:  # the store refused: that page alone fails
            return PageOutcome(request.article, str(exc))

    threads = max(1, min(config.settings.concurrency, len(requests)))
    outcomes: list[PageOutcome] = []
    with HttpClient(maxsize=PAGES_PER_HOST) as client:
        pool = ThreadPoolExecutor(threads, thread_name_prefix="biotui-page")
        try:
            pending: set[Future[PageOutcome | None]] = {
                pool.submit(one, request) for request in requests
            }
            while pending:
                done, pending = wait(pending, _CANCEL_POLL_S, FIRST_COMPLETED)
                outcomes.extend(o for f in done if (o := f.result()) is not None)
                if stopped.is_set():
                    client.close()
                    break
        finally:
            pool.shutdown(wait=not stopped.is_set(), cancel_futures=True)
    return outcomes


def _host(url: str) -> str:
    try:
        return (urlsplit(url).netloc or url).lower()
    except ValueError:
        return url
