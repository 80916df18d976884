"""The stories' tables (schema 9), in one place: what a new file is made with and what the
upgrade from schema 7 adds.

- ``stories``: one row per story id ever given (AUTOINCREMENT: an id is never given twice,
  even after its articles are gone), so that a story id a reader kept never names another
  story.
- ``story_members``: an article's story (by ``articles.rowid``), its headline time and what
  the grouping knows of it (``features``: text that only the grouping reads) and the keys
  it can be found by (``keys``, a JSON array). An article without a row is not grouped yet
  (see :mod:`biotui.store.stories`).
- ``story_keys``: each grouped article under each of its keys, by time: a new article's
  candidates are the articles sharing a key within a time window, read through the key
  order.

Deleting an article deletes its rows here (trigger ``story_members_forget``).
"""

from __future__ import annotations

import sqlite3

__all__ = ["STORIES", "add_stories"]

STORIES = """
CREATE TABLE stories (
    story INTEGER PRIMARY KEY AUTOINCREMENT
);

CREATE TABLE story_members (
    article   INTEGER PRIMARY KEY,
    story     INTEGER NOT NULL,
    sort_time INTEGER NOT NULL,
    features  TEXT NOT NULL,
    keys      TEXT NOT NULL DEFAULT '[]'
);

CREATE INDEX story_members_by_story ON story_members (story, sort_time, article);

CREATE TABLE story_keys (
    key       TEXT NOT NULL,
    sort_time INTEGER NOT NULL,
    article   INTEGER NOT NULL,
    PRIMARY KEY (key, sort_time, article)
) WITHOUT ROWID;

CREATE TRIGGER story_members_forget AFTER DELETE ON articles BEGIN
    DELETE FROM story_keys WHERE (key, sort_time, article) IN (
        SELECT keys.value, m.sort_time, m.article
        FROM story_members AS m, json_each(m.keys) AS keys WHERE m.article = old.rowid
    );
    DELETE FROM story_members WHERE article = old.rowid;
END;
"""
"""The stories' tables, index and trigger (schema 9)."""


def add_stories(conn: sqlite3.Connection) -> None:
    """Bring a schema-8 file to schema 9: the stories' tables, empty. The stored articles
    are grouped afterwards, in the background and resumably (nothing is grouped here: a
    store may hold a million articles)."""
    from biotui.store.schema import split_sql

    for statement in split_sql(STORIES):
        conn.execute(statement)
