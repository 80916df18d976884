"""The side panel's counts, read in a thread worker (nothing here imports Textual).

Feed, tag and starred counts come from the store's counts table; each saved search's
(watchlist's) counts from a :class:`~biotui.watch.tallies.Tallies` the panel keeps, so that
a recount after a refresh or a burst of marks follows what changed instead of matching every
article again.
"""

from __future__ import annotations

from collections.abc import Sequence

from biotui.app.queries import muted_by
from biotui.app.scope import ALL, STARRED, Count, Scope, feed_scopes, tag_scopes
from biotui.model import Config
from biotui.plaintext import clean_text
from biotui.store import Store, SyncedFeed
from biotui.watch.tallies import Tallies

__all__ = ["read_counts"]


def read_counts(
    store: Store,
    config: Config,
    synced: Sequence[SyncedFeed] = (),
    tallies: Tallies | None = None,
) -> dict[Scope, Count]:
    """Count every side panel entry (the server's feeds ``synced`` among them): totals,
    unread articles, and feed errors; for each saved search (a watchlist) also its matches
    since the app last opened it and its matches per day (see :mod:`biotui.watch`), brought
    up to date in ``tallies`` (None: counted whole)."""
    from biotui.search import parse_filter
    from biotui.watch.news import app_bookmarks, watchlists

    per_feed = store.counts()
    statuses = {status.name: status for status in store.feed_statuses()}
    counts: dict[Scope, Count] = {}
    total = sum(feed_total for feed_total, _ in per_feed.values())
    unread = sum(feed_unread for _, feed_unread in per_feed.values())
    counts[ALL] = Count(unread, total)
    starred_total, starred_unread = store.starred_count()
    counts[STARRED] = Count(starred_unread, starred_total)
    ready = watchlists(config)
    marks = app_bookmarks(store, ready)
    rules = tuple(rule.query for rule in config.mutes)
    kept = (tallies or Tallies()).counts(store, ready, rules, marks)
    for search in config.searches:
        scope = Scope("search", search.name, search.query)
        result = parse_filter(search.query)
        if result.error is not None:
            counts[scope] = Count(error=clean_text(result.error))
            continue
        found = kept[search.name]
        counts[scope] = Count(found.unread, new=found.new, trend=found.trend)
    for feed in feed_scopes(config, synced):
        feed_total, feed_unread = per_feed.get(feed.name, (0, 0))
        status = None if feed.synced else statuses.get(feed.name)
        error = clean_text(status.last_error) if status and status.last_error else None
        counts[feed] = Count(feed_unread, feed_total, error)
    for tag in tag_scopes(config, synced):
        numbers = [per_feed.get(name, (0, 0)) for name in tag.feeds]
        counts[tag] = Count(sum(u for _, u in numbers), sum(t for t, _ in numbers))
    for rule in config.mutes:
        scope = Scope("muted", rule.name, rule.query)
        muted = muted_by(scope)
        hidden = store.article_count(muted=muted)
        counts[scope] = Count(store.article_count(muted=muted, unread_only=True), hidden)
    return counts
