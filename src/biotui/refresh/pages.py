"""Fetching an article's page for its full text: fetch, extract, store, one line on failure.

:func:`fetch_page` fetches a page with the refresh's HTTP client (its deadline, redirects,
body cap and user agent) and extracts its main text (:func:`biotui.sources.extract_page`);
it never touches the store and never raises, so many can run in threads.
:func:`save_page` stores what one gave: the full text, or the failure counted for a retry.
:func:`fetch_full_text` does both for one article, as ``f`` in the app and ``show --full`` do.
"""

from __future__ import annotations

from dataclasses import dataclass

from biotui.errors import BiotuiError
from biotui.model import Article, Config, Feed
from biotui.plaintext import clean_text
from biotui.refresh.http import MAX_BODY_BYTES, HttpClient, fetch
from biotui.sources import PageText, extract_page
from biotui.store import Store

__all__ = [
    "MAX_PAGE_ATTEMPTS",
    "PAGE_ACCEPT",
    "PageOutcome",
    "PageRequest",
    "fetch_failure",
    "fetch_full_text",
    "fetch_page",
    "page_request",
    "save_page",
]

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
"""The ``Accept`` header of a page's request."""

MAX_PAGE_ATTEMPTS = 4
"""A page that failed is tried again at later refreshes until it has failed this many times
(the first try and three retries); ``f`` and ``show --full`` always try."""


@dataclass(frozen=True, slots=True)
class PageRequest:
    """One article's page to fetch: the article's public id, its link, and the deadline and
    User-Agent of its feed (None: biotui's own); its feed and title say which it is."""

    article: str
    url: str
    timeout: float
    user_agent: str | None = None
    feed: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What fetching one article's page came to: ``error`` is None when its full text was
    stored, else one line saying why there is none. During a refresh, ``done`` of ``total``
    pages are done with this one, and ``feed`` and ``title`` name the article."""

    article: str
    error: str | None = None
    feed: str = ""
    title: str = ""
    done: int = 0
    total: int = 0

    @property
    def ok(self) -> bool:
        """Whether the full text was stored."""
        return self.error is None


def page_request(config: Config, article: Article) -> PageRequest | None:
    """The request for ``article``'s page, with its feed's timeout and User-Agent; None when
    its link is not a web page (a local file's, or none)."""
    if not article.link.lower().startswith(("http://", "https://")):
        return None
    feed = next((f for f in config.feeds if f.name == article.feed), Feed(article.feed))
    timeout = config.settings.timeout if feed.timeout is None else feed.timeout
    return PageRequest(
        article.id, article.link, timeout, feed.user_agent, article.feed, article.title
    )


def fetch_page(client: HttpClient, request: PageRequest) -> PageText:
    """Fetch and extract ``request``'s page; any failure is a :class:`PageText` with a
    one-line ``reason`` (HTTP error, timed out, too large, not HTML, no article text)."""
    try:
        result = fetch(
            client,
            request.url,
            timeout=request.timeout,
            max_bytes=MAX_BODY_BYTES,
            user_agent=request.user_agent,
            accept=PAGE_ACCEPT,
        )
    except BiotuiError as exc:
        return fetch_failure(exc)
    return extract_page(result.body, result.url, result.content_type)


def fetch_failure(exc: BiotuiError) -> PageText:
    """A page whose fetch failed with ``exc``: its one-line reason."""
    return PageText(reason=clean_text(str(exc)) or "the page could not be fetched")


def save_page(store: Store, request: PageRequest, text: PageText) -> PageOutcome:
    """Store what ``request``'s page gave: its full text, or one more failure (a full text
    stored before stays). StoreError when the store refuses."""
    if text.ok:
        if store.full_texts.save(request.article, text.body, text.notes):
            return PageOutcome(request.article)
        return PageOutcome(request.article, "the article is no longer stored")
    store.full_texts.failed(request.article, text.reason)
    return PageOutcome(request.article, text.reason)


def fetch_full_text(
    config: Config, store: Store, article_id: str, *, client: HttpClient | None = None
) -> PageOutcome:
    """Fetch the page of the stored article ``article_id`` (again, if it was fetched before)
    and store its full text or the failure. The outcome's ``error`` says why there is none."""
    article = store.article(article_id)
    if article is None:
        return PageOutcome(article_id, "no such article")
    request = page_request(config, article)
    if request is None:
        return PageOutcome(article_id, "the article has no web page to fetch")
    if client is not None:
        return save_page(store, request, fetch_page(client, request))
    with HttpClient(maxsize=1) as own:
        return save_page(store, request, fetch_page(own, request))
