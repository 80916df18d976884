"""The store's side of ``biotui vacuum`` (:mod:`biotui.store.vacuum`): synced articles and
their push queue, tombstones renewed and lapsing, the disk-space check, the schema step."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import make_article

from biotui.store import SCHEMA_VERSION, Store
from biotui.store.tombstones import TOMBSTONE_DAYS
from biotui.store.vacuum import NotEnoughSpace, Vacuum
from biotui.sync.backend import RemoteItem
from biotui.sync.pages import PageWriter
from old_schemas import drop_version_14

OLD = datetime.now(UTC) - timedelta(days=100)


def titles(store: Store) -> list[str]:
    return sorted(headline.title for headline in store.headlines(store.headline_ids()))


def synced_items(store: Store, account: int) -> set[str]:
    return set(store.synced.known(account, [f"item-{n}" for n in range(4)]))


def test_synced_articles_stay_gone_and_unpushed_marks_stay_queued(store: Store) -> None:
    account = store.synced.account("greader https://rss.example user").account
    writer = PageWriter(store, account, "key", {"f1": "Server feed"}, {"f1": "Server"})
    items = [
        RemoteItem(f"item-{n}", "f1", f"Synced {n}", html="<p>text</p>", published=OLD)
        for n in range(4)
    ]
    writer.store(items, "resume-1")
    by_title = {h.title: h.id for h in store.headlines(store.headline_ids())}
    store.synced.pushed(account, store.synced.queue(account))
    store.set_read([by_title["Synced 0"], by_title["Synced 1"], by_title["Synced 2"]])
    store.synced.pushed(account, store.synced.queue(account))  # the server has these
    store.set_read([by_title["Synced 3"]])  # not pushed yet

    with Vacuum(store.path) as vacuum:
        assert vacuum.survey(30).queued_kept == 1
        report = vacuum.run(30)
    assert (report.removed, report.queued_kept) == (3, 1)
    assert titles(store) == ["Synced 3"]
    queue = store.synced.queue(account)
    assert [(mark.item, mark.read) for mark in queue.marks] == [("item-3", True)]
    # The server sends the items again (a starred download, a page repeated): they stay gone.
    assert synced_items(store, account) == {f"item-{n}" for n in range(4)}
    assert writer.store(items, None).counts.new == 0
    assert titles(store) == ["Synced 3"]

    # Once the sync has pushed the mark, the next vacuum takes the article too.
    store.synced.pushed(account, queue)
    with Vacuum(store.path) as vacuum:
        assert vacuum.run(30).removed == 1
    assert titles(store) == []


def test_tombstones_are_renewed_while_sent_and_lapse_after(store: Store) -> None:
    article = make_article("Feed", "a", published=OLD)
    store.ingest("Feed", [article], source_hashes={article.id: "entry-a"})
    store.set_read([article.id])
    with Vacuum(store.path) as vacuum:
        assert vacuum.run(30).tombstones == 1
    # The parse skips the entry by its digest, and an ingest of it stores nothing.
    assert "entry-a" in store.entry_digests("Feed")
    assert store.ingest("Feed", [article]).new == 0

    later = datetime.now(UTC) + timedelta(days=TOMBSTONE_DAYS - 1)
    with Vacuum(store.path) as vacuum:  # sent again just now: renewed, kept
        assert vacuum.survey(30, now=later).lapsing == 0
    much_later = datetime.now(UTC) + timedelta(days=TOMBSTONE_DAYS + 1)
    with Vacuum(store.path) as vacuum:
        report = vacuum.run(30, now=much_later)
    assert (report.tombstones, report.tombstones_dropped) == (0, 1)
    assert "entry-a" not in store.entry_digests("Feed")


def test_no_room_to_compact_refuses_before_removing(store: Store) -> None:
    store.ingest("Feed", [make_article("Feed", "a", published=OLD)])
    store.set_read([make_article("Feed", "a").id])
    seen: list[Path] = []

    def free(folder: Path) -> int:
        seen.append(folder)
        return 1000

    with Vacuum(store.path) as vacuum, pytest.raises(NotEnoughSpace) as caught:
        vacuum.run(30, free_space=free)
    assert str(caught.value).endswith("1.0 KB free; nothing was removed")
    assert store.path.parent in seen
    assert titles(store) == ["Title a"]


def test_a_schema_11_store_gets_the_tombstones_digests_and_identifiers_later(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path) as store:
        store.ingest("Feed", [make_article("Feed", "a")])
        store.remove_articles("Feed")
    conn = sqlite3.connect(tmp_path / "biotui.db")
    conn.execute("ALTER TABLE removed DROP COLUMN digest")
    conn.execute("DROP TRIGGER identifiers_later_forget")
    conn.execute("DROP TABLE identifiers_later")
    drop_version_14(conn)
    for trigger in ("muted_delete", "muted_update"):  # what version 13 added
        conn.execute(f"DROP TRIGGER {trigger}")
    for table in ("muted_for", "muted"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE feed_counts DROP COLUMN muted")
    conn.execute("ALTER TABLE feed_counts DROP COLUMN muted_unread")
    conn.execute("PRAGMA user_version = 11")
    conn.commit()
    conn.close()
    with Store.open(tmp_path) as store:
        assert store.ingest("Feed", [make_article("Feed", "a")]).new == 0
    conn = sqlite3.connect(tmp_path / "biotui.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 14
    assert conn.execute("SELECT feed, digest FROM removed").fetchall() == [("Feed", None)]
    assert conn.execute("SELECT count(*) FROM identifiers_later").fetchone() == (0,)
    conn.close()
