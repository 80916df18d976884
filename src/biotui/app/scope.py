"""What the headline list can show: every article, the starred ones, a saved search, a feed,
the feeds of a tag, or what a mute rule hides.

Plain data for the side panel and the main screen; nothing here imports textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from biotui.model import Config

ScopeKind = Literal["all", "starred", "search", "feed", "tag", "muted"]
Order = Literal["newest", "relevance"]


@dataclass(frozen=True, slots=True)
class Scope:
    """One entry of the side panel: which articles the list starts from.

    ``name`` is the saved search's, the feed's, the tag's or the mute rule's name; ``query``
    the saved search's filter or the mute rule's; ``feeds`` a tag's feeds.
    """

    kind: ScopeKind = "all"
    name: str = ""
    query: str = ""
    feeds: tuple[str, ...] = ()

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


def tag_scopes(config: Config) -> list[Scope]:
    """One entry per tag of the configured feeds, in the order tags first appear, each with
    its feeds."""
    feeds: dict[str, list[str]] = {}
    for feed in config.feeds:
        for tag in dict.fromkeys(feed.tags):
            feeds.setdefault(tag, []).append(feed.name)
    return [Scope("tag", tag, feeds=tuple(names)) for tag, names in feeds.items()]


def panel_scopes(config: Config) -> list[Scope]:
    """The side panel's entries in order: all, starred, each saved search, each feed, each
    tag, each mute rule."""
    scopes = [ALL, STARRED]
    scopes.extend(Scope("search", search.name, search.query) for search in config.searches)
    scopes.extend(Scope("feed", feed.name) for feed in config.feeds)
    scopes.extend(tag_scopes(config))
    scopes.extend(Scope("muted", rule.name, rule.query) for rule in config.mutes)
    return scopes
