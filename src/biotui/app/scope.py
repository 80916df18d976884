"""What the headline list can show: every article, the starred ones, a saved search, a feed,
the feeds of a tag, or what a mute rule hides.

Plain data for the side panel and the main screen; nothing here imports textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from biotui.model import Config
from biotui.store import SyncedFeed

ScopeKind = Literal["all", "starred", "search", "feed", "tag", "muted"]
Order = Literal["newest", "relevance"]


@dataclass(frozen=True, slots=True)
class Scope:
    """One entry of the side panel: which articles the list starts from.

    ``name`` is the saved search's, the feed's, the tag's or the mute rule's name; ``query``
    the saved search's filter or the mute rule's; ``feeds`` a tag's feeds. ``synced`` says
    a feed's articles come from the ``[sync]`` server; it is not part of the entry's
    identity (a feed is its name).
    """

    kind: ScopeKind = "all"
    name: str = ""
    query: str = ""
    feeds: tuple[str, ...] = ()
    synced: bool = field(default=False, compare=False)

    @property
    def label(self) -> str:
        """What the panel and the status line call it."""
        if self.kind == "all":
            return "All articles"
        if self.kind == "starred":
            return "Starred"
        return self.name

    @property
    def feed(self) -> str | tuple[str, ...] | None:
        """The feed the list is limited to (a tuple of them for a tag), if any."""
        if self.kind == "feed":
            return self.name
        return self.feeds if self.kind == "tag" else None

    @property
    def starred_only(self) -> bool:
        """True when only starred articles are listed."""
        return self.kind == "starred"


ALL = Scope()
"""Every article in the store."""
STARRED = Scope("starred")
"""The starred articles."""


@dataclass(frozen=True, slots=True)
class Count:
    """The numbers the side panel shows for one scope.

    ``unread`` is None when it could not be counted (then ``error`` says why).
    """

    unread: int | None = None
    total: int | None = None
    error: str | None = None
    """A saved search that does not parse, or the feed's last refresh error."""
    new: int | None = None
    """A saved search's matches stored since the app last opened it (a watchlist's +N)."""
    trend: tuple[int, ...] = ()
    """A saved search's matches per day over the last days, oldest first (its sparkline)."""


def feed_tags(config: Config, synced: Sequence[SyncedFeed] = ()) -> dict[str, tuple[str, ...]]:
    """Each feed's tags by its name: the configured feeds in order, then the server's feeds
    (``synced``) not configured; a server feed's categories join the tags of the
    ``[[feeds]]`` entry it shares a name with (the one naming its URL)."""
    tags: dict[str, list[str]] = {feed.name: list(feed.tags) for feed in config.feeds}
    for feed in synced:
        tags.setdefault(feed.name, []).extend(feed.tags)
    return {name: tuple(dict.fromkeys(names)) for name, names in tags.items()}


def tag_scopes(config: Config, synced: Sequence[SyncedFeed] = ()) -> list[Scope]:
    """One entry per tag of the feeds (configured, then the server's), in the order tags
    first appear, each with its feeds."""
    feeds: dict[str, list[str]] = {}
    for name, tags in feed_tags(config, synced).items():
        for tag in tags:
            feeds.setdefault(tag, []).append(name)
    return [Scope("tag", tag, feeds=tuple(names)) for tag, names in feeds.items()]


def feed_scopes(config: Config, synced: Sequence[SyncedFeed] = ()) -> list[Scope]:
    """The feeds' entries: the configured feeds biotui fetches itself, then the server's
    feeds (a ``[[feeds]]`` entry naming a server feed's URL is listed among these)."""
    from_server = {feed.name for feed in synced}
    scopes = [Scope("feed", feed.name) for feed in config.feeds if feed.name not in from_server]
    names = dict.fromkeys(feed.name for feed in synced)
    scopes.extend(Scope("feed", name, synced=True) for name in names)
    return scopes


def panel_scopes(config: Config, synced: Sequence[SyncedFeed] = ()) -> list[Scope]:
    """The side panel's entries in order: all, starred, each saved search, each feed (the
    server's, ``synced``, after the local ones), each tag, each mute rule."""
    scopes = [ALL, STARRED]
    scopes.extend(Scope("search", search.name, search.query) for search in config.searches)
    scopes.extend(feed_scopes(config, synced))
    scopes.extend(tag_scopes(config, synced))
    scopes.extend(Scope("muted", rule.name, rule.query) for rule in config.mutes)
    return scopes
