"""``biotui add URL``: a feed, or the feed a web page names, into the configuration and store.

Everything is fetched and parsed before anything is written: a URL that yields no feed
changes nothing. The feed's first fetch is also its first refresh (its articles are stored
from the bytes already fetched), so adding from a page costs one page fetch and one feed fetch.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.cli.importing import BUILT_IN
from biotui.configwrite import ConfigWriteError, add_to_config, unique_name
from biotui.feedlist import ImportedFeed, url_key
from biotui.feedlist.urls import check_url
from biotui.model import Config
from biotui.plaintext import clean_text
from biotui.refresh.adding import (
    FoundFeed,
    NoFeedError,
    find_feed,
    first_articles,
    store_first_refresh,
)
from biotui.sources import FeedLink
from biotui.store import Store


@dataclass(frozen=True, slots=True)
class AddRequest:
    """What ``biotui add`` was asked: the URL, the name and tags to give, the feed to pick."""

    url: str
    name: str | None = None
    tags: tuple[str, ...] = ()
    pick: int | None = None


def add_feed(config: Config, store: Store, origin: str, request: AddRequest) -> int:
    """Find the feed ``request.url`` names, configure it and store its articles; exit status."""
    checked = check_url(request.url)
    if not checked.url:
        return _fail(f"{clean_text(request.url)[:200]}: {checked.problem}")
    configured = {url_key(feed.url): feed for feed in config.feeds if feed.url is not None}
    known = configured.get(url_key(checked.url))
    if known is not None:
        return _fail(f"already configured as {known.name}: {known.url}")
    try:
        found = find_feed(checked.url, timeout=config.settings.timeout, pick=request.pick)
    except NoFeedError as exc:
        _print_offered(exc.page_url, exc.offered, request.pick)
        return _fail(str(exc))
    _print_offered(found.page_url, found.offered, request.pick)
    known = configured.get(url_key(found.url))
    if known is not None:
        return _fail(f"already configured as {known.name}: {known.url}")
    wanted = clean_text(request.name or "") or found.title or checked.host
    name = unique_name(wanted, (feed.name for feed in config.feeds))
    tags = tuple(dict.fromkeys(tag for tag in (clean_text(tag) for tag in request.tags) if tag))
    try:
        written = add_to_config(
            config.path, ImportedFeed(name, found.url, tags), built_in=origin == BUILT_IN
        )
    except ConfigWriteError as exc:
        return _fail(str(exc), EXIT_ERROR)
    if written.copied:
        print(f"biotui: copied the built-in configuration to {written.target}, to add to it")
    for line in written.lines:
        print(line)
    print(f"written to {written.target}")
    return _store(store, name, found)


def _print_offered(page_url: str, links: tuple[FeedLink, ...], pick: int | None) -> None:
    """List the feeds a page offers, when it offers several, and say which is taken."""
    if len(links) <= 1:
        return
    print(f"{page_url} offers {len(links)} feeds:")
    for number, link in enumerate(links, 1):
        shown = f"{link.title} " if link.title else ""
        print(f"  {number}. {shown}{link.url}")
    if pick is None or pick <= len(links):
        print(f"taking {pick or 1}" + ("" if pick else " (choose another with --pick N)"))


def _store(store: Store, name: str, found: FoundFeed) -> int:
    """Store the articles already fetched, as the feed's first refresh."""
    parsed = first_articles(found, name)
    counts = store_first_refresh(store, name, found, parsed)
    for warning in parsed.warnings:
        print(f"{name}: {warning}")
    print(f"stored {counts.new} article{'' if counts.new == 1 else 's'} of {name}")
    return EXIT_OK


def _fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"biotui: {message}", file=sys.stderr)
    return status
