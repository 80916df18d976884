"""Taking a current store back to an older schema, for the upgrade tests: what each newer
version added, removed as that version found it."""

from __future__ import annotations

import sqlite3

VERSION_9_TRIGGER = """
CREATE TRIGGER story_members_forget AFTER DELETE ON articles BEGIN
    DELETE FROM story_keys WHERE (key, sort_time, article) IN (
        SELECT keys.value, m.sort_time, m.article
        FROM story_members AS m, json_each(m.keys) AS keys WHERE m.article = old.rowid
    );
    DELETE FROM story_members WHERE article = old.rowid;
END
"""
"""The delete trigger of the stories as schemas 9 to 13 had it."""


def drop_version_14(conn: sqlite3.Connection) -> None:
    """Remove what schema 14 added (which grouped articles follow their story's first)."""
    conn.execute("DROP TRIGGER story_members_forget")
    conn.execute("DROP INDEX story_followers")
    conn.execute("ALTER TABLE story_members DROP COLUMN follows")
    conn.execute(VERSION_9_TRIGGER)
