"""What the store keeps per feed: its status, the signatures of its files, its counts.

The counts come from ``feed_counts``, which triggers keep current (see
:mod:`biotui.store.schema`): reading them costs the same whatever the number of articles.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from biotui.model import FeedStatus, FileSignature
from biotui.store.rows import STATUS_COLUMNS, status_from_row, status_values

__all__ = [
    "count",
    "counts",
    "file_signatures",
    "forget_files",
    "save_files",
    "save_statuses",
    "starred_count",
    "status",
    "statuses",
]

_UPSERT_STATUS = f"""
INSERT INTO feeds ({STATUS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET
    location = excluded.location, etag = excluded.etag,
    last_modified = excluded.last_modified, last_checked = excluded.last_checked,
    last_success = excluded.last_success, last_error = excluded.last_error,
    retry_after = excluded.retry_after
"""

_UPSERT_FILE = """
INSERT INTO files (feed, path, size, mtime_ns) VALUES (?, ?, ?, ?)
ON CONFLICT (feed, path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns
"""


def status(conn: sqlite3.Connection, name: str) -> FeedStatus | None:
    """The stored status of feed ``name``, or None."""
    row = conn.execute(f"SELECT {STATUS_COLUMNS} FROM feeds WHERE name = ?", (name,)).fetchone()
    return None if row is None else status_from_row(row)


def statuses(conn: sqlite3.Connection) -> list[FeedStatus]:
    """The status of every known feed, sorted by name."""
    rows = conn.execute(f"SELECT {STATUS_COLUMNS} FROM feeds ORDER BY name").fetchall()
    return [status_from_row(row) for row in rows]


def save_statuses(conn: sqlite3.Connection, saved: Sequence[FeedStatus]) -> None:
    """Create or replace the status of each feed of ``saved``."""
    conn.executemany(_UPSERT_STATUS, [status_values(one) for one in saved])


def file_signatures(conn: sqlite3.Connection, feed: str) -> dict[str, FileSignature]:
    """The size and mtime recorded for each file of ``feed``, keyed by path."""
    rows = conn.execute("SELECT path, size, mtime_ns FROM files WHERE feed = ?", (feed,))
    return {path: FileSignature(path, size, mtime_ns) for path, size, mtime_ns in rows}


def save_files(conn: sqlite3.Connection, feed: str, files: Sequence[FileSignature]) -> None:
    """Create or replace the signatures of ``files`` of ``feed``."""
    conn.executemany(_UPSERT_FILE, [(feed, f.path, f.size, f.mtime_ns) for f in files])


def forget_files(conn: sqlite3.Connection, feed: str, paths: Sequence[str]) -> None:
    """Drop the signatures of ``paths`` of ``feed`` (files deleted from its folder)."""
    conn.executemany("DELETE FROM files WHERE feed = ? AND path = ?", [(feed, p) for p in paths])


def counts(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """``feed -> (total, unread)`` for every known feed (zeros for feeds without articles)."""
    rows = conn.execute(
        "SELECT name, coalesce(total, 0), coalesce(unread, 0)"
        " FROM feeds LEFT JOIN feed_counts ON feed_counts.feed = feeds.name"
    )
    return {name: (int(total), int(unread)) for name, total, unread in rows}


def starred_count(conn: sqlite3.Connection) -> tuple[int, int]:
    """``(total, unread)`` of the starred articles."""
    total, unread = conn.execute(
        "SELECT total(starred), total(starred_unread) FROM feed_counts"
    ).fetchone()
    return int(total), int(unread)


def count(
    conn: sqlite3.Connection,
    *,
    unread_only: bool,
    starred_only: bool,
    feed: str | tuple[str, ...] | None,
) -> int:
    """How many articles pass the filters (no full-text condition), from the counts table."""
    column = {
        (False, False): "total",
        (True, False): "unread",
        (False, True): "starred",
        (True, True): "starred_unread",
    }[unread_only, starred_only]
    sql = f"SELECT total({column}) FROM feed_counts"
    params: tuple[str, ...] = ()
    if isinstance(feed, tuple):
        sql += " WHERE feed IN (SELECT value FROM json_each(?))"
        params = (json.dumps(list(feed)),)
    elif feed is not None:
        sql += " WHERE feed = ?"
        params = (feed,)
    return int(conn.execute(sql, params).fetchone()[0])
