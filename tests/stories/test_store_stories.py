"""Stories in the store: grouped at ingest by a refresh, grouped after an upgrade (resumable),
ids kept when stories merge, rows gone with their article; the truth set through the store."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from pytest_httpserver import HTTPServer

from biotui.model import Article, Feed, article_id
from biotui.refresh import refresh_all
from biotui.refresh.grouping import WINDOW_US, Grouper, PendingRun, group_pending, grouping_of
from biotui.store import DB_NAME, Store
from biotui.store.stories import StoryBatch, StoryPlacement, StoryWork
from biotui.stories import WINDOW_SECONDS
from refresh_helpers import config_for

from .truth import Item, dump, own_items, score


def _article(item: Item) -> Article:
    published = datetime.fromtimestamp(item.time, UTC)
    guid = item.name
    return Article(
        article_id(item.feed, guid),
        item.feed,
        guid,
        item.title,
        body=item.body,
        published=published,
    )


def _store_stories(store: Store) -> dict[str, int]:
    """Each stored article's title -> its story id."""
    rowids = store.headline_ids()
    stories = store.stories.story_of(rowids)
    return {h.id: stories[h.rowid] for h in store.headlines(rowids)}


def test_the_window_is_the_grouping_s() -> None:
    assert WINDOW_US == WINDOW_SECONDS * 1_000_000


def test_the_truth_set_through_the_store_groups_as_the_grouping_does(tmp_path: Path) -> None:
    """Stored one feed at a time in any order, then grouped as after an upgrade: no wrong
    merge, and the same pairs as the grouping alone."""
    items = own_items()
    with Store(tmp_path / DB_NAME) as store:
        for item in reversed(items):
            store.ingest(item.feed, [_article(item)])
        assert store.stories.ungrouped() == len(items)
        assert group_pending(store, chunk=7).done == len(items)
        assert store.stories.ungrouped() == 0
        found = _store_stories(store)
    by_name = {i.name: found[_article(i).id] for i in items}
    expected = score(items)
    wrong = [
        (a.name, b.name)
        for n, a in enumerate(items)
        for b in items[n + 1 :]
        if by_name[a.name] == by_name[b.name] and a.story != b.story
    ]
    assert wrong == [], dump(items)
    together = sum(
        by_name[a.name] == by_name[b.name] for n, a in enumerate(items) for b in items[n + 1 :]
    )
    # The store compares only candidates sharing an identifier or two title words under
    # one event class: a few pairs the grouping alone finds are not looked at (never one
    # more).
    print(f"\nthrough the store: {together} of the {expected.right} pairs the grouping finds")
    assert expected.right * 0.9 <= together <= expected.right


def _rss(*items: tuple[str, str, str]) -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<pubDate>{date}</pubDate><description>{title}.</description></item>"
        for guid, title, date in items
    )
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>N</title>{body}</channel></rss>"
    ).encode()


WIRE = "Kyverna Announces First Patient Dosed in Phase 2 Trial of KYV-101 in Lupus Nephritis"
TRADE = "Kyverna doses first lupus nephritis patient with CAR-T KYV-101"
OTHER = "Pyxis Announces First Patient Dosed in Phase 1 Trial of PXB-310 in Pancreatic Cancer"
MON = "Mon, 03 Mar 2025 10:00:00 GMT"
TUE = "Tue, 04 Mar 2025 09:00:00 GMT"


def test_a_refresh_groups_what_it_stores(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/wire").respond_with_data(
        _rss(("w1", WIRE, MON), ("w2", OTHER, MON))
    )
    httpserver.expect_request("/trade").respond_with_data(_rss(("t1", TRADE, TUE)))
    feeds = (
        Feed("Wire", url=httpserver.url_for("/wire")),
        Feed("Trade", url=httpserver.url_for("/trade")),
    )
    with Store(tmp_path / DB_NAME) as store:
        refresh_all(config_for(tmp_path, *feeds), store)
        found = _store_stories(store)
        assert store.stories.ungrouped() == 0
    wire, trade = article_id("Wire", "w1"), article_id("Trade", "t1")
    assert found[wire] == found[trade]
    assert found[article_id("Wire", "w2")] != found[wire]


def test_an_article_joining_two_stories_merges_them_under_the_older_id(tmp_path: Path) -> None:
    """The store's part, with a placer that says where articles go: the first two articles
    start stories, the third joins both, which become one under the older id."""
    base = datetime(2025, 3, 3, tzinfo=UTC).timestamp()
    items = [
        Item(name, "s", f"Feed {name}", base + n, f"Title {name}", "")
        for n, name in enumerate("abc")
    ]
    seen: list[list[int]] = []

    def place(work: StoryWork) -> StoryBatch:
        near = work.members(0, 2**62)
        stories = sorted({member.story for member in near})
        seen.append(stories)
        (target,) = work.targets
        if len(stories) < 2:
            story = work.new_story()
            return StoryBatch([StoryPlacement(target.rowid, story, target.sort_time, "x")])
        older, newer = stories
        placement = StoryPlacement(target.rowid, older, target.sort_time, "x")
        return StoryBatch([placement], {newer: older})

    with Store(tmp_path / DB_NAME) as store:
        for item in items:
            store.ingest(item.feed, [_article(item)])
        ids = [_article(item).id for item in items]
        for article in ids:
            assert store.stories.assign([article, article], place) == 1
        found = _store_stories(store)
        assert store.stories.assign([ids[0]], place) == 0  # grouped already: left as it is
    older, newer = seen[-1]
    assert seen == [[], [older], [older, newer]] and older < newer
    assert found[ids[0]] == found[ids[1]] == found[ids[2]] == older


def test_a_story_keeps_its_id_and_its_rows_go_with_their_article(tmp_path: Path) -> None:
    base = datetime(2025, 3, 3, tzinfo=UTC).timestamp()
    items = [Item("a", "s", "Wire", base, WIRE, ""), Item("b", "s", "Trade", base + 60, TRADE, "")]
    with Store(tmp_path / DB_NAME) as store:
        for item in items:
            store.ingest(item.feed, [_article(item)])
        group_pending(store)
        story = _store_stories(store)[_article(items[0]).id]
        store.remove_articles("Wire")
        assert _store_stories(store) == {_article(items[1]).id: story}
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("SELECT count(*) FROM story_members").fetchone()[0] == 1
    keys = conn.execute("SELECT DISTINCT article FROM story_keys").fetchall()
    assert len(keys) == 1  # the other article's keys went with it
    conn.close()


def test_a_schema_8_store_is_upgraded_and_grouped_resumably(tmp_path: Path) -> None:
    items = own_items()
    path = tmp_path / DB_NAME
    with Store(path) as store:
        for item in items:
            store.ingest(item.feed, [_article(item)])
    conn = sqlite3.connect(path)  # what schemas 9 to 11 added, gone: a schema-8 file
    conn.execute("DROP TRIGGER story_members_forget")
    for table in ("story_keys", "story_members", "stories"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TRIGGER identifiers_forget")
    conn.execute("DROP TABLE identifiers")
    conn.execute("DROP TABLE backfills")
    for table in ("sync_items", "sync_feeds", "sync_accounts"):  # what version 11 added
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TRIGGER identifiers_later_forget")  # what version 12 added
    conn.execute("DROP TABLE identifiers_later")
    conn.execute("ALTER TABLE removed DROP COLUMN digest")  # what version 12 added
    for trigger in ("muted_delete", "muted_update"):  # what version 13 added
        conn.execute(f"DROP TRIGGER {trigger}")
    for table in ("muted_for", "muted"):
        conn.execute(f"DROP TABLE {table}")
    for column in ("muted", "muted_unread"):
        conn.execute(f"ALTER TABLE feed_counts DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.stories.ungrouped() == len(items)
        stop = threading.Event()
        stop.set()
        assert group_pending(store, cancel=stop) == PendingRun(0, False, 0)  # before a chunk
        # No time left after the first chunk: a slice, as a refresh does.
        first = group_pending(store, chunk=10, budget_s=0.0)
        assert (first.done, first.finished) == (10, False)
        assert store.stories.ungrouped() == len(items) - 10
        second = group_pending(store, chunk=10, budget_s=0.0)
        assert (second.done, second.finished) == (10, False)
        rest = group_pending(store)  # goes on
        assert (rest.done, rest.finished) == (len(items) - 20, True)
        assert 0 < first.joined + second.joined + rest.joined < len(items)
        assert store.stories.ungrouped() == 0
        assert group_pending(store) == PendingRun(0, True, 0)


def test_a_story_id_is_never_given_twice(tmp_path: Path) -> None:
    """Ids given in bulk by a batch are taken for good, even once their articles are gone."""
    base = datetime(2025, 3, 3, tzinfo=UTC).timestamp()
    places = ("Basel", "Oxford", "Kazan", "Lagos", "Quito", "Perth")
    first = [
        Item(f"a{n}", "s", f"Feed {n}", base + n, f"Weather in {places[n]}", "") for n in range(3)
    ]
    later = [
        Item(f"b{n}", "s", f"Other {n}", base + n, f"Rowing in {places[n + 3]}", "")
        for n in range(3)
    ]
    with Store(tmp_path / DB_NAME) as store:
        for item in first:
            store.ingest(item.feed, [_article(item)])
        group_pending(store)
        given = set(_store_stories(store).values())
        for item in first:
            store.remove_articles(item.feed)
        for item in later:
            store.ingest(item.feed, [_article(item)])
        group_pending(store)
        again = set(_store_stories(store).values())
    assert len(given) == len(again) == 3
    assert min(again) > max(given)


def test_a_later_refresh_joins_a_story_stored_before(tmp_path: Path) -> None:
    """A new grouper (a later refresh) reads the stories near its articles from the store."""
    base = datetime(2025, 3, 3, tzinfo=UTC).timestamp()
    wire, trade = (
        Item("a", "s", "Wire", base, WIRE, ""),
        Item("b", "s", "Trade", base + 60, TRADE, ""),
    )
    other = Item("c", "t", "Other", base + 30, OTHER, "")
    with Store(tmp_path / DB_NAME) as store:
        for item in (wire, other):
            store.ingest(item.feed, [_article(item)])
            Grouper(store).add([grouping_of(_article(item))])
        store.ingest(trade.feed, [_article(trade)])
        assert Grouper(store).add([grouping_of(_article(trade))]) == 1
        found = _store_stories(store)
    assert found[_article(trade).id] == found[_article(wire).id] != found[_article(other).id]
