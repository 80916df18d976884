"""Creating the schema in a new file, and bringing an older file to the current version.

:data:`MIGRATIONS` maps version *n* to the function that brings a file to *n + 1*; all the
steps a file needs run in the one transaction that then sets ``user_version``, so a failed
upgrade leaves the file as it was.

Versions:

1. First release: FTS5 with ``porter unicode61 remove_diacritics 2``.
2. No Porter stemmer in the index (it made "organ" find "organization", "generic" find
   "general"): the filter language expands plurals itself, see :mod:`biotui.search`. The index
   is rebuilt from the articles table. New index ``articles_starred``; ``articles_by_rowid`` is
   created if an early version-1 file lacks it.
3. ``articles.source_hash``: a digest of the feed entry an article was read from, so that a
   refresh skips converting entries it already holds unchanged. Added empty.
4. No trigger indexes an inserted article: an ingest inserts its new rows, then indexes them
   in one statement (see :mod:`biotui.store.ingest`). The update and delete triggers stay.
5. The ``feed_counts`` table and its triggers; every stored content digest recomputed once in
   the form of :mod:`biotui.store.digest`, whatever form it had.
6. The log of marking actions, ``mark_actions`` and ``mark_changes`` (empty: marks made
   before it cannot be undone); the tombstones of removed articles, ``removed`` (empty).
7. ``full_texts``, the articles' full texts fetched from their pages (empty), and the view
   ``articles_indexed`` (body, then full text) as the index's content: the index is made again
   over it and rebuilt, its triggers replaced.
8. ``watch_marks``, the watchlists' bookmarks (empty: the app starts a watchlist's when it
   first counts it, ``biotui list --new`` lists every match the first time), and the trigger
   that lowers them when the newest article is deleted.
9. The stories' tables (:mod:`biotui.store.story_schema`), empty: stored articles are grouped
   afterwards, in the background.
10. ``identifiers``, what each article names (empty), and ``backfills``: the stored articles
    get theirs in the background, in batches (:mod:`biotui.store.backfill`), not here.
11. The sync's tables (:mod:`biotui.store.sync_schema`), empty.
12. ``identifiers_later``, the articles a large refresh stored before finding their
    identifiers (empty), and ``removed.digest``, the tombstones' entry digests
    (:mod:`biotui.store.tombstone_schema`), empty for the tombstones already held.
13. The kept set of muted articles (:mod:`biotui.store.mute_schema`), empty: worked out for
    the configured rules afterwards, once (:mod:`biotui.store.muted`).
14. ``story_members.follows``, the first article of the story a grouped article follows (0
    for the first itself; :mod:`biotui.store.follower_schema`), set for the stories already
    grouped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from biotui.errors import StoreError
from biotui.store.connections import Connections
from biotui.store.digest import content_digest
from biotui.store.follower_schema import add_followers
from biotui.store.identifier_schema import IDENTIFIERS_V10, LATER
from biotui.store.mute_schema import add_muted
from biotui.store.rows import ARTICLE_COLUMNS, article_from_row
from biotui.store.schema import (
    APPLICATION_ID,
    COUNTS,
    FTS_SETTINGS,
    FTS_TABLE,
    FULL_TEXTS,
    INDEX_TRIGGERS,
    MARKS,
    PAGE_SIZE,
    REMOVED,
    ROWID_INDEX,
    SCHEMA,
    SCHEMA_VERSION,
    STARRED_INDEX,
    WATCH_MARKS,
    fts_table,
    split_sql,
)
from biotui.store.story_schema import add_stories
from biotui.store.sync_schema import add_sync
from biotui.store.tombstone_schema import add_tombstone_digests

__all__ = ["MIGRATIONS", "prepare_schema"]

_DIGEST_CHUNK = 2_000
"""Articles read back per statement while their digests are recomputed."""


def prepare_schema(db: Connections) -> None:
    """Create or migrate the schema of ``db``'s file and switch it to WAL.

    StoreError when the file is not a biotui database, or one of a newer version.
    """
    with db.errors("cannot open") as conn:
        version = _pragma_int(conn, "user_version")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{db.path}: made by a newer biotui (schema {version}, this one knows "
                f"{SCHEMA_VERSION})"
            )
        if version == SCHEMA_VERSION:
            _check_application_id(db, conn)
            return
        if version == 0:  # only a file not yet written takes it; WAL mode fixes it after
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise StoreError(f"{db.path}: cannot switch to WAL journal mode")
    with db.write("cannot create the schema") as conn:
        version = _pragma_int(conn, "user_version")  # another process may have won
        if version == 0:
            if conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]:
                raise StoreError(f"{db.path}: not a biotui database")
            for statement in split_sql(SCHEMA):
                conn.execute(statement)
        else:
            _check_application_id(db, conn)
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](conn)
                version += 1
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _check_application_id(db: Connections, conn: sqlite3.Connection) -> None:
    if _pragma_int(conn, "application_id") != APPLICATION_ID:
        raise StoreError(f"{db.path}: not a biotui database")


def _pragma_int(conn: sqlite3.Connection, name: str) -> int:
    return int(conn.execute(f"PRAGMA {name}").fetchone()[0])


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Rebuild the full-text index without the Porter stemmer.

    The triggers name the index table, not its definition, so they stay as they are.
    """
    conn.execute("DROP TABLE articles_fts")
    conn.execute(fts_table("articles"))
    conn.execute(FTS_SETTINGS)
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    conn.execute(ROWID_INDEX)
    conn.execute(STARRED_INDEX)


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Add ``articles.source_hash`` (no row is rewritten: the column starts out NULL)."""
    conn.execute("ALTER TABLE articles ADD COLUMN source_hash TEXT")


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """Drop the trigger that indexed each inserted article (the ingest indexes them)."""
    conn.execute("DROP TRIGGER IF EXISTS articles_fts_insert")


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """Add the counts table (filled from the articles) and recompute every content digest.

    Each article is read back through the row mapping and its digest written again, so that
    a refresh finds the articles it stored before unchanged. The new digest has the length of
    the previous form, so most rows are rewritten in place; no index is touched.
    """
    for statement in split_sql(COUNTS):
        conn.execute(statement)
    after = 0
    select = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?"
    while rows := conn.execute(select, (after, _DIGEST_CHUNK)).fetchall():
        conn.executemany(
            "UPDATE articles SET content_hash = ? WHERE rowid = ?",
            [(content_digest(article_from_row(row)), row[0]) for row in rows],
        )
        after = rows[-1][0]


def _v5_to_v6(conn: sqlite3.Connection) -> None:
    """Add the log of marking actions and the tombstones of removed articles, empty."""
    for statement in split_sql(MARKS + REMOVED):
        conn.execute(statement)


def _v6_to_v7(conn: sqlite3.Connection) -> None:
    """Add the full texts; index each article's body and full text (none yet) through the
    view ``articles_indexed``, which needs the index made again (its content is fixed when it
    is made) and rebuilt, and the triggers that name the full texts."""
    conn.execute("DROP TRIGGER IF EXISTS articles_fts_delete")
    conn.execute("DROP TRIGGER IF EXISTS articles_fts_update")
    conn.execute("DROP TABLE articles_fts")
    conn.execute(FTS_TABLE)
    conn.execute(FTS_SETTINGS)
    for statement in split_sql(FULL_TEXTS + INDEX_TRIGGERS):
        conn.execute(statement)
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")


def _v7_to_v8(conn: sqlite3.Connection) -> None:
    """Add the watchlists' bookmarks (none yet) and their trigger."""
    for statement in split_sql(WATCH_MARKS):
        conn.execute(statement)


def _v9_to_v10(conn: sqlite3.Connection) -> None:
    """Add the identifiers table (empty) and mark every stored article for the backfill that
    finds their identifiers later, in batches (a store may hold a million articles)."""
    for statement in split_sql(IDENTIFIERS_V10):
        conn.execute(statement)
    conn.execute(
        "INSERT INTO backfills (name, below)"
        " SELECT 'identifiers', max(rowid) + 1 FROM articles HAVING count(*) > 0"
    )


def _v11_to_v12(conn: sqlite3.Connection) -> None:
    """Add the table of articles whose identifiers are found after they were stored, and the
    tombstones' entry digests."""
    for statement in split_sql(LATER):
        conn.execute(statement)
    add_tombstone_digests(conn)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
    7: _v7_to_v8,
    8: add_stories,
    9: _v9_to_v10,
    10: add_sync,
    11: _v11_to_v12,
    12: add_muted,
    13: add_followers,
}
"""``MIGRATIONS[n](conn)`` brings a version-*n* database to version *n + 1*."""
