"""How long a tombstone is kept, and what keeps it: the feed sending the article again.

A tombstone (table ``removed``, see :mod:`biotui.store.removals`) keeps a removed article from
being stored again as new. It is only needed while the feed may send that article, so each
one carries ``time``, when it was removed or last sent again, and is dropped by
``biotui vacuum`` once its feed has been read for :data:`TOMBSTONE_DAYS` without sending it
(measured up to the feed's last successful refresh, so a feed not fetched meanwhile, or a
store left alone, keeps its tombstones).

The refresh learns that a feed sends an article again only when the entry reaches the ingest.
A tombstone's entry digest is handed to the parse (which then skips the entry before
converting it, as for a stored article) only while the tombstone was renewed within
:data:`OFFERED_DAYS`; after that the entry is read once more, the ingest finds the tombstone,
skips the article and renews the tombstone. So an entry a feed keeps sending costs one
conversion every :data:`OFFERED_DAYS`, and its tombstone never lapses.

A synced article's item stays in ``sync_items`` after its article is removed: the sync then
knows the item and does not download it again. That row goes when the article's tombstone
goes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from datetime import timedelta

__all__ = [
    "OFFERED_DAYS",
    "TOMBSTONE_DAYS",
    "bury",
    "count",
    "expire",
    "expiring",
    "offered_digests",
    "seen_again",
]

TOMBSTONE_DAYS = 180
"""Days of a feed's refreshes without the article after which its tombstone is dropped."""

OFFERED_DAYS = 90
"""Days after a tombstone's renewal during which the parse skips its entry by digest."""

_DAY_US = int(timedelta(days=1).total_seconds() * 1_000_000)

_EXPIRED = """
FROM removed
WHERE time < min(:now, coalesce((SELECT last_success FROM feeds WHERE name = removed.feed),
                                :now)) - :window
"""
"""The tombstones whose feed has been read for the window since they were last renewed (a
feed without a status, or gone, counts from now)."""

_ITEMS_OF = """
DELETE FROM sync_items
WHERE article IN (SELECT value FROM json_each(?))
    AND NOT EXISTS (SELECT 1 FROM articles WHERE id = sync_items.article)
"""
"""The synced items of the given article ids whose article is gone."""


def bury(conn: sqlite3.Connection, rows: Sequence[tuple[str, str, str | None]], now: int) -> None:
    """Tombstone ``(feed, article id, entry digest)`` rows at time ``now`` (microseconds),
    renewing any already held."""
    conn.executemany(
        "INSERT INTO removed (feed, article, time, digest) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO UPDATE SET time = excluded.time,"
        " digest = coalesce(excluded.digest, digest)",
        [(feed, article, now, digest) for feed, article, digest in rows],
    )


def seen_again(conn: sqlite3.Connection, feed: str, ids: Collection[str], now: int) -> None:
    """``feed`` sent the tombstoned articles ``ids`` again: renew their tombstones."""
    conn.execute(
        "UPDATE removed SET time = ? WHERE feed = ?"
        " AND article IN (SELECT value FROM json_each(?))",
        (now, feed, json.dumps(list(ids))),
    )


def offered_digests(conn: sqlite3.Connection, feed: str, now: int) -> frozenset[str]:
    """The entry digests of ``feed``'s tombstones renewed within :data:`OFFERED_DAYS`."""
    rows = conn.execute(
        "SELECT digest FROM removed WHERE feed = ? AND digest IS NOT NULL AND time >= ?",
        (feed, now - OFFERED_DAYS * _DAY_US),
    )
    return frozenset(digest for (digest,) in rows)


def count(conn: sqlite3.Connection) -> int:
    """How many tombstones the store holds."""
    return int(conn.execute("SELECT count(*) FROM removed").fetchone()[0])


def expiring(conn: sqlite3.Connection, now: int) -> int:
    """How many tombstones :func:`expire` would drop now."""
    params = {"now": now, "window": TOMBSTONE_DAYS * _DAY_US}
    return int(conn.execute(f"SELECT count(*) {_EXPIRED}", params).fetchone()[0])


def expire(conn: sqlite3.Connection, now: int) -> int:
    """Drop the lapsed tombstones (see the module's docstring) and the synced items of their
    articles; return how many tombstones went. Inside the caller's write transaction."""
    params = {"now": now, "window": TOMBSTONE_DAYS * _DAY_US}
    lapsed = [article for (article,) in conn.execute(f"SELECT article {_EXPIRED}", params)]
    conn.execute(f"DELETE {_EXPIRED}", params)
    if lapsed and conn.execute("SELECT 1 FROM sync_items LIMIT 1").fetchone() is not None:
        conn.execute(_ITEMS_OF, (json.dumps(lapsed),))
    return len(lapsed)
