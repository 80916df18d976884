"""Feed discovery: the feeds a web page names, then the usual places a site keeps one.

Pure: the page's bytes and URL in, candidate URLs out; nothing is fetched. The page's own
``<link rel="alternate">`` of a feed type come first, as browsers find them, in page order;
then the paths sites commonly serve a feed at. Only the first :data:`MAX_PAGE_BYTES` of a page
are read and at most :data:`MAX_LINKS` links kept, so a hostile page costs bounded time.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from biotui.plaintext import clean_text

MAX_PAGE_BYTES = 1024 * 1024
MAX_LINKS = 32
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)
"""The ``type`` of a ``<link rel="alternate">`` that names a feed (RSS, Atom, JSON Feed)."""
USUAL_PATHS = ("/feed", "/rss", "/rss.xml", "/atom.xml", "/index.xml", "/feed.xml", "/feed.json")
"""Where sites commonly serve their feed, tried in this order after the page's own links."""


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a page names: its absolute http(s) URL, its title (may be empty), its type."""

    url: str
    title: str
    type: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """What to try for a page, in order: the page's own ``links``, then the ``guesses``."""

    links: tuple[FeedLink, ...]
    guesses: tuple[str, ...]

    @property
    def candidates(self) -> tuple[str, ...]:
        """Every URL to try, the page's links first."""
        return (*(link.url for link in self.links), *self.guesses)


def discover(page: bytes, url: str) -> Discovery:
    """Return the feeds page ``page`` (fetched from ``url``) names, then the usual paths.

    Relative links are resolved against the page's ``<base href>`` (when it is http or
    https) or else ``url``; links that are not http or https are dropped; a URL named twice
    is kept once, where it first appears. Never raises on malformed markup.
    """
    found, page_base = _scan(page[:MAX_PAGE_BYTES])
    base = url
    if page_base is not None:
        joined = _absolute(url, page_base)
        if joined is not None:
            base = joined
    seen = {_key(url)}
    links: list[FeedLink] = []
    for href, title, kind in found:
        target = _absolute(base, href)
        if target is None or _key(target) in seen:
            continue
        seen.add(_key(target))
        links.append(FeedLink(target, title, kind))
    guesses: list[str] = []
    for path in USUAL_PATHS:
        target = _absolute(url, path)
        if target is not None and _key(target) not in seen:
            seen.add(_key(target))
            guesses.append(target)
    return Discovery(tuple(links), tuple(guesses))


def _scan(page: bytes) -> tuple[list[tuple[str, str, str]], str | None]:
    """The page's feed links (href, title, type) in order, and its first ``<base href>``.

    lxml's HTML parser, recovering from any markup, fetching nothing, expanding no entity.
    """
    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(page, parser)
    except (etree.LxmlError, ValueError):
        return [], None
    if root is None:
        return [], None
    links: list[tuple[str, str, str]] = []
    base: str | None = None
    for element in root.iter("link", "base"):
        href = str(element.get("href") or "").strip()
        if not href:
            continue
        if element.tag == "base":
            base = href if base is None else base
            continue
        rel = str(element.get("rel") or "").lower().split()
        kind = str(element.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in FEED_TYPES:
            links.append((href, clean_text(str(element.get("title") or ""))[:200], kind))
            if len(links) >= MAX_LINKS:
                break
    return links, base


def _absolute(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``, without fragment; None unless http(s) with a host."""
    try:
        parts = urlsplit(urljoin(base, href.strip()))
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    url = urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, parts.query, ""))
    if clean_text(url) != url or " " in url:
        return None
    return url


def _key(url: str) -> str:
    """Two URLs differing only in the case of scheme and host, or a trailing slash, are one."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))
