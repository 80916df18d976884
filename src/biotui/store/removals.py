"""Removing articles on purpose, leaving a tombstone of each so that they do not come back.

An article removed with its feed (``biotui remove``) or with its deleted file is deleted from
``articles`` (the counts and the full-text index follow through their triggers) and its public
id is kept in ``removed``: the ingest skips an id found there, so the article is not stored
again as new when the feed is added again or the file comes back. Starred articles are kept
unless asked otherwise: they stay readable.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import UTC, datetime

from biotui.store.rows import to_us
from biotui.store.tombstones import bury

__all__ = ["remove_articles", "tombstoned"]

_SELECT = """
SELECT id, source_hash FROM articles WHERE feed = :feed AND (:all OR starred = 0)
    AND (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids)))
"""

_LOOKUP_CHUNK = 5_000
"""Ids looked up per statement (passed as one JSON array)."""


def remove_articles(
    conn: sqlite3.Connection,
    feed: str,
    *,
    keep_starred: bool = True,
    ids: Collection[str] | None = None,
) -> int:
    """Delete the articles of ``feed`` (all of them, or those of public ids ``ids``), starred
    ones only when ``keep_starred`` is False, tombstone their ids, and return how many were
    deleted. Removing every article of a feed (``ids`` None) also forgets its file signatures,
    and the feed itself when no article of it is left. Inside the caller's write
    transaction."""
    wanted = None if ids is None else json.dumps(list(ids))
    params = {"feed": feed, "all": not keep_starred, "ids": wanted}
    found = conn.execute(_SELECT, params).fetchall()
    gone = [article_id for article_id, _ in found]
    now = to_us(datetime.now(UTC))
    assert now is not None
    bury(conn, [(feed, article_id, digest) for article_id, digest in found], now)
    conn.executemany("DELETE FROM articles WHERE id = ?", [(article_id,) for article_id in gone])
    if ids is None:
        conn.execute("DELETE FROM files WHERE feed = ?", (feed,))
        left = conn.execute("SELECT 1 FROM articles WHERE feed = ? LIMIT 1", (feed,)).fetchone()
        if left is None:
            conn.execute("DELETE FROM feeds WHERE name = ?", (feed,))
    return len(gone)


def tombstoned(conn: sqlite3.Connection, feed: str, ids: Collection[str]) -> frozenset[str]:
    """The ids among ``ids`` that were removed from ``feed`` on purpose."""
    if conn.execute("SELECT 1 FROM removed WHERE feed = ? LIMIT 1", (feed,)).fetchone() is None:
        return frozenset()
    listed = list(ids)
    sql = (
        "SELECT article FROM removed WHERE feed = ? AND article IN (SELECT value FROM json_each(?))"
    )
    found: set[str] = set()
    for start in range(0, len(listed), _LOOKUP_CHUNK):
        chunk = json.dumps(listed[start : start + _LOOKUP_CHUNK])
        found.update(article_id for (article_id,) in conn.execute(sql, (feed, chunk)))
    return frozenset(found)
