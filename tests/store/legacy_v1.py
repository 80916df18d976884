"""The schema of store version 1 (issue 3), to test migrations (imported by name).

Copied from src/biotui/store.py as released: FTS5 with the Porter stemmer.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

V1_SCHEMA = """
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
    body         TEXT NOT NULL DEFAULT ''
);

-- The headline order; read and starred ride along so filtering on them reads no table row.
CREATE INDEX articles_by_time ON articles (sort_time DESC, rowid DESC, read, starred);
CREATE INDEX articles_by_feed ON articles (feed, sort_time DESC, rowid DESC, read, starred);
-- Full-text matches come as rowids; this maps them to the sort key (and the other filters)
-- without reading the wide table rows: half the time for a filter matching many articles.
CREATE INDEX articles_by_rowid ON articles (rowid, sort_time, read, starred, feed);

CREATE TABLE files (
    feed     TEXT NOT NULL REFERENCES feeds (name) ON DELETE CASCADE ON UPDATE CASCADE,
    path     TEXT NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    PRIMARY KEY (feed, path)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body, source, author, feed,
    content = 'articles',
    content_rowid = 'rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body, source, author, feed)
    VALUES (new.rowid, new.title, new.body, new.source, new.author, new.feed);
END;

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

V1_ARTICLE = (
    "INSERT INTO articles (id, feed, sort_time, read, starred, first_seen, title, source,"
    " content_hash, guid, body) VALUES (?, ?, ?, ?, ?, 0, ?, 'Wire', 'h', ?, ?)"
)


def make_v1_store(
    path: Path, articles: list[tuple[str, str, bool, bool]], *, rowid_index: bool = True
) -> None:
    """Write a version-1 database at ``path`` holding ``articles`` of feed "Old": each is
    (title, body, read, starred); the sort time is the position in the list.

    ``rowid_index=False`` leaves out ``articles_by_rowid``, as the earliest files did.
    """
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    if not rowid_index:
        conn.execute("DROP INDEX articles_by_rowid")
    conn.execute("INSERT INTO feeds (name) VALUES ('Old')")
    for n, (title, body, read, starred) in enumerate(articles):
        conn.execute(V1_ARTICLE, (f"id{n}", "Old", n, read, starred, title, f"g{n}", body))
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {0x62696F74}")
    conn.commit()
    conn.close()
