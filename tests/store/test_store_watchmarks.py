"""Watchlists' bookmarks (schema 8): per search and reader, the highest rowid seen; the days
of a watchlist's matches; the upgrade of a store written by the schema-7 code."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from store_helpers import make_article

from biotui.model import article_id
from biotui.search import parse_filter
from biotui.store import SCHEMA_VERSION, Store
from biotui.store.watchmarks import DAY_US

SCHEMA7 = Path(__file__).parent / "data" / "schema7_watch.db"
"""Written by the code of schema 7 (the script is in the commit that added the file)."""


def new_titles(store: Store, text: str, after: int) -> list[str]:
    """The titles of the matches of ``text`` stored after rowid ``after``, newest first."""
    rowids = [r for r in store.headline_ids(parse_filter(text).query) if r > after]
    return [headline.title for headline in store.headlines(rowids)]


def test_bookmarks_are_per_reader_and_start_at_what_is_stored(store: Store) -> None:
    assert store.watch.high_water() == 0
    assert store.watch.bookmarks("app") == {}
    store.ingest("Feed A", [make_article(guid="a", title="CAR-T one")])
    first = store.watch.high_water()
    assert store.watch.start("app", ["CAR-T", "Lupus"]) == {"CAR-T": first, "Lupus": first}
    store.ingest("Feed A", [make_article(guid="b", title="CAR-T two")])
    # A bookmark once started stays where it is; another reader has none of its own.
    assert store.watch.start("app", ["CAR-T"]) == {"CAR-T": first}
    assert store.watch.bookmarks("cli") == {}
    assert new_titles(store, "CAR-T", first) == ["CAR-T two"]
    store.watch.set_bookmark("cli", "CAR-T", store.watch.high_water())
    assert store.watch.bookmarks("cli") == {"CAR-T": store.watch.high_water()}
    assert store.watch.bookmarks("app") == {"CAR-T": first, "Lupus": first}
    store.watch.set_bookmark("app", "CAR-T", store.watch.high_water())
    assert new_titles(store, "CAR-T", store.watch.bookmarks("app")["CAR-T"]) == []


def test_an_updated_article_is_not_new_but_a_new_one_is(store: Store) -> None:
    store.ingest("Feed A", [make_article(guid="a", title="CAR-T one")])
    seen = store.watch.high_water()
    store.ingest("Feed A", [make_article(guid="a", title="CAR-T one, updated")])
    assert new_titles(store, "CAR-T", seen) == []
    store.ingest("Feed A", [make_article(guid="c", title="CAR-T three")])
    assert new_titles(store, "CAR-T", seen) == ["CAR-T three"]


def test_deleting_the_newest_article_lowers_bookmarks_so_the_next_one_is_new(
    store: Store,
) -> None:
    store.ingest("Feed A", [make_article(guid="a", title="CAR-T one")])
    store.ingest("Feed B", [make_article("Feed B", guid="b", title="CAR-T two")])
    store.watch.set_bookmark("cli", "CAR-T", store.watch.high_water())
    store.remove_articles("Feed B")  # the newest rowid goes, and would be given again
    store.ingest("Feed B", [make_article("Feed B", guid="c", title="CAR-T three")])
    seen = store.watch.bookmarks("cli")["CAR-T"]
    assert new_titles(store, "CAR-T", seen) == ["CAR-T three"]


def test_deleting_an_older_article_leaves_bookmarks_alone(store: Store) -> None:
    store.ingest("Feed B", [make_article("Feed B", guid="b", title="CAR-T two")])
    store.ingest("Feed A", [make_article(guid="a", title="CAR-T one")])
    high = store.watch.high_water()
    store.watch.set_bookmark("cli", "CAR-T", high)
    store.remove_articles("Feed B")
    assert store.watch.bookmarks("cli") == {"CAR-T": high}
    assert new_titles(store, "CAR-T", high) == []


def test_days_count_matches_per_day_from_the_first_day_on(store: Store) -> None:
    def at(day: int, hour: int) -> datetime:
        return datetime(2024, 5, day, hour, 0, tzinfo=UTC)

    articles = [
        make_article(guid=f"g{n}", title=f"CAR-T {n}", published=when)
        for n, when in enumerate([at(1, 9), at(3, 8), at(3, 23), at(5, 1), at(9, 12)])
    ]
    store.ingest("Feed A", articles)
    rowids = store.headline_ids(parse_filter("CAR-T").query)
    may3 = int(at(3, 0).timestamp() * 1_000_000) // DAY_US
    assert store.watch.days(rowids, may3) == {may3: 2, may3 + 2: 1, may3 + 6: 1}
    # Two hours east of UTC, the 23:00 article falls on the next day.
    east = 2 * 3_600_000_000
    assert store.watch.days(rowids, may3, east) == {may3: 1, may3 + 1: 1, may3 + 2: 1, may3 + 6: 1}
    assert store.watch.days([], may3) == {}


def test_days_stop_reading_once_a_chunk_reaches_back_before_the_first_day(
    store: Store,
) -> None:
    old = [
        make_article(guid=f"o{n}", title="CAR-T old", published=datetime(2020, 1, 1, tzinfo=UTC))
        for n in range(2_500)
    ]
    recent = [
        make_article(guid=f"r{n}", title="CAR-T new", published=datetime(2024, 5, 2, tzinfo=UTC))
        for n in range(1_200)
    ]
    store.ingest("Feed A", old + recent)
    rowids = store.headline_ids(parse_filter("CAR-T").query)
    day = int(datetime(2024, 5, 1, tzinfo=UTC).timestamp() * 1_000_000) // DAY_US
    assert store.watch.days(rowids, day) == {day + 1: 1_200}


def test_a_schema_7_store_is_upgraded_with_no_bookmarks_and_keeps_everything(
    tmp_path: Path,
) -> None:
    path = tmp_path / "biotui.db"
    shutil.copyfile(SCHEMA7, path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    conn.close()
    with Store(path) as store:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 14
        conn.close()
        assert store.counts() == {"Wire": (3, 2)}
        assert new_titles(store, "CAR-T", 0) == [
            "CAR-T in myeloma",
            "CAR-T lupus trial doses first patient",
        ]
        assert new_titles(store, "nephritis", 0) == ["CAR-T lupus trial doses first patient"]
        lupus = store.article(article_id("Wire", "lupus"))
        assert lupus is not None and lupus.starred
        assert store.watch.bookmarks("app") == store.watch.bookmarks("cli") == {}
        high = store.watch.high_water()
        assert high == 3
        store.watch.set_bookmark("cli", "CAR-T", high)
        store.ingest("Wire", [make_article("Wire", guid="new", title="CAR-T news")])
        assert new_titles(store, "CAR-T", store.watch.bookmarks("cli")["CAR-T"]) == ["CAR-T news"]
    with Store(path) as store:  # opened again as it is
        assert store.watch.bookmarks("cli") == {"CAR-T": 3}
