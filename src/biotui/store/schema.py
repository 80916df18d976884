"""The database schema of the current version: tables, indexes, the FTS5 index, triggers.

``PRAGMA user_version`` holds the schema version and ``application_id`` marks the file as
ours; :mod:`biotui.store.migrations` brings older files to :data:`SCHEMA_VERSION`.

- ``articles``: small, hot columns first (the body overflows to other pages and is read only
  when shown). Headlines sort by ``sort_time`` (the publication time, or the time biotui
  first saw the article when there is none or when it lies in the future), ties broken by
  rowid, newest first; ``articles_by_time`` holds that order.
- ``articles_fts``: an FTS5 external-content index over title, body, source, author and feed,
  its content the view ``articles_indexed``: an article's body followed by its full text, if
  any. New articles are indexed by the ingest in one statement (see
  :mod:`biotui.store.ingest`); triggers keep it current for changed and deleted ones and for
  full texts stored, replaced or dropped. Changing read or starred state never touches it.
- ``full_texts``: an article's full text, fetched from its page (schema 7), apart from the
  body its feed sends, so that the feed sending its teaser again never loses it; with the
  failed attempts and the last error, for retries. Goes with its article.
- ``feed_counts``: per feed, how many articles, unread, starred and starred unread, so that
  counting costs the same at any size. The ingest adds its new rows in one statement (a
  trigger per row cost it noticeably more); triggers follow deletes and changes of feed, read
  and starred; and (schema 13) those of ``muted``, the articles the mute rules hide (see
  :mod:`biotui.store.mute_schema`).
- ``mark_actions`` and ``mark_changes``: the log of marking actions (see
  :mod:`biotui.store.marks`): each action's time and new values, and for each article it
  changed, by public id, the state it had before, so that it can be undone exactly and pushed
  to a server later.
- ``stories``, ``story_members``, ``story_keys``: stories (:mod:`biotui.store.story_schema`;
  which members follow their story's first, since schema 14: :mod:`.follower_schema`).
- ``removed``: tombstones of articles removed with their feed, their file or by age (see
  :mod:`biotui.store.removals`, :mod:`biotui.store.tombstones`), by feed and public id, so that
  the ingest does not store them again as new; their entry digests since schema 12.
- ``watch_marks``: per saved search and reader, the highest rowid seen (:mod:`.watchmarks`).
- ``identifiers``: the identifiers each article names (schema 10, see
  :mod:`biotui.store.identifiers`), by kind and comparison form; ``backfills`` and (schema 12)
  ``identifiers_later``: the articles still without theirs (see :mod:`biotui.store.backfill`).
- ``sync_accounts``, ``sync_feeds``, ``sync_items``: a sync's state (:mod:`.sync_schema`).
"""

from __future__ import annotations

import sqlite3

from biotui.store.follower_schema import FOLLOWERS
from biotui.store.identifier_schema import IDENTIFIERS
from biotui.store.mute_schema import MUTED
from biotui.store.story_schema import STORIES
from biotui.store.sync_schema import SYNC
from biotui.store.tombstone_schema import TOMBSTONES

__all__ = [
    "APPLICATION_ID",
    "BM25_WEIGHTS",
    "COUNTS",
    "DB_NAME",
    "FTS_AUTOMERGE",
    "FTS_COLUMNS",
    "FTS_SETTINGS",
    "FTS_TABLE",
    "FTS_TOKENIZE",
    "FULL_TEXTS",
    "IDENTIFIERS",
    "INDEX_TRIGGERS",
    "MARKS",
    "PAGE_SIZE",
    "REMOVED",
    "ROWID_INDEX",
    "SCHEMA",
    "SCHEMA_VERSION",
    "STARRED_INDEX",
    "WATCH_MARKS",
    "fts_table",
    "split_sql",
]

DB_NAME = "biotui.db"
"""The database file's name inside the data directory."""

PAGE_SIZE = 16384
"""The page size of a new database file: larger than SQLite's default so that a row with its
body does not fill a page of its own and the full-text index's blobs pack tighter (fewer,
larger writes when storing articles). A file made with another page size keeps it."""

SCHEMA_VERSION = 14
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


def fts_table(content: str) -> str:
    """The index's definition over the table or view ``content`` (``articles`` before
    schema 7, ``articles_indexed`` since)."""
    return f"""
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    {", ".join(FTS_COLUMNS)},
    content = '{content}',
    content_rowid = 'rowid',
    tokenize = '{FTS_TOKENIZE}'
);
"""


FTS_TABLE = fts_table("articles_indexed")

FTS_AUTOMERGE = 16
"""Segments of one level the index lets build up before merging them (above FTS5's default).
Every refresh of a feed adds a segment; merging less often makes many small ingests cheaper,
for slightly slower lookups."""

FTS_SETTINGS = f"""
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', {FTS_AUTOMERGE});
"""

ROWID_INDEX = """
CREATE INDEX IF NOT EXISTS articles_by_rowid ON articles (rowid, sort_time, read, starred, feed);
"""

STARRED_INDEX = """
-- Starred articles in headline order (a handful of rows): "Starred" and its counts are instant.
CREATE INDEX IF NOT EXISTS articles_starred ON articles (sort_time DESC, rowid DESC, read, feed)
WHERE starred = 1;
"""

COUNTS = """
-- Per feed: articles, unread, starred, starred unread. Rows of feeds without articles may be
-- missing or zero; a feed's row goes with the feed. Articles are inserted by the ingest only,
-- which counts its new rows itself (see biotui.store.ingest); triggers follow every other change.
CREATE TABLE feed_counts (
    feed           TEXT PRIMARY KEY NOT NULL,
    total          INTEGER NOT NULL DEFAULT 0,
    unread         INTEGER NOT NULL DEFAULT 0,
    starred        INTEGER NOT NULL DEFAULT 0,
    starred_unread INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TRIGGER feed_counts_delete AFTER DELETE ON articles BEGIN
    UPDATE feed_counts SET
        total = total - 1, unread = unread - (old.read = 0), starred = starred - (old.starred = 1),
        starred_unread = starred_unread - (old.starred = 1 AND old.read = 0)
    WHERE feed = old.feed;
END;

CREATE TRIGGER feed_counts_update AFTER UPDATE OF feed, read, starred ON articles BEGIN
    UPDATE feed_counts SET
        total = total - 1, unread = unread - (old.read = 0), starred = starred - (old.starred = 1),
        starred_unread = starred_unread - (old.starred = 1 AND old.read = 0)
    WHERE feed = old.feed;
    INSERT INTO feed_counts (feed, total, unread, starred, starred_unread)
    VALUES (new.feed, 1, new.read = 0, new.starred = 1, new.starred = 1 AND new.read = 0)
    ON CONFLICT (feed) DO UPDATE SET
        total = total + 1, unread = unread + excluded.unread, starred = starred + excluded.starred,
        starred_unread = starred_unread + excluded.starred_unread;
END;

CREATE TRIGGER feed_counts_forget AFTER DELETE ON feeds BEGIN
    DELETE FROM feed_counts WHERE feed = old.name;
END;

INSERT INTO feed_counts (feed, total, unread, starred, starred_unread)
SELECT feed, count(*), total(read = 0), total(starred = 1), total(starred = 1 AND read = 0)
FROM articles GROUP BY feed;
"""
"""The counts table, its triggers, and its filling from the stored articles (if any)."""

MARKS = """
-- One row per marking action: when, and the values it set (NULL: that flag was left alone).
-- ``undone`` is the time it was undone, NULL while it holds. ``undoable`` is 0 for an action
-- the person did not ask for (the app's read-on-open): logged for a sync, never undone.
CREATE TABLE mark_actions (
    action   INTEGER PRIMARY KEY,
    time     INTEGER NOT NULL,
    read     INTEGER,
    starred  INTEGER,
    undone   INTEGER,
    undoable INTEGER NOT NULL DEFAULT 1
);

-- The articles an action changed (by public id: they outlive rowids and mean the same to a
-- server) and their state before it (NULL: that flag was not changed for this article).
CREATE TABLE mark_changes (
    action      INTEGER NOT NULL REFERENCES mark_actions (action) ON DELETE CASCADE,
    article     TEXT NOT NULL,
    was_read    INTEGER,
    was_starred INTEGER,
    PRIMARY KEY (action, article)
) WITHOUT ROWID;
"""
"""The log of marking actions (schema 6)."""

REMOVED = """
-- Articles removed on purpose (their feed removed, their file deleted): the ingest skips these
-- ids. No reference to ``feeds``: a tombstone outlives its feed.
CREATE TABLE removed (
    feed    TEXT NOT NULL,
    article TEXT NOT NULL,
    time    INTEGER NOT NULL,
    PRIMARY KEY (feed, article)
) WITHOUT ROWID;
"""
"""The tombstones of removed articles (schema 6)."""

WATCH_MARKS = """
-- A watchlist's bookmark: the highest articles.rowid that ``reader`` ('app', 'cli') has seen
-- of saved search ``search`` (by name). Rowids only grow, but for the top one deleted: then
-- the trigger lowers every bookmark above what is left, so a new article is never hidden.
CREATE TABLE watch_marks (
    search TEXT NOT NULL,
    reader TEXT NOT NULL,
    seen   INTEGER NOT NULL,
    PRIMARY KEY (search, reader)
) WITHOUT ROWID;

CREATE TRIGGER watch_marks_lower AFTER DELETE ON articles
WHEN old.rowid > coalesce((SELECT max(rowid) FROM articles), 0) BEGIN
    UPDATE watch_marks SET seen = coalesce((SELECT max(rowid) FROM articles), 0)
    WHERE seen > coalesce((SELECT max(rowid) FROM articles), 0);
END;
"""
"""The watchlists' bookmarks and the trigger that keeps them below the next rowid (schema 8)."""

FULL_TEXTS = """
-- An article's full text from its page: ``body`` (Markdown, NULL until a fetch succeeds) and
-- ``notes`` as JSON, ``fetched`` when; ``attempts`` failed fetches since the last success,
-- ``tried`` the last one's time and ``last_error`` its one line. Keyed by ``articles.rowid``;
-- the article's delete trigger removes the row.
CREATE TABLE full_texts (
    article    INTEGER PRIMARY KEY,
    body       TEXT,
    notes      TEXT NOT NULL DEFAULT '[]',
    fetched    INTEGER,
    attempts   INTEGER NOT NULL DEFAULT 0,
    tried      INTEGER,
    last_error TEXT
);

-- What the full-text index holds for each article: its body, then its full text.
CREATE VIEW articles_indexed AS
SELECT articles.rowid AS rowid, title,
       articles.body || coalesce(char(10, 10) || full_texts.body, '') AS body,
       source, author, feed
FROM articles LEFT JOIN full_texts ON full_texts.article = articles.rowid;

CREATE TRIGGER full_texts_insert AFTER INSERT ON full_texts WHEN new.body IS NOT NULL BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body, source, author, feed)
    SELECT 'delete', rowid, title, body, source, author, feed FROM articles
    WHERE rowid = new.article;
    INSERT INTO articles_fts (rowid, title, body, source, author, feed)
    SELECT rowid, title, body || char(10, 10) || new.body, source, author, feed FROM articles
    WHERE rowid = new.article;
END;

CREATE TRIGGER full_texts_update AFTER UPDATE OF body ON full_texts
WHEN old.body IS NOT new.body BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body, source, author, feed)
    SELECT 'delete', rowid, title, body || coalesce(char(10, 10) || old.body, ''), source,
           author, feed
    FROM articles WHERE rowid = old.article;
    INSERT INTO articles_fts (rowid, title, body, source, author, feed)
    SELECT rowid, title, body || coalesce(char(10, 10) || new.body, ''), source, author, feed
    FROM articles WHERE rowid = new.article;
END;

CREATE TRIGGER full_texts_delete AFTER DELETE ON full_texts WHEN old.body IS NOT NULL BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body, source, author, feed)
    SELECT 'delete', rowid, title, body || char(10, 10) || old.body, source, author, feed
    FROM articles WHERE rowid = old.article;
    INSERT INTO articles_fts (rowid, title, body, source, author, feed)
    SELECT rowid, title, body, source, author, feed FROM articles WHERE rowid = old.article;
END;
"""
"""The full texts fetched from the articles' pages and what the index holds (schema 7)."""


def _indexed_body(row: str) -> str:
    """SQL for what the index holds as the body of the article ``row`` (``old``/``new``)."""
    return (
        f"{row}.body || coalesce(char(10, 10) || "
        f"(SELECT body FROM full_texts WHERE article = {row}.rowid), '')"
    )


INDEX_TRIGGERS = f"""
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body, source, author, feed)
    VALUES ('delete', old.rowid, old.title, {_indexed_body("old")}, old.source, old.author,
            old.feed);
    DELETE FROM full_texts WHERE article = old.rowid;
END;

CREATE TRIGGER articles_fts_update
AFTER UPDATE OF title, body, source, author, feed ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body, source, author, feed)
    VALUES ('delete', old.rowid, old.title, {_indexed_body("old")}, old.source, old.author,
            old.feed);
    INSERT INTO articles_fts (rowid, title, body, source, author, feed)
    VALUES (new.rowid, new.title, {_indexed_body("new")}, new.source, new.author, new.feed);
END;
"""
"""The triggers that keep the index current for changed and deleted articles (since schema 7
with their full text; the article's delete also drops its full text)."""

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
-- without reading the wide table rows (a filter matching many articles reads only this).
{ROWID_INDEX}
{STARRED_INDEX}

CREATE TABLE files (
    feed     TEXT NOT NULL REFERENCES feeds (name) ON DELETE CASCADE ON UPDATE CASCADE,
    path     TEXT NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    PRIMARY KEY (feed, path)
) WITHOUT ROWID;

{FTS_TABLE}
{FTS_SETTINGS}

{FULL_TEXTS}

{INDEX_TRIGGERS}

{COUNTS}{MUTED}

{MARKS}

{REMOVED}{TOMBSTONES}

{WATCH_MARKS}

{STORIES}{FOLLOWERS}

{IDENTIFIERS}

{SYNC}"""


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
