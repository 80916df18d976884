"""Lists folded by the store: each story once, as its earliest listed article, whatever the
filter, the scope or the mute rules leave out; the flag that says which members follow kept
through merges, deletions and the upgrade."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from biotui.model import Article, article_id
from biotui.search import mute_queries, parse_filter
from biotui.store import DB_NAME, SCHEMA_VERSION, Store
from biotui.store.stories import StoryBatch, StoryPlacement, StoryWork
from old_schemas import drop_version_14

BASE = datetime(2025, 3, 3, tzinfo=UTC)
# Articles 1..6, one a minute (6 newest). Story A: 1 (first), 4, 6. Story B: 2 (first), 5.
# 3 alone. Feeds alternate, as stories join articles of different feeds.
TITLES = {
    1: "Kyverna doses first lupus patient",
    2: "Cabaletta files IND for myositis",
    3: "Myeloma drug approved",
    4: "Kyverna lupus dosing, trade report",
    5: "Cabaletta IND filed, regional paper",
    6: "Kyverna lupus study, newsletter Carter",
}
STORY_OF = {1: "A", 4: "A", 6: "A", 2: "B", 5: "B", 3: "C"}


def _article(n: int) -> Article:
    feed = "Wire" if n % 2 else "Trade"
    guid = f"item-{n}"
    return Article(
        article_id(feed, guid),
        feed,
        guid,
        TITLES[n],
        body=TITLES[n],
        published=BASE + timedelta(minutes=n),
    )


def _group(store: Store, numbers: list[int]) -> None:
    """Put the articles ``numbers`` in their stories (STORY_OF), one at a time."""
    stories: dict[str, int] = {}

    def place(work: StoryWork) -> StoryBatch:
        (target,) = work.targets
        name = STORY_OF[number]
        if name not in stories:
            stories[name] = work.new_story()
        return StoryBatch([StoryPlacement(target.rowid, stories[name], target.sort_time, "x")])

    for number in numbers:
        assert store.stories.assign([_article(number).id], place) == 1


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / DB_NAME) as opened:
        for n in TITLES:
            opened.ingest(_article(n).feed, [_article(n)])
        _group(opened, [1, 2, 3, 4, 5, 6])
        yield opened


def _numbers(store: Store, rowids: object) -> list[int]:
    titles = {title: n for n, title in TITLES.items()}
    return [titles[h.title] for h in store.headlines(list(rowids))]  # type: ignore[call-overload]


def _folded(store: Store, text: str = "", **options: object) -> list[int]:
    query = parse_filter(text).query if text else None
    return _numbers(store, store.list_ids(query, folded=True, **options).ids)  # type: ignore[arg-type]


def test_every_story_once_at_its_first_article(store: Store) -> None:
    assert _folded(store) == [3, 2, 1]
    assert _numbers(store, store.list_ids().ids) == [6, 5, 4, 3, 2, 1]  # unfolded as before


def test_a_story_whose_first_article_is_not_listed_shows_its_earliest_listed(
    store: Store,
) -> None:
    store.set_read([_article(1).id, _article(2).id])
    assert _folded(store, unread_only=True) == [5, 4, 3]
    assert _folded(store, feed="Trade") == [4, 2]  # 4 and 6 follow 1, which is Wire's
    assert _folded(store, feed="Wire") == [5, 3, 1]


def test_a_filter_keeping_two_followers_of_a_story_shows_the_earlier(store: Store) -> None:
    assert _folded(store, "lupus") == [1]
    assert _folded(store, "lupus -patient") == [4]
    assert _folded(store, "trade OR newsletter") == [4]
    assert _folded(store, "trade OR newsletter", order="relevance") == [4]


def test_a_muted_first_article_leaves_its_story_to_the_next(store: Store) -> None:
    store.set_mute(mute_queries(["doses"]))
    assert _folded(store) == [4, 3, 2]
    store.mutes.rebuild()  # the kept set, as the app and a refresh work it out
    assert _folded(store) == [4, 3, 2]


def test_deleting_a_story_s_first_article_makes_the_next_first(store: Store) -> None:
    store.remove_articles("Wire")  # 1, 3, 5 gone: A is 4 then 6, B is 2
    assert _folded(store) == [4, 2]


def test_an_earlier_article_joining_a_story_becomes_its_first(tmp_path: Path) -> None:
    with Store(tmp_path / DB_NAME) as store:
        for n in TITLES:
            store.ingest(_article(n).feed, [_article(n)])
        _group(store, [4, 6, 1])  # 1 is grouped last but is the earliest
        assert _folded(store, "Kyverna") == [1]
        assert _folded(store, "Kyverna -patient") == [4]


def test_a_merge_keeps_one_first_article(tmp_path: Path) -> None:
    with Store(tmp_path / DB_NAME) as store:
        for n in TITLES:
            store.ingest(_article(n).feed, [_article(n)])
        _group(store, [1, 4])
        made: list[int] = []

        def place(work: StoryWork) -> StoryBatch:
            (target,) = work.targets
            if not made:
                made.append(work.new_story())
                return StoryBatch([StoryPlacement(target.rowid, made[0], target.sort_time, "x")])
            older = min(m.story for m in work.members(0, 2**62))
            placement = StoryPlacement(target.rowid, older, target.sort_time, "x")
            return StoryBatch([placement], {made[0]: older})

        store.stories.assign([_article(2).id], place)  # a story of its own
        store.stories.assign([_article(5).id], place)  # joins both: one story
        assert _folded(store, "Kyverna OR Cabaletta") == [6, 1]  # 6 is not grouped


def test_a_schema_13_store_gets_the_flags_of_its_stories(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with Store(path) as store:
        for n in TITLES:
            store.ingest(_article(n).feed, [_article(n)])
        _group(store, [1, 2, 3, 4, 5, 6])
    conn = sqlite3.connect(path)
    drop_version_14(conn)
    conn.execute("PRAGMA user_version = 13")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert _folded(store) == [3, 2, 1]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 14
        assert conn.execute("SELECT count(*) FROM story_members WHERE follows").fetchone() == (3,)
