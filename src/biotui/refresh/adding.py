"""Finding the feed a URL names, and storing its first articles: the core of adding a feed.

``biotui add`` and the app's add dialog share it. Everything is fetched and parsed before
anything is written, so a URL that yields no feed changes nothing; the feed's first fetch is
also its first refresh (its articles are stored from the bytes already fetched).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from biotui.errors import SourceError
from biotui.model import FeedStatus, IngestCounts
from biotui.plaintext import clean_text
from biotui.refresh.http import FetchResult, HttpClient, fetch
from biotui.sources import FeedLink, FeedParseResult, discover, parse_feed
from biotui.store import Store


@dataclass(frozen=True, slots=True)
class FoundFeed:
    """A feed found: the URL to configure, what fetching it gave (body and validators), its
    title (may be empty), and the feeds the page offered (empty when the URL was a feed)."""

    url: str
    fetched: FetchResult
    title: str
    page_url: str
    offered: tuple[FeedLink, ...] = ()


class NoFeedError(Exception):
    """The URL yields no feed; the message is one line. ``page_url`` and ``offered`` say
    what the page named, when it was a page."""

    def __init__(self, message: str, page_url: str = "", offered: tuple[FeedLink, ...] = ()):
        super().__init__(message)
        self.page_url = page_url
        self.offered = offered


def find_feed(url: str, *, timeout: float, pick: int | None = None) -> FoundFeed:
    """The feed at ``url``, or the one the page at ``url`` names (``pick``: which of its
    links, from 1; else the first that is a feed). Raises :class:`NoFeedError`."""
    with HttpClient(maxsize=2) as client:
        return _find(client, url, timeout, pick)


def _find(client: HttpClient, url: str, timeout: float, pick: int | None) -> FoundFeed:
    try:
        page = fetch(client, url, timeout=timeout)
    except SourceError as exc:
        raise NoFeedError(f"{url}: {exc}") from None
    title = feed_title(page)
    if title is not None:
        if pick not in (None, 1):
            raise NoFeedError(f"{url} is a feed itself: there is nothing to pick")
        return FoundFeed(url, page, title, page.url)
    discovery = discover(page.body, page.url)
    links = discovery.links
    if pick is not None and pick > max(len(links), 1):
        raise NoFeedError(f"--pick {pick}: {url} names {len(links)} feed(s)", page.url, links)
    if pick is not None and links:
        candidates: tuple[str, ...] = (links[pick - 1].url,)
    else:
        candidates = discovery.candidates
    for candidate in candidates:
        try:
            fetched = fetch(client, candidate, timeout=timeout)
        except SourceError as exc:
            if pick is not None and links:
                raise NoFeedError(f"{candidate}: {exc}", page.url, links) from None
            continue
        title = feed_title(fetched)
        if title is not None:
            return FoundFeed(candidate, fetched, title, page.url, links)
        if pick is not None and links:
            raise NoFeedError(f"{candidate}: not a feed", page.url, links)
    message = f"{url}: no feed found (neither a feed nor a page naming one)"
    raise NoFeedError(message, page.url, links)


def feed_title(fetched: FetchResult) -> str | None:
    """The feed's title (may be empty) when ``fetched`` holds a feed, else None."""
    try:
        result = parse_feed(fetched.body, "", url=fetched.url, content_type=fetched.content_type)
    except SourceError:
        return None
    return clean_text(result.title)[:200]


def first_articles(found: FoundFeed, name: str) -> FeedParseResult:
    """The found feed's articles, as feed ``name``."""
    return parse_feed(
        found.fetched.body,
        name,
        url=found.fetched.url,
        content_type=found.fetched.content_type,
        known=frozenset(),
    )


def store_first_refresh(
    store: Store, name: str, found: FoundFeed, parsed: FeedParseResult
) -> IngestCounts:
    """Store the articles already fetched, with the fetch's validators, as the feed's first
    refresh."""
    checked = datetime.now(UTC)
    status = FeedStatus(
        name=name,
        location=found.url,
        etag=found.fetched.etag,
        last_modified=found.fetched.last_modified,
        last_checked=checked,
        last_success=checked,
    )
    return store.ingest(name, parsed.articles, status=status, source_hashes=parsed.source_hashes)
