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
from biotui.configwrite import ConfigWriteError
from biotui.model import Config
from biotui.refresh.adding import NoFeedError, find_feed
from biotui.refresh.newfeed import AddRefused, NotStored, add_found, check_new_url, new_feed
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
    try:
        checked = check_new_url(config, request.url)
    except AddRefused as exc:
        return _fail(str(exc))
    try:
        found = find_feed(checked.url, timeout=config.settings.timeout, pick=request.pick)
    except NoFeedError as exc:
        _print_offered(exc.page_url, exc.offered, request.pick)
        return _fail(str(exc))
    _print_offered(found.page_url, found.offered, request.pick)
    try:
        feed = new_feed(
            config, found, host=checked.host, name=request.name or "", tags=request.tags
        )
        added = add_found(config, store, feed, found, built_in=origin == BUILT_IN)
    except NotStored as exc:
        return _fail(str(exc), EXIT_ERROR)
    except AddRefused as exc:
        return _fail(str(exc))
    except ConfigWriteError as exc:
        return _fail(str(exc), EXIT_ERROR)
    written = added.written
    if written.copied:
        print(f"biotui: copied the built-in configuration to {written.target}, to add to it")
    for line in written.lines:
        print(line)
    print(f"written to {written.target}")
    for warning in added.warnings:
        print(f"{added.name}: {warning}")
    print(f"stored {added.stored} article{'' if added.stored == 1 else 's'} of {added.name}")
    return EXIT_OK


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


def _fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"biotui: {message}", file=sys.stderr)
    return status
