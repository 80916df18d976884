"""What arrived for each watchlist after a bookmark, and how the app says so.

A bookmark is the highest ``articles.rowid`` a reader has seen (see
:mod:`biotui.store.watchmarks`): an article stored later has a higher rowid, so a
watchlist's new matches are its matches above the bookmark, in the list's order (newest
first). Mute rules apply as in every listing.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from biotui.errors import StoreError
from biotui.model import Config
from biotui.plaintext import clean_text
from biotui.store import IndexQuery, Store

__all__ = [
    "APP",
    "CLI",
    "MAX_LISTED",
    "WatchNews",
    "Watchlist",
    "app_bookmarks",
    "count_after",
    "new_rowids",
    "news_since",
    "notice",
    "watchlists",
]

APP = "app"
"""The reader whose bookmark opening a watchlist in the app moves (the side panel's +N)."""

CLI = "cli"
"""The reader whose bookmark ``biotui list --search NAME --new`` moves (cron's, apart)."""

MAX_LISTED = 5
"""Watchlists named one per line in a notification about several."""


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A saved search ready to run: its name, its index query (None: every article) and
    whether a refresh bringing matches is also said on the desktop."""

    name: str
    query: IndexQuery | None
    notify: bool = False


@dataclass(frozen=True, slots=True)
class WatchNews:
    """New matches of one watchlist: how many, and the first one's headline (one line)."""

    name: str
    count: int
    headline: str
    notify: bool = False


def watchlists(config: Config) -> list[Watchlist]:
    """``config``'s saved searches as watchlists; one that does not parse is left out (the
    side panel shows its error)."""
    from biotui.search import parse_filter

    ready: list[Watchlist] = []
    for search in config.searches:
        result = parse_filter(search.query)
        if result.error is None:
            ready.append(Watchlist(search.name, result.query, search.notify))
    return ready


def new_rowids(
    store: Store, watchlist: Watchlist, after: int, upto: int | None = None
) -> array[int]:
    """The rowids of ``watchlist``'s matches stored after rowid ``after`` (and up to ``upto``,
    if given), newest first."""
    ids = store.headline_ids(watchlist.query)
    return array("q", (r for r in ids if r > after and (upto is None or r <= upto)))


def news_since(store: Store, lists: Sequence[Watchlist], after: int) -> list[WatchNews]:
    """The watchlists of ``lists`` with matches stored after rowid ``after`` (a refresh's
    start), in order, each with its count and first (newest) headline."""
    found: list[WatchNews] = []
    for watchlist in lists:
        rowids = new_rowids(store, watchlist, after)
        if rowids:
            first = store.headlines(rowids[:1])
            headline = clean_text(first[0].title) if first else ""
            found.append(WatchNews(watchlist.name, len(rowids), headline, watchlist.notify))
    return found


def app_bookmarks(store: Store, lists: Sequence[Watchlist]) -> dict[str, int]:
    """The app's bookmark of each of ``lists``. A watchlist the app has none of gets one now,
    at the newest article stored (so it starts at 0); a store that cannot be written (a
    read-only folder) starts none and counts from the newest article all the same."""
    names = [watchlist.name for watchlist in lists]
    try:
        return store.watch.start(APP, names)
    except StoreError:
        high = store.watch.high_water()
        return {name: high for name in names} | store.watch.bookmarks(APP)


def count_after(rowids: Sequence[int], after: int) -> int:
    """How many of ``rowids`` were stored after rowid ``after``."""
    return sum(1 for rowid in rowids if rowid > after)


def notice(news: Sequence[WatchNews]) -> tuple[str, str]:
    """The title and text of the notification saying what ``news`` holds: one watchlist by
    name with its first headline, or several, one per line (plain text, never markup)."""
    if len(news) == 1:
        only = news[0]
        return f"Watchlist {clean_text(only.name)}", f"{only.count:,} new: {only.headline}"
    lines = [
        f"{clean_text(item.name)}: {item.count:,} new — {item.headline}"
        for item in news[:MAX_LISTED]
    ]
    if len(news) > MAX_LISTED:
        lines.append(f"… and {len(news) - MAX_LISTED} more watchlists")
    return f"{len(news)} watchlists have new articles", "\n".join(lines)
