"""The tombstones' entry digests (schema 12): what a new file is made with and what the
upgrade adds.

``removed`` (schema 6) holds a tombstone per article removed on purpose, by feed and public
id, with ``time``: when it was removed, or last sent again by its feed. Schema 12 adds
``digest``, the entry digest the article was read from, so that a refresh skips the entry
before converting it, as it does for a stored article (see :mod:`biotui.store.tombstones`).
"""

from __future__ import annotations

import sqlite3

__all__ = ["TOMBSTONES", "add_tombstone_digests"]

TOMBSTONES = """
ALTER TABLE removed ADD COLUMN digest TEXT;
"""
"""The tombstones' entry digests (schema 12); NULL for a tombstone made without one."""


def add_tombstone_digests(conn: sqlite3.Connection) -> None:
    """Bring a schema-11 file to schema 12: the column, empty for the tombstones it holds."""
    from biotui.store.schema import split_sql

    for statement in split_sql(TOMBSTONES):
        conn.execute(statement)
