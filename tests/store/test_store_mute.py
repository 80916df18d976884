"""Mute rules in the store: every listing plan, count and the first page leave out exactly the
unstarred articles a rule matches (worked out one by one), and ``muted=`` lists only those."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from store_helpers import make_article

from biotui.search import mute_queries, parse_filter
from biotui.store import IndexQuery, Store, listing

WORDS = ["lupus", "sponsored", "webinar", "myeloma", "podcast", "trial"]
RULES = ["sponsored OR webinar", "feed:Clips title:podcast", "-trial lupus"]


@pytest.fixture
def filled(store: Store) -> Store:
    """36 articles over two feeds, each with two words of WORDS, some read, some starred."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for feed in ("Clips", "Notes"):
        batch = []
        for n in range(18):
            first, second = WORDS[n % 6], WORDS[(n * 5 + 1) % 6]
            batch.append(
                make_article(
                    feed,
                    f"{feed}-{n}",
                    title=f"{first} {n}",
                    body=f"About {second}.",
                    published=start + timedelta(hours=n * 2 + (feed == "Notes")),
                )
            )
        store.ingest(feed, batch)
    rowids = store.headline_ids()
    store.set_read([h.id for h in store.headlines(rowids[::3])])
    for headline in store.headlines(rowids[1::7]):
        store.set_starred(headline.id, True)
    return store


def matching(store: Store, text: str) -> set[int]:
    """The rowids a filter finds, with nothing muted."""
    result = parse_filter(text)
    assert result.error is None
    return set(store.headline_ids(result.query))


def expected_muted(store: Store) -> set[int]:
    """Unstarred articles matching any rule, worked out before the rules are set."""
    found = set().union(*(matching(store, rule) for rule in RULES))
    starred = set(store.headline_ids(starred_only=True))
    return found - starred


FILTERS = ["", "lupus", "podcast OR trial", "-lupus", "myeloma -trial", "feed:Notes"]


@pytest.mark.parametrize("plan", ["sort", "walk"])
def test_every_listing_leaves_out_exactly_the_muted(
    filled: Store, plan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Matches sorted in SQL, or the newest-first index walked (as for many matches)."""
    monkeypatch.setattr(listing, "SQL_SORT_LIMIT", 10**9 if plan == "sort" else -1)
    store = filled
    muted = expected_muted(store)
    assert muted and len(muted) < store.total()
    plain: dict[tuple[str, bool, bool, str | None], list[int]] = {}
    cases = [
        (text, unread, starred, feed)
        for text in FILTERS
        for unread in (False, True)
        for starred in (False, True)
        for feed in (None, "Clips")
    ]
    for text, unread, starred, feed in cases:
        query = parse_filter(text).query
        plain[text, unread, starred, feed] = list(
            store.headline_ids(query, unread_only=unread, starred_only=starred, feed=feed)
        )
    store.set_mute(mute_queries(RULES))
    for (text, unread, starred, feed), before in plain.items():
        query = parse_filter(text).query
        options = {"unread_only": unread, "starred_only": starred, "feed": feed}
        for _ in range(2):  # the second time from the newest-first list remembered
            shown = list(store.headline_ids(query, **options))
            assert shown == [rowid for rowid in before if rowid not in muted]
            assert store.article_count(query, **options) == len(shown)
            hidden = list(store.headline_ids(query, muted=True, **options))
            assert hidden == [rowid for rowid in before if rowid in muted]
            assert store.article_count(query, muted=True, **options) == len(hidden)
        if query is not None and query.match is not None:
            ranked = store.list_ids(query, order="relevance", **options)
            assert ranked.ranked
            assert sorted(ranked.ids) == sorted(shown)


def test_counts_and_the_first_page(filled: Store) -> None:
    store = filled
    muted = expected_muted(store)
    before = store.counts()
    starred = store.starred_count()
    newest = list(store.headline_ids())
    store.set_mute(mute_queries(RULES))
    headlines = store.headlines(sorted(muted))
    for feed, (total, unread) in before.items():
        mine = [h for h in headlines if h.feed == feed]
        assert store.counts()[feed] == (total - len(mine), unread - sum(not h.read for h in mine))
    assert store.starred_count() == starred
    assert store.total() == len(newest) - len(muted)
    first = [h.rowid for h in store.newest_headlines(10)]
    assert first == [rowid for rowid in newest if rowid not in muted][:10]


def test_one_rule_lists_what_it_mutes(filled: Store) -> None:
    store = filled
    starred = set(store.headline_ids(starred_only=True))
    podcasts = matching(store, "feed:Clips title:podcast") - starred
    store.set_mute(mute_queries(RULES))
    rule = mute_queries(["feed:Clips title:podcast"])[0]
    assert set(store.headline_ids(muted=rule)) == podcasts
    assert store.article_count(muted=rule) == len(podcasts)
    assert store.article_count(muted=rule, unread_only=True) == len(
        store.headline_ids(muted=rule, unread_only=True)
    )


def test_a_selection_marks_no_muted_article(filled: Store) -> None:
    from biotui.store import MarkSelection

    store = filled
    store.set_mute(mute_queries(RULES))
    muted_unread = set(store.headline_ids(muted=True, unread_only=True))
    assert muted_unread
    store.mark(MarkSelection(), read=True)
    assert set(store.headline_ids(muted=True, unread_only=True)) == muted_unread
    assert store.article_count(unread_only=True) == 0


def test_no_rules_hide_nothing_and_a_rule_of_only_exclusions(filled: Store) -> None:
    store = filled
    everything = list(store.headline_ids())
    store.set_mute(())
    assert list(store.headline_ids()) == everything
    assert list(store.headline_ids(muted=True)) == []
    assert store.article_count(muted=True) == 0
    kept = matching(store, "lupus") | set(store.headline_ids(starred_only=True))
    store.set_mute([IndexQuery(match=None, exclude='{title body source}: "lupus"')])
    assert list(store.headline_ids()) == [rowid for rowid in everything if rowid in kept]
    assert set(store.headline_ids(muted=True)) == set(everything) - kept
