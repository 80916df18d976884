"""Which grouped articles follow their story's first one (schema 14): what a new file is
made with and what the upgrade adds.

- ``story_members.follows``: 1 for a member that is not its story's earliest (by
  ``sort_time``, then rowid), 0 for the earliest. A list shows a story once, so it leaves out
  the members that follow a listed one; the flag and its partial index ``story_followers``
  (covering what the listing reads of them) let SQL find those few among a store of any
  size without reading every member.
- :data:`REFLAG` puts the flags of some stories right after the grouping wrote them (a new
  member, two stories merged); the trigger ``story_members_forget`` clears the flag of the
  member that becomes first when the first one is deleted.
"""

from __future__ import annotations

import sqlite3

__all__ = ["FOLLOWERS", "REFLAG", "add_followers"]

_FIRST = (
    "SELECT e.article FROM story_members AS e INDEXED BY story_members_by_story"
    " WHERE e.story = story_members.story ORDER BY e.sort_time, e.article LIMIT 1"
)

REFLAG = (
    "UPDATE story_members SET follows = NOT follows"
    f" WHERE story IN (SELECT value FROM json_each(?)) AND follows = (article = ({_FIRST}))"
)
"""Correct the flags of the stories of a JSON array of story ids (writing only the wrong
ones)."""

FOLLOWERS = """
ALTER TABLE story_members ADD COLUMN follows INTEGER NOT NULL DEFAULT 0;

CREATE INDEX story_followers ON story_members (article, story, sort_time) WHERE follows;

DROP TRIGGER story_members_forget;

CREATE TRIGGER story_members_forget AFTER DELETE ON articles BEGIN
    UPDATE story_members SET follows = 0 WHERE follows AND article = (
        SELECT e.article FROM story_members AS gone, story_members AS e
        WHERE gone.article = old.rowid AND gone.follows = 0 AND e.story = gone.story
        AND e.article != gone.article ORDER BY e.sort_time, e.article LIMIT 1
    );
    DELETE FROM story_keys WHERE (key, sort_time, article) IN (
        SELECT keys.value, m.sort_time, m.article
        FROM story_members AS m, json_each(m.keys) AS keys WHERE m.article = old.rowid
    );
    DELETE FROM story_members WHERE article = old.rowid;
END;
"""
"""The flag, its index and the delete trigger that keeps it (schema 14; the trigger replaces
schema 9's)."""

_FLAG_ALL = """
UPDATE story_members SET follows = 1 WHERE article IN (
    SELECT article FROM (
        SELECT article, row_number() OVER (PARTITION BY story ORDER BY sort_time, article) AS n
        FROM story_members INDEXED BY story_members_by_story
    ) WHERE n > 1
)
"""


def add_followers(conn: sqlite3.Connection) -> None:
    """Bring a schema-13 file to schema 14: the flag, set for every grouped article (one
    pass over the stories, in SQL)."""
    from biotui.store.schema import split_sql

    for statement in split_sql(FOLLOWERS):
        conn.execute(statement)
    conn.execute(_FLAG_ALL)
