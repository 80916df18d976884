"""``biotui vacuum``: old read articles removed (tombstoned), the index merged, the file
compacted; each step safe beside the app, a refresh or a sync writing the same store.

- **Which articles.** Read, not starred, and older than the cutoff by their headline time
  (``sort_time``: the publication time, or when biotui first saw the article if it has none or
  it lies in the future), the time the list sorts by, so what goes is the bottom of the list.
  A synced article whose local mark is still queued for its server (the mark log beyond the
  account's bookmark, see :mod:`.synced`) stays until a sync has pushed it.
- **Steps.** Articles go a batch per write transaction, oldest first, each with its tombstone
  (:mod:`.tombstones`) in the same transaction: a refresh or a mark waits at most one batch,
  and a kill between two leaves every removed article tombstoned and nothing else touched.
  The delete triggers take the full-text index, full texts, counts, identifiers, story
  memberships and watchlist bookmarks along; a story whose earliest article went shows as its
  next earliest. Lapsed tombstones go next, then the full-text index is merged into one
  segment a bounded step per transaction, then the WAL is checkpointed and ``VACUUM``
  rewrites the file, and a last checkpoint (``TRUNCATE``) lets the file shrink.
- **Space.** ``VACUUM`` writes a copy of the live pages into a temporary file (in the folder
  SQLite takes its temporary files from) and as much again into the WAL beside the store; both
  must fit, with ``reserve`` bytes left, or nothing is compacted (:class:`NotEnoughSpace`).
- **Waiting.** Every step waits for another writer through the store's busy timeout; when that
  runs out, :class:`StoreBusy` says so in one line.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from biotui.errors import StoreError
from biotui.store import tombstones
from biotui.store.connections import Connection, Connections
from biotui.store.rows import to_us

__all__ = [
    "NotEnoughSpace",
    "StoreBusy",
    "Survey",
    "Vacuum",
    "VacuumReport",
    "disk_free",
    "format_size",
    "sqlite_temp_dir",
]

BATCH = 500
"""Articles removed per write transaction: small enough that a refresh waits little."""

MERGE_PAGES = 1_000
"""Pages of the full-text index one merge step writes (one transaction each)."""

_MAX_MERGE_STEPS = 100_000
"""A bound on merge steps, so that an index that always reports work cannot loop forever."""

_CANDIDATES = """
SELECT rowid, id, feed, source_hash, sort_time FROM articles
WHERE sort_time < :cutoff AND read = 1 AND starred = 0 AND (sort_time, rowid) > (:t, :r)
ORDER BY sort_time, rowid LIMIT :limit
"""

_QUEUED = """
SELECT DISTINCT c.article
FROM sync_accounts AS acc
JOIN mark_actions AS a ON a.action > acc.pushed OR coalesce(a.undone, 0) > acc.undone
JOIN mark_changes AS c ON c.action = a.action
JOIN sync_items AS s ON s.account = acc.account AND s.article = c.article
"""
"""Synced articles with a local mark not yet pushed to their account's server."""

_OLDER = "FROM articles WHERE sort_time < ?"


class StoreBusy(StoreError):
    """Another connection held the store's write lock longer than the busy timeout."""


class NotEnoughSpace(StoreError):
    """Compacting the file needs more free disk space than there is."""


@dataclass(frozen=True, slots=True)
class Survey:
    """What a vacuum would do now: the articles older than the cutoff that would go and those
    that stay (starred, unread, queued for a sync), the tombstones held and lapsing, and the
    file's size (with its WAL) and the bytes its live pages hold."""

    removable: int
    starred_kept: int
    unread_kept: int
    queued_kept: int
    tombstones: int
    lapsing: int
    size: int
    live: int


@dataclass(frozen=True, slots=True)
class VacuumReport:
    """What a vacuum did: articles removed, the old ones kept (starred; queued marks), the
    tombstones held afterwards and dropped, and the file's size (with its WAL) before and
    after; ``compacted`` False when the last checkpoint could not finish (a reader held an
    older snapshot), so the file shrinks at a later checkpoint."""

    removed: int
    starred_kept: int
    queued_kept: int
    tombstones: int
    tombstones_dropped: int
    size_before: int
    size_after: int
    compacted: bool


FreeSpace = Callable[[Path], int]
"""Free bytes of the file system holding a folder."""


def disk_free(folder: Path) -> int:
    """Free bytes for an unprivileged writer in ``folder``'s file system."""
    return shutil.disk_usage(folder).free


def sqlite_temp_dir() -> Path:
    """The folder SQLite writes its temporary files to on Unix: the first writable folder of
    ``SQLITE_TMPDIR``, ``TMPDIR``, ``/var/tmp``, ``/usr/tmp``, ``/tmp``, else the current one."""
    named = [os.environ.get("SQLITE_TMPDIR"), os.environ.get("TMPDIR")]
    for candidate in [*named, "/var/tmp", "/usr/tmp", "/tmp"]:
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return Path(candidate)
    return Path.cwd()


class Vacuum:
    """A vacuum of the store file ``path`` (already made or upgraded by :class:`Store`),
    through connections of its own, closed by :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = Connections(self.path)

    def close(self) -> None:
        """Close the vacuum's connections."""
        self._db.close()

    def __enter__(self) -> Vacuum:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def survey(self, keep_days: int | None, *, now: datetime | None = None) -> Survey:
        """What :meth:`run` would remove and keep now (nothing is written)."""
        moment = _us(now)
        cutoff = _cutoff(keep_days, moment)
        with self._db.errors("cannot read the store") as conn:
            kinds = conn.execute(
                "SELECT total(read = 1 AND starred = 0), total(starred = 1),"
                f" total(read = 0 AND starred = 0) {_OLDER}",
                (cutoff,),
            ).fetchone()
            held = 0
            if queued := _queued(conn):
                held = conn.execute(
                    f"SELECT count(*) {_OLDER} AND read = 1 AND starred = 0"
                    " AND id IN (SELECT value FROM json_each(?))",
                    (cutoff, json.dumps(sorted(queued))),
                ).fetchone()[0]
            return Survey(
                removable=int(kinds[0]) - int(held),
                starred_kept=int(kinds[1]),
                unread_kept=int(kinds[2]),
                queued_kept=int(held),
                tombstones=tombstones.count(conn),
                lapsing=tombstones.expiring(conn, moment),
                size=self.size(),
                live=_live_bytes(conn),
            )

    def run(
        self,
        keep_days: int | None,
        *,
        now: datetime | None = None,
        free_space: FreeSpace = disk_free,
        reserve: int = 0,
    ) -> VacuumReport:
        """Remove, drop lapsed tombstones, merge the index and compact (see the module).

        NotEnoughSpace before anything is written when compacting could not fit;
        StoreBusy when another writer held the store past the busy timeout (what was done
        before stays done)."""
        moment = _us(now)
        before = self.survey(keep_days, now=now)
        self.check_space(before.live, free_space, reserve, "nothing was removed")
        removed = 0 if keep_days is None else self.remove(_cutoff(keep_days, moment), moment)
        with self._write("cannot drop lapsed tombstones") as conn:
            dropped = tombstones.expire(conn, moment)
            held = tombstones.count(conn)
        self.merge_index()
        with self._db.errors("cannot read the store") as conn:
            live = _live_bytes(conn)
        self.check_space(live, free_space, reserve, f"{removed:,} old articles were removed")
        compacted = self.compact()
        return VacuumReport(
            removed=removed,
            starred_kept=before.starred_kept,
            queued_kept=before.queued_kept,
            tombstones=held,
            tombstones_dropped=dropped,
            size_before=before.size,
            size_after=self.size(),
            compacted=compacted,
        )

    def remove(self, cutoff: int, now: int) -> int:
        """Remove the read, unstarred articles older than ``cutoff`` (microseconds) whose
        marks are not queued for a sync, a batch per transaction; return how many went."""
        removed = 0
        after = (-(2**63), 0)
        while True:
            with self._write("cannot remove old articles") as conn:
                params = {"cutoff": cutoff, "t": after[0], "r": after[1], "limit": BATCH}
                rows = conn.execute(_CANDIDATES, params).fetchall()
                if not rows:
                    return removed
                after = (int(rows[-1][4]), int(rows[-1][0]))
                queued = _queued(conn)
                going = [row for row in rows if row[1] not in queued]
                tombstones.bury(conn, [(feed, i, digest) for _, i, feed, digest, _ in going], now)
                conn.execute(
                    "DELETE FROM articles WHERE rowid IN (SELECT value FROM json_each(?))",
                    (json.dumps([row[0] for row in going]),),
                )
                removed += len(going)

    def merge_index(self) -> None:
        """Merge the full-text index into one segment (dropping what deleted rows left),
        :data:`MERGE_PAGES` at a time, one transaction each."""
        for _ in range(_MAX_MERGE_STEPS):
            with self._write("cannot merge the full-text index") as conn:
                start = conn.total_changes
                conn.execute(
                    "INSERT INTO articles_fts (articles_fts, rank) VALUES ('merge', ?)",
                    (-MERGE_PAGES,),
                )
                if conn.total_changes - start < 2:
                    return

    def check_space(self, live: int, free_space: FreeSpace, reserve: int, done: str) -> None:
        """NotEnoughSpace (its line ending with ``done``, what was done before) unless
        ``live`` bytes fit both beside the store (the WAL) and in SQLite's temporary folder,
        each file system with ``reserve`` bytes to spare."""
        folders = {self.path.parent: live, sqlite_temp_dir(): live}
        by_device: dict[int, tuple[Path, int]] = {}
        for folder, need in folders.items():
            device = folder.stat().st_dev
            first, total = by_device.get(device, (folder, 0))
            by_device[device] = (first, total + need)
        for folder, need in by_device.values():
            free = free_space(folder)
            if free < need + reserve:
                raise NotEnoughSpace(
                    f"{self.path}: not enough free disk space to compact it: needs"
                    f" {format_size(need + reserve)} in {folder}, {format_size(free)} free;"
                    f" {done}"
                )

    def compact(self) -> bool:
        """Checkpoint, ``VACUUM``, checkpoint again so the file shrinks; False when the last
        checkpoint could not finish (a reader held an older snapshot)."""
        conn = self._db.get()
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA temp_store = FILE")
            conn.execute("VACUUM")
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error as exc:
            raise self._error("cannot compact the store", exc) from exc
        return not busy

    def size(self) -> int:
        """The store file's size with its WAL, in bytes."""
        wal = self.path.with_name(self.path.name + "-wal")
        return sum(file.stat().st_size for file in (self.path, wal) if file.exists())

    @contextmanager
    def _write(self, doing: str) -> Iterator[Connection]:
        """A write transaction whose lock timeout comes out as :class:`StoreBusy`."""
        try:
            with self._db.write(doing) as conn:
                yield conn
        except StoreError as exc:
            if isinstance(exc.__cause__, sqlite3.Error):
                raise self._error(doing, exc.__cause__) from exc.__cause__
            raise

    def _error(self, doing: str, exc: sqlite3.Error) -> StoreError:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return StoreBusy(
                f"{self.path}: the store is busy (the app, a refresh or a sync is writing to"
                " it); try again in a moment"
            )
        return StoreError(self._db.message(doing, exc))


def _queued(conn: Connection) -> frozenset[str]:
    if conn.execute("SELECT 1 FROM sync_accounts LIMIT 1").fetchone() is None:
        return frozenset()
    return frozenset(article for (article,) in conn.execute(_QUEUED))


def _live_bytes(conn: Connection) -> int:
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
    return (pages - free) * int(conn.execute("PRAGMA page_size").fetchone()[0])


def _us(now: datetime | None) -> int:
    moment = to_us(now or datetime.now(UTC))
    assert moment is not None
    return moment


def _cutoff(keep_days: int | None, now: int) -> int:
    """Headline times below this go (none when every article is kept)."""
    if keep_days is None:
        return -(2**63)
    return now - int(timedelta(days=keep_days).total_seconds() * 1_000_000)


def format_size(count: int) -> str:
    """``count`` bytes for a person: ``812 bytes``, ``3.4 MB``, ``1.2 GB`` (powers of 1000)."""
    if count < 1000:
        return f"{count:,} bytes"
    value, unit = count / 1000, "KB"
    for larger in ("MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, larger
    return f"{value:.1f} {unit}"
