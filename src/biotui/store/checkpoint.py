"""Checkpoint a store's write-ahead log from a thread of its own, while others write.

In WAL mode every commit appends pages to ``biotui.db-wal``; a checkpoint copies them into
the database file and waits for the disk (``fsync``) twice. SQLite's automatic checkpoint
runs in the connection that has just committed, so a refresh's worker stalled there instead
of reading its next feed: 0.4–0.5 s of a worker's 3.5 s in a cold refresh of 200 feeds on
our 2-core machine (see ``bench/RESULTS.md``). A :class:`Checkpointer` does that waiting in a
thread that needs almost no CPU, while the writers' connections have their automatic
checkpoints off (``Store(..., autocheckpoint=False)``). Nothing is less durable: every
checkpoint still syncs the log before it copies and the database after.

A checkpoint that only copies (``PASSIVE``) never blocks a writer, but while writers keep
committing the log never starts again from its beginning: it grew to 163 MB in that refresh.
So once the log holds :data:`RESTART_AT` pages and all but a few are copied, a ``RESTART``
checkpoint copies the rest and lets the next writer start the log over; it holds the write
lock only for those few pages. The log stayed near 20 MB.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from urllib.parse import quote

CHECKPOINT_EVERY_S = 0.05
"""How often the thread checkpoints (a cold refresh commits about every 10 ms)."""

RESTART_AT = 1000
"""Pages in the log from which a restart is due (SQLite's automatic checkpoint: 1,000)."""

RESTART_LEFT = 64
"""A restart waits until at most this many of the log's pages are still to be copied, so that
it holds the write lock only briefly."""

_RESTART_WAIT_MS = 100
"""How long a restart waits for a writer to finish before it gives up until the next time."""


class Checkpointer:
    """A thread that checkpoints the WAL database at ``path`` until :meth:`stop`.

    A checkpoint that fails (the database busy, gone or unreadable) is tried again at the next
    tick: the log then only grows until a later checkpoint, or the last connection's close,
    folds it in.
    """

    def __init__(
        self,
        path: Path,
        *,
        every: float = CHECKPOINT_EVERY_S,
        restart_at: int = RESTART_AT,
    ) -> None:
        """Prepare to checkpoint ``path`` every ``every`` seconds (nothing runs yet)."""
        self.path = Path(path)
        self.every = every
        self.restart_at = restart_at
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None

    def start(self) -> None:
        """Start the thread (once; later calls do nothing)."""
        if self._thread is None and not self._stop.is_set():
            self._thread = threading.Thread(
                target=self._loop, name="biotui-checkpoint", daemon=True
            )
            self._thread.start()

    def stop(self, *, wait: bool = True) -> None:
        """Stop the thread after the checkpoint it may be running (``wait=False``: without
        waiting for it, e.g. when the app quits; SQLite's checkpoints survive being cut
        short); idempotent."""
        self._stop.set()
        if self._thread is None:
            self._close()
        elif wait:
            self._thread.join()

    def checkpoint(self) -> tuple[int, int]:
        """Checkpoint once now: copy what the log holds, and restart it when due.

        Returns the pages in the log and how many of them the database holds (both -1 when
        the database is not in WAL mode). Raises ``sqlite3.Error`` when it cannot run. Not
        to be called while the thread runs (one connection, one caller).
        """
        conn = self._connection()
        _busy, pages, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()[0]
        if pages >= self.restart_at and pages - copied <= RESTART_LEFT:
            # A busy answer (a writer or a reader held on) is no error: the next tick retries.
            _busy, pages, copied = conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()[0]
        return int(pages), int(copied)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(  # mode=rw: never creates a database that is not there
                f"file:{quote(str(self.path))}?mode=rw",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
                timeout=0,
            )
            try:
                # The checkpoint syncs the log and the database as every biotui connection's
                # would; the busy timeout bounds how long a restart waits for the lock.
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute(f"PRAGMA busy_timeout = {_RESTART_WAIT_MS}")
            except sqlite3.Error:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.every):
                with contextlib.suppress(sqlite3.Error):
                    self.checkpoint()
        finally:
            self._close()

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
