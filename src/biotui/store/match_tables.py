"""The articles a full-text query keeps, put once in a temporary table of the connection.

A listing, its count and its muted matches all read one query's matches; the index is asked
once (an FTS5 phrase costs more than any later step) and the rowids go to a table of the
connection's own temporary database: a B-tree of rowids, which later statements read
through ``rowid IN temp.listing_matched`` without copying or parsing it, in memory that grows
by a few bytes a match (see ``docs/performance.md``). Each thread has its own connection
(:mod:`biotui.store.connections`), so each has its own tables; they are written again by
every :func:`find`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from biotui.store.matching import Match, match_sql

__all__ = ["EXCLUDED", "MATCHED", "Matches", "find"]

MATCHED = "temp.listing_matched"
"""The rowids ``IndexQuery.match`` keeps, after :func:`find`."""

EXCLUDED = "temp.listing_excluded"
"""The rowids ``IndexQuery.exclude`` keeps, after :func:`find`."""


@dataclass(frozen=True, slots=True)
class Matches:
    """What :func:`find` put in the tables: how many rows ``match`` keeps (None without a
    ``match``: every article), and whether :data:`EXCLUDED` holds rows to leave out."""

    found: int | None
    excluding: bool

    @property
    def matched(self) -> bool:
        """True when only the rows of :data:`MATCHED` are wanted."""
        return self.found is not None


def find(conn: sqlite3.Connection, match: Match | None, exclude: Match | None) -> Matches:
    """Fill :data:`MATCHED` with what ``match`` keeps and :data:`EXCLUDED` with what
    ``exclude`` keeps (each left empty for None)."""
    found = _fill(conn, MATCHED, match)
    _fill(conn, EXCLUDED, exclude)
    return Matches(found, exclude is not None)


def _fill(conn: sqlite3.Connection, table: str, match: Match | None) -> int | None:
    name = table.removeprefix("temp.")
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (rowid INTEGER PRIMARY KEY)")
    conn.execute(f"DELETE FROM {table}")
    if match is None:
        return None
    sql, params = match_sql(match)
    return conn.execute(f"INSERT OR IGNORE INTO {table} {sql}", params).rowcount
