"""Which grouped articles follow their story's first one (schema 14): what a new file is
made with and what the upgrade adds.

- ``story_members.follows``: for a member that is not its story's earliest (by
  ``sort_time``, then rowid), the rowid of the earliest; 0 for the earliest. A list shows a
  story once, so it leaves out the members that follow a listed one; the column and its
  partial index ``story_followers`` (covering what the listing reads of them) let SQL find
  those few among a store of any size without reading every member, and tell at once whom
  each follows.
- :data:`RELEAD` puts right the stories the grouping just wrote (a new member, two stories
  merged, an earlier article joining); the trigger ``story_members_forget`` does it for the
  story of a deleted article.
"""

from __future__ import annotations

import sqlite3

__all__ = ["FOLLOWERS", "RELEAD", "add_followers"]


def _lead(stories: str) -> str:
    """An ``UPDATE`` setting ``follows`` right in the stories ``stories`` (a condition on
    ``story``), writing only the rows that change: one pass over them in story order."""
    return f"""
UPDATE story_members SET follows = lead.follows
FROM (
    SELECT article, CASE WHEN first = article THEN 0 ELSE first END AS follows
    FROM (
        SELECT article, first_value(article) OVER (
            PARTITION BY story ORDER BY sort_time, article
        ) AS first
        FROM story_members INDEXED BY story_members_by_story WHERE {stories}
    )
) AS lead
WHERE story_members.article = lead.article AND story_members.follows != lead.follows
"""


RELEAD = _lead("story IN (SELECT value FROM json_each(?))")
"""Put right ``follows`` in the stories of a JSON array of story ids."""

FOLLOWERS = """
ALTER TABLE story_members ADD COLUMN follows INTEGER NOT NULL DEFAULT 0;

CREATE INDEX story_followers ON story_members (article, follows, story, sort_time)
WHERE follows;

DROP TRIGGER story_members_forget;

CREATE TRIGGER story_members_forget AFTER DELETE ON articles BEGIN
    DELETE FROM story_keys WHERE (key, sort_time, article) IN (
        SELECT keys.value, m.sort_time, m.article
        FROM story_members AS m, json_each(m.keys) AS keys WHERE m.article = old.rowid
    );
    UPDATE story_members SET follows = (
        SELECT CASE WHEN e.article = story_members.article THEN 0 ELSE e.article END
        FROM story_members AS e INDEXED BY story_members_by_story
        WHERE e.story = story_members.story AND e.article != old.rowid
        ORDER BY e.sort_time, e.article LIMIT 1
    ) WHERE story = (SELECT story FROM story_members WHERE article = old.rowid)
    AND follows = old.rowid;
    DELETE FROM story_members WHERE article = old.rowid;
END;
"""
"""The column, its index and the delete trigger that keeps it (schema 14; the trigger
replaces schema 9's): deleting a story's first article makes the next one first."""


def add_followers(conn: sqlite3.Connection) -> None:
    """Bring a schema-13 file to schema 14: the column, set for every grouped article (one
    pass over the stories, in SQL)."""
    from biotui.store.schema import split_sql

    for statement in split_sql(FOLLOWERS):
        conn.execute(statement)
    conn.execute(_lead("1"))
