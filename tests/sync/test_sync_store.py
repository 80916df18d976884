"""The sync's tables (schema 11): the upgrade from schema 10, and the mark queue kept in the
store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from biotui.model import Article, article_id
from biotui.store import SCHEMA_VERSION, Store
from biotui.store.schema import split_sql
from biotui.store.sync_schema import SYNC
from old_schemas import drop_version_14


def _schema_10(path: Path) -> None:
    """A store as schema 10 wrote it: the current schema without the sync's tables and
    what schema 12 added."""
    with Store(path) as store:
        store.ingest("Wire", [Article(article_id("Wire", "x"), "Wire", "x", "Kept")])
        store.set_read([article_id("Wire", "x")])
    conn = sqlite3.connect(path)
    for statement in split_sql(SYNC):
        if statement.startswith("CREATE TABLE"):
            conn.execute(f"DROP TABLE {statement.split()[2]}")
    conn.execute("DROP TRIGGER identifiers_later_forget")
    conn.execute("DROP TABLE identifiers_later")
    conn.execute("ALTER TABLE removed DROP COLUMN digest")  # what version 12 added
    drop_version_14(conn)
    for trigger in ("muted_delete", "muted_update"):  # what version 13 added
        conn.execute(f"DROP TRIGGER {trigger}")
    for table in ("muted_for", "muted"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("ALTER TABLE feed_counts DROP COLUMN muted")
    conn.execute("ALTER TABLE feed_counts DROP COLUMN muted_unread")
    conn.execute("PRAGMA user_version = 10")
    conn.commit()
    conn.close()


def test_a_schema_10_store_is_upgraded_with_empty_sync_tables(tmp_path: Path) -> None:
    path = tmp_path / "biotui.db"
    _schema_10(path)
    with Store(path) as store:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 14
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
        conn.close()
        assert {"sync_accounts", "sync_feeds", "sync_items"} <= tables
        assert store.counts() == {"Wire": (1, 0)}
        assert store.synced.find("greader https://h.example me") is None
        account = store.synced.account("greader https://h.example me")
        assert account.resume is None
        # The marks made before the account existed are nothing to push.
        assert store.synced.queue(account.account).marks == ()


def test_the_refresh_leaves_the_synced_feeds_urls_to_the_sync(store: Store) -> None:
    from biotui.store import SyncedFeed

    key = "fever https://h.example/fever/ me"
    account = store.synced.account(key)
    store.synced.save_feeds(
        account.account,
        [SyncedFeed("1", "STAT", "STAT", "https://stat.example/feed"), SyncedFeed("2", "X")],
    )
    assert store.synced.feed_urls(key) == frozenset({"https://stat.example/feed"})
    assert store.synced.feed_urls("greader https://other.example me") == frozenset()
