"""The feeds a refresh leaves to the sync: a ``[[feeds]]`` entry whose ``url`` is a feed the
``[sync]`` server fetches gives that feed's articles its options (tags, ``full_text``, mutes),
but biotui does not fetch it itself, so that no article is stored twice."""

from __future__ import annotations

from collections.abc import Sequence

from biotui.model import Config, Feed
from biotui.store import Store

__all__ = ["without_synced"]


def without_synced(config: Config, store: Store, feeds: Sequence[Feed]) -> list[Feed]:
    """``feeds`` but those whose URL is a feed of the ``[sync]`` server (as its last sync
    listed them)."""
    if config.sync is None or not any(feed.url for feed in feeds):
        return list(feeds)
    synced = store.synced.feed_urls(config.sync.account)
    return [feed for feed in feeds if feed.url is None or feed.url.strip() not in synced]
