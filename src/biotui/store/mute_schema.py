"""The kept set of muted articles (schema 13): what a new file is made with and what the
upgrade adds.

- ``muted_for``: one row, the mute rules (encoded by :mod:`biotui.store.muted`) the set was
  worked out for; no row: for no rules.
- ``muted``: the articles those rules match, starred or not (starring hides nothing, it is
  checked when listing), by ``articles.rowid``, with ``rules``: a bit per rule that matches.
- ``feed_counts.muted``, ``feed_counts.muted_unread``: per feed, how many articles of
  ``muted`` are unstarred, and unread, so that the counts less the muted ones cost the same at
  any size of the store. The code that adds or drops rows of ``muted`` counts them in one
  statement; triggers on ``articles`` follow deletes and changes of feed, read and starred.
"""

from __future__ import annotations

import sqlite3

__all__ = ["MUTED", "add_muted"]

MUTED = """
ALTER TABLE feed_counts ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feed_counts ADD COLUMN muted_unread INTEGER NOT NULL DEFAULT 0;

CREATE TABLE muted_for (
    only  INTEGER PRIMARY KEY CHECK (only = 0),
    rules TEXT NOT NULL
);

CREATE TABLE muted (
    article INTEGER PRIMARY KEY,
    rules   INTEGER NOT NULL
);

CREATE TRIGGER muted_delete AFTER DELETE ON articles
WHEN EXISTS (SELECT 1 FROM muted WHERE article = old.rowid) BEGIN
    UPDATE feed_counts SET
        muted = muted - (old.starred = 0),
        muted_unread = muted_unread - (old.starred = 0 AND old.read = 0)
    WHERE feed = old.feed;
    DELETE FROM muted WHERE article = old.rowid;
END;

CREATE TRIGGER muted_update AFTER UPDATE OF feed, read, starred ON articles
WHEN EXISTS (SELECT 1 FROM muted WHERE article = new.rowid) BEGIN
    UPDATE feed_counts SET
        muted = muted - (old.starred = 0),
        muted_unread = muted_unread - (old.starred = 0 AND old.read = 0)
    WHERE feed = old.feed;
    INSERT INTO feed_counts (feed, muted, muted_unread)
    VALUES (new.feed, new.starred = 0, new.starred = 0 AND new.read = 0)
    ON CONFLICT (feed) DO UPDATE SET
        muted = muted + excluded.muted, muted_unread = muted_unread + excluded.muted_unread;
END;
"""
"""The kept set's tables and triggers (schema 13)."""


def add_muted(conn: sqlite3.Connection) -> None:
    """Bring a schema-12 file to schema 13: the tables, empty (worked out for no rules). The
    set for the configured rules is worked out afterwards, once (see
    :mod:`biotui.store.muted`): a store may hold a million articles."""
    from biotui.store.schema import split_sql

    for statement in split_sql(MUTED):
        conn.execute(statement)
