"""A listing's first rows (``limit``) and its headlines read a page at a time are exactly the
full listing's, for every filter, option, mute rule and plan."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from store_helpers import make_article

from biotui.search import mute_queries, parse_filter
from biotui.store import Store, listing

WORDS = ["lupus", "myeloma", "CAR-T", "lupus CAR-T", "other", "Carter lupus"]
FILTERS = ["", "lupus", "CAR-T OR myeloma", "-lupus", "lupus -CAR-T", "a OR -lupus", "title:other"]
OPTIONS: list[dict[str, object]] = [
    {},
    {"unread_only": True},
    {"starred_only": True},
    {"feed": "Feed B"},
    {"feed": ("Feed A", "Feed B")},
    {"unread_only": True, "starred_only": True, "feed": "Feed A"},
]
LIMITS = [0, 1, 7, 40, 10_000]


@pytest.fixture
def filled(store: Store) -> Store:
    """240 articles in two feeds, some read, some starred; several share a time."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for feed in ("Feed A", "Feed B"):
        store.ingest(
            feed,
            [
                make_article(
                    feed,
                    f"{feed}{n}",
                    title=f"{WORDS[n % 6]} {n}",
                    published=start + timedelta(hours=n % 41),
                )
                for n in range(120)
            ],
        )
    heads = store.headlines(store.headline_ids())
    store.set_read([h.id for h in heads[::3]])
    for h in heads[::5]:
        store.set_starred(h.id, True)
    return store


@pytest.fixture(params=["sql sort", "walk"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Matches sorted in SQL, or the newest-first index walked (as for many matches)."""
    monkeypatch.setattr(listing, "SQL_SORT_LIMIT", 10**9 if request.param == "sql sort" else -1)
    return str(request.param)


@pytest.mark.parametrize("muted", [False, True])
def test_the_first_rows_are_the_full_listings(filled: Store, plan: str, muted: bool) -> None:
    if muted:
        filled.set_mute(mute_queries(["Carter"]))
    for text in FILTERS:
        query = parse_filter(text).query
        for options in OPTIONS:
            full = filled.headline_ids(query, **options).tolist()  # type: ignore[arg-type]
            for limit in LIMITS:
                first = filled.headline_ids(query, limit=limit, **options)  # type: ignore[arg-type]
                assert first.tolist() == full[:limit], (text, options, limit)


def test_a_limit_keeps_relevance_order(filled: Store) -> None:
    query = parse_filter("lupus OR myeloma").query
    ranked = filled.list_ids(query, order="relevance")
    assert ranked.ranked
    for limit in LIMITS:
        first = filled.list_ids(query, order="relevance", limit=limit)
        assert first.ranked and first.ids.tolist() == ranked.ids.tolist()[:limit]
    # Above the rank limit the first rows come newest first, as the whole list does.
    skipped = filled.list_ids(query, order="relevance", rank_limit=3, limit=5)
    assert not skipped.ranked
    assert skipped.ids.tolist() == filled.headline_ids(query).tolist()[:5]


@pytest.mark.parametrize("muted", [False, True])
def test_json_lines_hold_the_listing_and_its_stories(filled: Store, plan: str, muted: bool) -> None:
    filled.set_mute(mute_queries(["Carter"]))
    story = [filled.headline_ids()[n] for n in (2, 9, 30)]
    conn = sqlite3.connect(filled.path)  # a story made by hand: the grouping needs features
    with conn:
        conn.execute("INSERT INTO stories (story) VALUES (77)")
        conn.executemany(
            "INSERT INTO story_members (article, story, sort_time, features) VALUES (?, 77, 0, '')",
            [(rowid,) for rowid in story],
        )
    conn.close()
    for text in FILTERS:
        query = parse_filter(text).query
        for unread in (False, True):
            full = filled.headline_ids(query, unread_only=unread, muted=muted).tolist()
            for limit in (None, 7):
                listed = filled.headline_ids(query, unread_only=unread, muted=muted, limit=limit)
                assert listed.tolist() == full[:limit], (text, unread, limit)
                records = [json.loads(line) for line in filled.json_lines(listed)]
                heads = filled.headlines(listed)
                assert [record["id"] for record in records] == [h.id for h in heads]
                stories = [record["story"] for record in records]
                assert stories == [77 if h.rowid in story else None for h in heads]


def test_a_rowid_past_four_bytes_is_listed(store: Store) -> None:
    """Listings hold rowids in four bytes while they fit, in eight after: a store whose
    rowids grew past 2**31 still lists and filters its articles."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    store.ingest("Feed A", [make_article("Feed A", "a", title="old lupus", published=start)])
    newest = make_article("Feed A", "z", title="newest", published=start + timedelta(days=9))
    store.ingest("Feed A", [newest])  # a small rowid listed before the big ones
    with sqlite3.connect(store.path) as raw:
        raw.execute("UPDATE articles SET rowid = ? WHERE rowid = 1", (2**31 + 7,))
    later = [
        make_article("Feed A", guid, title=f"{guid} lupus", published=start + timedelta(days=n))
        for n, guid in enumerate(("b", "c"), start=1)
    ]
    store.ingest("Feed A", later)
    assert [h.title for h in store.headlines(store.headline_ids())] == [
        "newest",
        "c lupus",
        "b lupus",
        "old lupus",
    ]
    found = store.headline_ids(parse_filter("lupus").query, limit=1)
    assert [h.title for h in store.headlines(found)] == ["c lupus"]
