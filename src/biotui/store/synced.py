"""What a sync with a feed server keeps (tables of :mod:`.sync_schema`): per account, the
server's feeds, which stored article each server item is, where the next page of items starts,
and how far the mark log has reached the server.

The mark log (:mod:`.marks`) is the queue of marks to push: every article an action after the
account's bookmark changed (or an undo stamped after it) is queued, and its current state is
what the server gets. Marks taken from the server are written straight to the articles, not
logged, so they are never pushed back.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from biotui.model import IngestCounts
from biotui.store import ingest
from biotui.store.connections import Connection, Connections
from biotui.store.ingest import IngestRequest
from biotui.store.rows import to_us

__all__ = ["MarkQueue", "QueuedMark", "SyncAccount", "Synced", "SyncedFeed"]

_CHUNK = 5_000
"""Ids passed per statement (as one JSON array)."""


@dataclass(frozen=True, slots=True)
class SyncAccount:
    """An account's row: its number, the backend's ``resume`` string (None: no page stored
    yet, the next sync is a first one) and the last time a sync of it finished."""

    account: int
    key: str
    resume: str | None = None
    synced: datetime | None = None


@dataclass(frozen=True, slots=True)
class SyncedFeed:
    """A server's feed as stored: its id, the feed name its articles are stored under, and
    what the server says of it."""

    id: str
    name: str
    title: str = ""
    url: str = ""
    site_url: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QueuedMark:
    """A synced article a local action changed since the bookmark: its server item, which
    flags changed, and the article's state now."""

    item: str
    read_changed: bool
    starred_changed: bool
    read: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class MarkQueue:
    """The marks to push, and the bookmark to move to once the server has them."""

    marks: tuple[QueuedMark, ...]
    pushed: int
    undone: int


_QUEUED = """
SELECT c.article, max(c.was_read IS NOT NULL), max(c.was_starred IS NOT NULL)
FROM mark_changes AS c JOIN mark_actions AS a ON a.action = c.action
WHERE a.action > :pushed OR coalesce(a.undone, 0) > :undone
GROUP BY c.article
"""
_QUEUE = f"""
WITH changed (article, read_changed, starred_changed) AS ({_QUEUED})
SELECT s.item, changed.read_changed, changed.starred_changed, ar.read, ar.starred
FROM changed
JOIN sync_items AS s ON s.article = changed.article AND s.account = :account
JOIN articles AS ar ON ar.id = changed.article
ORDER BY s.item
"""
_PULL = f"""
WITH queued (article, r, s) AS ({_QUEUED}),
wanted (article, read, starred) AS (
    SELECT s.article, s.item NOT IN temp.sync_unread, s.item IN temp.sync_starred
    FROM sync_items AS s
    WHERE s.account = :account AND s.article NOT IN (SELECT article FROM queued)
)
UPDATE articles SET read = wanted.read, starred = wanted.starred
FROM wanted
WHERE articles.id = wanted.article
    AND (articles.read != wanted.read OR articles.starred != wanted.starred)
"""


class Synced:
    """The store's sync tables (``Store.synced``)."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    def account(self, key: str) -> SyncAccount:
        """The account of ``key``, made on first use with its bookmark at the end of the mark
        log (marks made before the account existed concern no item of it)."""
        with self._db.write("cannot read the sync state") as conn:
            row = _account_row(conn, key)
            if row is None:
                conn.execute(
                    "INSERT INTO sync_accounts (key, pushed, undone)"
                    " SELECT ?, coalesce(max(action), 0), coalesce(max(undone), 0)"
                    " FROM mark_actions",
                    (key,),
                )
                row = _account_row(conn, key)
            assert row is not None
            return row

    def find(self, key: str) -> SyncAccount | None:
        """The account of ``key``, or None when no sync has run with it."""
        with self._db.errors("cannot read the sync state") as conn:
            return _account_row(conn, key)

    def save_feeds(self, account: int, feeds: Sequence[SyncedFeed]) -> None:
        """Replace the account's feeds by ``feeds`` (the server's list as it is now)."""
        rows = [
            (account, f.id, f.name, f.title, f.url, f.site_url, json.dumps(list(f.tags)))
            for f in feeds
        ]
        with self._db.write("cannot store the server's feeds") as conn:
            conn.execute("DELETE FROM sync_feeds WHERE account = ?", (account,))
            conn.executemany("INSERT OR REPLACE INTO sync_feeds VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def feeds(self, key: str) -> list[SyncedFeed]:
        """The feeds of the account of ``key`` (none when it never synced), by name."""
        with self._db.errors("cannot read the server's feeds") as conn:
            rows = conn.execute(
                "SELECT f.id, f.name, f.title, f.url, f.site_url, f.tags FROM sync_feeds AS f"
                " JOIN sync_accounts AS a USING (account) WHERE a.key = ? ORDER BY f.name, f.id",
                (key,),
            ).fetchall()
        return [
            SyncedFeed(i, name, title, url, site, tuple(json.loads(tags)))
            for i, name, title, url, site, tags in rows
        ]

    def known(self, account: int, items: Collection[str]) -> dict[str, tuple[str, str]]:
        """Of ``items``, those stored: item -> (article's public id, feed it is stored in;
        "" when the article is gone)."""
        found: dict[str, tuple[str, str]] = {}
        wanted = list(items)
        with self._db.errors("cannot read the synced items") as conn:
            for start in range(0, len(wanted), _CHUNK):
                chunk = json.dumps(wanted[start : start + _CHUNK])
                for item, article, feed in conn.execute(
                    "SELECT s.item, s.article, coalesce(ar.feed, '') FROM sync_items AS s"
                    " LEFT JOIN articles AS ar ON ar.id = s.article"
                    " WHERE s.account = ? AND s.item IN (SELECT value FROM json_each(?))",
                    (account, chunk),
                ):
                    found[item] = (article, feed)
        return found

    def store_page(
        self,
        account: int,
        batch: Sequence[IngestRequest],
        items: Mapping[str, str],
        flags: Mapping[str, tuple[bool, bool]],
        resume: str | None,
    ) -> IngestCounts:
        """Store a page of items in ONE transaction: the articles of ``batch`` (as
        :meth:`Store.ingest_batch`), ``items`` (server item -> article id), for the articles
        new to the store their read and starred ``flags`` (by article id), and ``resume``
        (None: left as it is). A kill before the commit keeps nothing of the page."""
        prepared = [ingest.prepare(request) for request in batch]
        counts = IngestCounts()
        with self._db.write("cannot store the synced articles") as conn:
            before = set(_stored_ids(conn, list(flags)))
            for request, ready in zip(batch, prepared, strict=True):
                counts += ingest.ingest_into(conn, request, ready)
            conn.executemany(
                "INSERT OR REPLACE INTO sync_items (account, item, article) VALUES (?, ?, ?)",
                [(account, item, article) for item, article in items.items()],
            )
            new = [article for article in flags if article not in before]
            read = [(article,) for article in new if flags[article][0]]
            starred = [(article,) for article in new if flags[article][1]]
            conn.executemany("UPDATE articles SET read = 1 WHERE id = ?", read)
            conn.executemany("UPDATE articles SET starred = 1 WHERE id = ?", starred)
            if resume is not None:
                conn.execute(
                    "UPDATE sync_accounts SET resume = ? WHERE account = ?", (resume, account)
                )
        return counts

    def queue(self, account: int) -> MarkQueue:
        """The marks to push: the synced articles local actions changed since the bookmark."""
        with self._db.write("cannot read the queued marks") as conn:
            pushed, undone = _bookmark(conn, account)
            end = conn.execute(
                "SELECT coalesce(max(action), 0), coalesce(max(undone), 0) FROM mark_actions"
            ).fetchone()
            params = {"pushed": pushed, "undone": undone, "account": account}
            marks = tuple(
                QueuedMark(item, bool(r), bool(s), bool(read), bool(starred))
                for item, r, s, read, starred in conn.execute(_QUEUE, params)
            )
        return MarkQueue(marks, max(pushed, int(end[0])), max(undone, int(end[1])))

    def pushed(self, account: int, queue: MarkQueue) -> None:
        """The server has ``queue``'s marks: move the bookmark past them."""
        with self._db.write("cannot save the sync bookmark") as conn:
            conn.execute(
                "UPDATE sync_accounts SET pushed = max(pushed, ?), undone = max(undone, ?)"
                " WHERE account = ?",
                (queue.pushed, queue.undone, account),
            )

    def pull(self, account: int, unread: Collection[str], starred: Collection[str]) -> int:
        """Give every synced article no local action has queued the server's state (read
        unless its item is in ``unread``, starred when in ``starred``); return how many
        articles changed. Not logged: nothing pulled is pushed back."""
        with self._db.write("cannot store the server's read state") as conn:
            for name, ids in (("sync_unread", unread), ("sync_starred", starred)):
                conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (item TEXT PRIMARY KEY)")
                conn.execute(f"DELETE FROM temp.{name}")
                conn.executemany(
                    f"INSERT OR IGNORE INTO temp.{name} VALUES (?)", [(i,) for i in ids]
                )
            pushed, undone = _bookmark(conn, account)
            params = {"pushed": pushed, "undone": undone, "account": account}
            conn.execute(_PULL, params)
            changed = conn.execute("SELECT changes()").fetchone()[0]
            conn.execute("DELETE FROM temp.sync_unread")
            conn.execute("DELETE FROM temp.sync_starred")
            return int(changed)

    def finished(self, account: int) -> None:
        """Note that a sync of ``account`` finished now."""
        with self._db.write("cannot save the sync state") as conn:
            conn.execute(
                "UPDATE sync_accounts SET synced = ? WHERE account = ?",
                (to_us(datetime.now(UTC)), account),
            )

    def feed_urls(self, key: str) -> frozenset[str]:
        """The URLs of the feeds of the account of ``key`` (the refresh leaves them to the
        sync)."""
        return frozenset(feed.url for feed in self.feeds(key) if feed.url)


def _account_row(conn: Connection, key: str) -> SyncAccount | None:
    row = conn.execute(
        "SELECT account, resume, synced FROM sync_accounts WHERE key = ?", (key,)
    ).fetchone()
    if row is None:
        return None
    synced = None if row[2] is None else datetime.fromtimestamp(row[2] / 1e6, UTC)
    return replace(SyncAccount(int(row[0]), key, row[1]), synced=synced)


def _bookmark(conn: Connection, account: int) -> tuple[int, int]:
    row = conn.execute(
        "SELECT pushed, undone FROM sync_accounts WHERE account = ?", (account,)
    ).fetchone()
    return (int(row[0]), int(row[1])) if row is not None else (0, 0)


def _stored_ids(conn: Connection, ids: list[str]) -> list[str]:
    found: list[str] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = json.dumps(ids[start : start + _CHUNK])
        found.extend(
            row[0]
            for row in conn.execute(
                "SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))", (chunk,)
            )
        )
    return found
