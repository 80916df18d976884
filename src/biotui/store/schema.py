"""The database schema, its version, and the migrations from older versions.

``PRAGMA user_version`` holds the schema version and ``application_id`` marks the file as
ours; :data:`MIGRATIONS` maps version *n* to the function that brings a file to *n + 1* (run
inside the transaction that then sets ``user_version``).

Versions:

1. First release: FTS5 with ``porter unicode61 remove_diacritics 2``.
2. No Porter stemmer in the index (it made "organ" find "organization", "generic" find
   "general"): the filter language expands plurals itself, see :mod:`biotui.search`. The index
   is rebuilt from the articles table. New index ``articles_starred``; ``articles_by_rowid`` is
   created if an early version-1 file lacks it.
3. ``articles.source_hash``: a digest of the feed entry an article was read from, so that a
   refresh skips converting entries it already holds unchanged (a server that ignores
   conditional requests sends them all again). Added empty; filled as feeds are refreshed.
4. No trigger indexes an inserted article: an ingest inserts its new rows, then indexes them
   in one statement (see :mod:`biotui.store.database`). The update and delete triggers stay.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = [
    "APPLICATION_ID",
    "BM25_WEIGHTS",
    "DB_NAME",
    "FTS_AUTOMERGE",
    "FTS_COLUMNS",
    "FTS_TOKENIZE",
    "MIGRATIONS",
    "PAGE_SIZE",
    "SCHEMA",
    "SCHEMA_VERSION",
    "split_sql",
]

DB_NAME = "biotui.db"
"""The database file's name inside the data directory."""

PAGE_SIZE = 16384
"""The page size of a new database file. Storing articles took a seventh less time than with
SQLite's 4096, and half the system time (fewer, larger writes): a row with its 2-3 KB body no
longer fills a page of its own, and the full-text index's blobs pack tighter."""

SCHEMA_VERSION = 4
"""The schema version this code writes, kept in ``PRAGMA user_version``."""

APPLICATION_ID = 0x62696F74
"""``PRAGMA application_id`` of a biotui database (ASCII ``biot``)."""

FTS_COLUMNS = ("title", "body", "source", "author", "feed")
"""The columns of the full-text index, in index order."""

FTS_TOKENIZE = "unicode61 remove_diacritics 2"
"""The index's tokenizer: words are runs of letters and digits (everything else separates),
compared without case or accents. No stemming: :mod:`biotui.search` expands plurals."""

BM25_WEIGHTS = {"title": 10.0, "body": 1.0, "source": 3.0, "author": 2.0, "feed": 2.0}
"""Column weights of the relevance order (a title match counts ten times a body match)."""

_FTS_TABLE = f"""
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    {", ".join(FTS_COLUMNS)},
    content = 'articles',
    content_rowid = 'rowid',
    tokenize = '{FTS_TOKENIZE}'
);
"""

FTS_AUTOMERGE = 16
"""Segments of one level the index lets build up before merging them (FTS5's default: 4).
Every refresh of a feed adds a segment; merging less often made 1,000 ingests of 50 articles
9 % faster, for lookups up to 0.2 ms slower."""

_FTS_SETTINGS = f"""
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', {FTS_AUTOMERGE});
"""

_ROWID_INDEX = """
CREATE INDEX IF NOT EXISTS articles_by_rowid ON articles (rowid, sort_time, read, starred, feed);
"""

_STARRED_INDEX = """
-- Starred articles in headline order (a handful of rows): "Starred" and its counts are instant.
CREATE INDEX IF NOT EXISTS articles_starred ON articles (sort_time DESC, rowid DESC, read, feed)
WHERE starred = 1;
"""

SCHEMA = f"""
CREATE TABLE feeds (
    name          TEXT PRIMARY KEY NOT NULL,
    location      TEXT NOT NULL DEFAULT '',
    etag          TEXT,
    last_modified TEXT,
    last_checked  INTEGER,
    last_success  INTEGER,
    last_error    TEXT,
    retry_after   INTEGER
);

-- Small, hot columns first: the body overflows to other pages and is read only when shown.
CREATE TABLE articles (
    rowid        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    feed         TEXT NOT NULL REFERENCES feeds (name) ON DELETE CASCADE ON UPDATE CASCADE,
    sort_time    INTEGER NOT NULL,
    read         INTEGER NOT NULL DEFAULT 0,
    starred      INTEGER NOT NULL DEFAULT 0,
    published    INTEGER,
    first_seen   INTEGER NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    guid         TEXT NOT NULL,
    link         TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL DEFAULT '',
    source_title TEXT NOT NULL DEFAULT '',
    section      TEXT NOT NULL DEFAULT '',
    place        TEXT NOT NULL DEFAULT '',
    credits      TEXT NOT NULL DEFAULT '[]',
    notes        TEXT NOT NULL DEFAULT '[]',
    body         TEXT NOT NULL DEFAULT '',
    source_hash  TEXT
);

-- The headline order; read and starred ride along so filtering on them reads no table row.
CREATE INDEX articles_by_time ON articles (sort_time DESC, rowid DESC, read, starred);
CREATE INDEX articles_by_feed ON articles (feed, sort_time DESC, rowid DESC, read, starred);
-- Full-text matches come as rowids; this maps them to the sort key (and the other filters)
-- without reading the wide table rows: half the time for a filter matching many articles.
{_ROWID_INDEX}
{_STARRED_INDEX}

CREATE TABLE files (
    feed     TEXT NOT NULL REFERENCES feeds (name) ON DELETE CASCADE ON UPDATE CASCADE,
    path     TEXT NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    PRIMARY KEY (feed, path)
) WITHOUT ROWID;

{_FTS_TABLE}
{_FTS_SETTINGS}

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body, source, author, feed)
    VALUES ('delete', old.rowid, old.title, old.body, old.source, old.author, old.feed);
END;

CREATE TRIGGER articles_fts_update
AFTER UPDATE OF title, body, source, author, feed ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body, source, author, feed)
    VALUES ('delete', old.rowid, old.title, old.body, old.source, old.author, old.feed);
    INSERT INTO articles_fts (rowid, title, body, source, author, feed)
    VALUES (new.rowid, new.title, new.body, new.source, new.author, new.feed);
END;
"""


def split_sql(script: str) -> list[str]:
    """Split a script into statements (``sqlite3.complete_statement`` aware), minus comments."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Rebuild the full-text index without the Porter stemmer (about 6 s per 100,000 articles).

    The triggers name the index table, not its definition, so they stay as they are.
    """
    conn.execute("DROP TABLE articles_fts")
    conn.execute(_FTS_TABLE)
    conn.execute(_FTS_SETTINGS)
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    conn.execute(_ROWID_INDEX)
    conn.execute(_STARRED_INDEX)


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """Add ``articles.source_hash`` (no row is rewritten: the column starts out NULL)."""
    conn.execute("ALTER TABLE articles ADD COLUMN source_hash TEXT")


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """Drop the trigger that indexed each inserted article (the ingest indexes them)."""
    conn.execute("DROP TRIGGER IF EXISTS articles_fts_insert")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}
"""``MIGRATIONS[n](conn)`` brings a version-*n* database to version *n + 1*."""
