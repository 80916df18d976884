"""Removing a feed: out of the configuration, then its articles out of the store.

Shared by ``biotui remove`` and the app's side panel. The configuration is written first
(atomically, the rest of it kept as written; the built-in one is first copied to the user's
folder), then the feed's articles are removed from the store, except starred ones, which stay
readable. The store keeps a tombstone of each removed article, so that adding the feed again
does not bring them back as new.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from biotui.configwrite import ConfigWriteError, drop_feed, read_for_edit, write_config
from biotui.errors import BiotuiError
from biotui.model import Config
from biotui.plaintext import clean_text
from biotui.store import Store


@dataclass(frozen=True, slots=True)
class FeedRemoved:
    """A feed was removed: its name, the configuration file written (and whether the built-in
    one was copied there first), how many articles went and how many starred ones stayed."""

    name: str
    target: Path
    copied: bool
    removed: int
    kept_starred: int


class FeedRemovalError(Exception):
    """The feed could not be removed; the message is one line. Nothing was written, unless
    the message says the configuration was."""


class UnknownFeedError(FeedRemovalError):
    """No feed has that name (a usage error: nothing was written)."""


def remove_feed(config: Config, store: Store, name: str, *, built_in: bool) -> FeedRemoved:
    """Remove feed ``name`` from ``config``'s file (a copy of it in the user's folder when
    ``built_in``), then its unstarred articles from ``store``. Raises
    :class:`UnknownFeedError` or :class:`FeedRemovalError`."""
    if name not in {feed.name for feed in config.feeds}:
        raise UnknownFeedError(f"no feed named {clean_text(name)[:200]!r} in {config.path}")
    try:
        starred = store.article_count(feed=name, starred_only=True)
    except BiotuiError as exc:
        raise FeedRemovalError(str(exc)) from None
    try:
        text, target = read_for_edit(config.path, built_in=built_in)
        changed = drop_feed(text, name)
        if changed is None:
            raise UnknownFeedError(f"no feed named {name!r} in {config.path}")
        write_config(target, changed)
    except ConfigWriteError as exc:
        raise FeedRemovalError(str(exc)) from None
    try:
        removed = store.remove_articles(name)
    except BiotuiError as exc:
        message = f"{name} was removed from {target}, but its articles were not: {exc}"
        raise FeedRemovalError(message) from None
    return FeedRemoved(name, target, target != config.path, removed, starred)
