"""Watchlist counts kept between counts (``biotui.watch.tallies``): after each kind of change
they equal a whole count, and they match every article again only when they cannot follow."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from biotui.model import Article, FeedStatus, article_id
from biotui.search import mute_queries, parse_filter
from biotui.store import Store
from biotui.watch.news import Watchlist
from biotui.watch.tallies import Tallies, WatchCount

FEED = "News"
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def article(guid: str, title: str, days_ago: float = 1.0, feed: str = FEED) -> Article:
    return Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=title,
        published=NOW - timedelta(days=days_ago),
    )


def watchlist(text: str, name: str = "Lupus") -> Watchlist:
    return Watchlist(name, parse_filter(text).query)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store(tmp_path / "biotui.db")
    opened.ingest(
        FEED,
        [
            article("a", "Lupus trial starts", 2),
            article("b", "Lupus registry", 40),
            article("c", "Myeloma results", 1),
            article("d", "Lupus and Carter", 3),
        ],
    )
    return opened


def count(tallies: Tallies, store: Store, lists: list[Watchlist], after: int = 0) -> WatchCount:
    found = tallies.counts(store, lists, (), {w.name: after for w in lists}, now=NOW)
    return found[lists[0].name]


def whole(store: Store, lists: list[Watchlist], after: int = 0) -> WatchCount:
    return count(Tallies(), store, lists, after)


def test_arrivals_are_matched_on_their_own(store: Store) -> None:
    lists = [watchlist("lupus")]
    tallies = Tallies()
    first = count(tallies, store, lists)
    assert (first.unread, first.new, sum(first.trend)) == (3, 3, 2)  # "b" is 40 days old
    high = store.watch.high_water()
    store.ingest(FEED, [article("e", "Lupus nephritis", 0), article("f", "Myeloma", 0)])
    tallies.refreshed(0)
    after = count(tallies, store, lists, after=high)
    assert (after.unread, after.new, after.trend[-1]) == (4, 1, 1)
    assert after == whole(store, lists, after=high)
    assert tallies.full_counts == 1  # only the first count matched every article


def test_marks_in_this_process_and_from_another_are_followed(store: Store) -> None:
    lists = [watchlist("lupus")]
    tallies = Tallies()
    count(tallies, store, lists)
    store.set_read([article_id(FEED, "a")])
    assert count(tallies, store, lists).unread == 2
    other = Store(store.path)  # another process's marks reach the store the same way
    other.mark([article_id(FEED, "b"), article_id(FEED, "c")], read=True)
    other.set_starred(article_id(FEED, "d"), True)
    other.close()
    assert count(tallies, store, lists) == whole(store, lists)
    assert count(tallies, store, lists).unread == 1
    assert tallies.full_counts == 1


def test_a_mute_rule_hides_matches_and_a_star_brings_one_back(store: Store) -> None:
    store.set_mute(mute_queries(["Carter"]))
    lists = [watchlist("lupus")]
    tallies = Tallies()
    assert count(tallies, store, lists).unread == 2  # "d" is muted
    store.set_starred(article_id(FEED, "d"), True)  # a starred article is never muted
    assert count(tallies, store, lists).unread == 3
    assert count(tallies, store, lists) == whole(store, lists)
    assert tallies.full_counts == 1


@pytest.mark.parametrize("change", ["update", "delete", "undo", "unlogged", "text", "refresh"])
def test_what_cannot_be_followed_is_counted_whole(store: Store, change: str) -> None:
    lists = [watchlist("lupus")]
    tallies = Tallies()
    count(tallies, store, lists)
    if change == "update":  # an updated article that stops matching
        store.ingest(FEED, [article("a", "Trial starts", 2)])
        tallies.refreshed(1)
    elif change == "delete":
        store.remove_articles(FEED, ids=[article_id(FEED, "d")])
    elif change == "undo":
        store.set_read([article_id(FEED, "a")])
        count(tallies, store, lists)
        store.undo_last()
    elif change == "unlogged":  # as a sync writes the server's marks
        with sqlite3.connect(store.path) as conn:
            conn.execute("UPDATE articles SET read = 1 WHERE id = ?", (article_id(FEED, "b"),))
        conn.close()
    elif change == "text":
        lists = [watchlist("myeloma")]
    else:  # a refresh by another process: its updates are not known
        store.ingest(FEED, [article("a", "Trial starts", 2)])
        store.save_feed_status(FeedStatus(FEED, last_checked=NOW))
    before = tallies.full_counts
    assert count(tallies, store, lists) == whole(store, lists)
    assert tallies.full_counts > before
