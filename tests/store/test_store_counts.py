"""Counts kept by triggers stay exact through every change; the first page of headlines."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from store_helpers import make_article

from biotui.errors import StoreError
from biotui.model import Article, FeedStatus
from biotui.store import IndexQuery, Store


def brute_counts(store: Store) -> tuple[dict[str, tuple[int, int]], tuple[int, int]]:
    """Counts worked out from the articles themselves, one by one."""
    conn = sqlite3.connect(store.path)
    rows = conn.execute("SELECT feed, read, starred FROM articles").fetchall()
    names = [name for (name,) in conn.execute("SELECT name FROM feeds")]
    conn.close()
    per_feed = {name: (0, 0) for name in names}
    starred = [0, 0]
    for feed, read, star in rows:
        total, unread = per_feed[feed]
        per_feed[feed] = (total + 1, unread + (not read))
        if star:
            starred[0] += 1
            starred[1] += not read
    return per_feed, (starred[0], starred[1])


def check(store: Store) -> None:
    """The store's counts are the brute-force ones, by every way of asking."""
    per_feed, starred = brute_counts(store)
    assert store.counts() == per_feed
    assert store.starred_count() == starred
    assert store.total() == store.article_count() == sum(t for t, _ in per_feed.values())
    assert store.article_count(unread_only=True) == sum(u for _, u in per_feed.values())
    assert store.article_count(starred_only=True) == starred[0]
    assert store.article_count(starred_only=True, unread_only=True) == starred[1]
    for feed, (total, unread) in per_feed.items():
        assert store.article_count(feed=feed) == total == len(store.headline_ids(feed=feed))
        assert store.article_count(feed=feed, unread_only=True) == unread
    names = tuple(per_feed)[:2]
    assert store.article_count(feed=names) == len(store.headline_ids(feed=names))
    assert store.article_count(feed=names, starred_only=True) == len(
        store.headline_ids(feed=names, starred_only=True)
    )


def articles(feed: str, count: int) -> list[Article]:
    return [make_article(feed, f"{feed}-{n}", title=f"Lupus {n}") for n in range(count)]


def test_counts_follow_ingest_update_marks_and_deletes(store: Store) -> None:
    check(store)
    a, b = articles("Feed A", 6), articles("Feed B", 4)
    store.ingest("Feed A", a)
    store.ingest("Feed B", b, status=FeedStatus("Feed B"))
    store.save_feed_status(FeedStatus("Empty"))
    check(store)
    assert store.counts() == {"Feed A": (6, 6), "Feed B": (4, 4), "Empty": (0, 0)}
    store.set_read([a[0].id, a[1].id, b[0].id])
    store.set_read([a[0].id])  # already read: no change
    check(store)
    store.set_starred(a[1].id, True)
    store.set_starred(a[2].id, True)
    store.set_starred(a[2].id, True)
    check(store)
    assert store.starred_count() == (2, 1)
    store.set_read([a[1].id], read=False)
    store.set_starred(a[2].id, False)
    check(store)
    # An update of content keeps the counts (and the state).
    store.ingest("Feed A", [replace(a[1], body="New body."), *articles("Feed A", 8)[6:]])
    check(store)
    assert store.counts()["Feed A"] == (8, 7)


def test_counts_follow_deletes_and_moves_made_in_sql(store: Store) -> None:
    a, b = articles("Feed A", 5), articles("Feed B", 3)
    store.ingest("Feed A", a)
    store.ingest("Feed B", b)
    store.set_read([a[0].id, b[0].id])
    store.set_starred(a[0].id, True)
    store.set_starred(b[1].id, True)
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM articles WHERE id = ?", (a[4].id,))
    check(store)
    conn.execute("UPDATE articles SET feed = 'Feed B' WHERE id = ?", (a[0].id,))  # moved
    check(store)
    conn.execute("DELETE FROM feeds WHERE name = 'Feed A'")  # cascades to its articles
    check(store)
    assert store.counts() == {"Feed B": (4, 2)}
    assert store.starred_count() == (2, 1)
    conn.execute("DELETE FROM feeds")
    conn.close()
    check(store)
    assert store.counts() == {} and store.total() == 0
    store.ingest("Feed A", a[:2])  # a feed removed and then seen again starts from zero
    check(store)
    assert store.counts() == {"Feed A": (2, 2)}


def test_a_failed_ingest_leaves_the_counts(store: Store) -> None:
    store.ingest("Feed A", articles("Feed A", 2))
    bad = make_article(guid="bad", body="broken \ud800 surrogate")
    with pytest.raises(StoreError):
        store.ingest("Feed A", [*articles("Feed A", 4), bad])
    check(store)
    assert store.counts() == {"Feed A": (2, 2)}


def test_newest_headlines_are_the_first_of_the_newest_order(store: Store) -> None:
    start = datetime(2024, 5, 1, tzinfo=UTC)
    for feed in ("Feed A", "Feed B"):
        store.ingest(
            feed,
            [
                make_article(feed, f"{feed}{n}", published=start + timedelta(hours=n % 7))
                for n in range(30)
            ]
            + [make_article(feed, f"{feed}-undated", published=None)],
        )
    everything = store.headlines(store.headline_ids())
    assert store.newest_headlines(10) == everything[:10]
    assert store.newest_headlines(1000) == everything
    assert store.newest_headlines(0) == []
    assert len(store.headline_ids(IndexQuery('"title"'))) == len(everything)
