"""Connections to one database file: one per thread, errors as one line, write transactions.

- WAL journal, a busy timeout of :data:`BUSY_TIMEOUT_S`, ``foreign_keys`` on. Each thread
  gets its own connection on first use. When a thread ends its connection is kept (up to
  :data:`IDLE_CONNECTIONS`) and handed to the next thread: the app runs each query in a fresh
  worker thread, and a kept connection has a warm page cache.
- Every ``sqlite3.Error`` becomes a one-line :class:`~biotui.errors.StoreError` naming the
  database file and what was being done, with the reason the disk gave when SQLite's own
  words do not say it (full, read-only).
- A write is one ``BEGIN IMMEDIATE`` transaction; a writer waits for another one through
  SQLite's busy timeout.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import quote

from biotui.errors import StoreError

__all__ = ["BUSY_TIMEOUT_S", "IDLE_CONNECTIONS", "Connection", "Connections"]

BUSY_TIMEOUT_S = 10.0
"""How long a connection waits for another writer before giving up ("database is locked")."""

IDLE_CONNECTIONS = 4
"""Connections of ended threads kept for the next threads (their page caches stay warm)."""

Connection: TypeAlias = sqlite3.Connection
"""What every store function is handed: this thread's connection."""


class _ThreadConnection:
    """Holds one thread's connection; dropped with the thread (the connection then goes idle)."""

    __slots__ = ("__weakref__", "conn", "owner")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.owner = threading.current_thread()


class _IdleConnections:
    """Connections whose threads ended, handed to the next threads; closed when full or shut."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._idle: list[Connection] = []
        self._lock = threading.Lock()
        self._shut = False

    def take(self) -> Connection | None:
        """An idle connection, or None."""
        with self._lock:
            return self._idle.pop() if self._idle else None

    def give(self, conn: Connection) -> None:
        """Keep ``conn`` for a later thread, or close it if there are enough (or we shut)."""
        with suppress(sqlite3.Error):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        with self._lock:
            if not self._shut and len(self._idle) < self._limit:
                self._idle.append(conn)
                return
        conn.close()

    def shut(self) -> None:
        """Close every idle connection; connections given later are closed at once."""
        with self._lock:
            self._shut = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class Connections:
    """The connections of every thread to the database file ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._finalizers: list[weakref.finalize[Any, Any]] = []
        self._idle = _IdleConnections(IDLE_CONNECTIONS)
        self._closed = False

    def get(self) -> Connection:
        """This thread's connection, opened on first use (StoreError if it can't be)."""
        holder: _ThreadConnection | None = getattr(self._local, "holder", None)
        if holder is not None and not self._closed:
            return holder.conn
        with self._lock:
            if self._closed:
                raise StoreError(f"{self.path}: the store is closed")
            conn = self._idle.take() or self._connect()
            holder = _ThreadConnection(conn)
            self._finalizers = [f for f in self._finalizers if f.alive]
            self._finalizers.append(weakref.finalize(holder, self._idle.give, conn))
        self._local.holder = holder
        return conn

    def close(self) -> None:
        """Close every connection but those other running threads hold; later calls fail.

        A connection another running thread holds is closed when that thread ends, never
        under its feet: closing a connection in the middle of a statement can crash the
        interpreter.
        """
        with self._lock:
            self._closed = True
            finalizers, self._finalizers = self._finalizers, []
        self._idle.shut()
        here = threading.current_thread()
        for finalize in finalizers:
            held = finalize.peek()
            if held is None:
                continue
            holder = held[0]
            if holder.owner is here or not holder.owner.is_alive():
                finalize()

    def _connect(self) -> Connection:
        """Open a new connection with our settings (StoreError if it can't)."""
        conn: Connection | None = None
        read_only = self.path.exists() and not os.access(self.path.parent, os.W_OK)
        try:
            conn = sqlite3.connect(
                self._read_only_uri() if read_only else self.path,
                uri=read_only,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
                cached_statements=256,
            )
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise StoreError(self.message("cannot open", exc)) from exc
        return conn

    def _read_only_uri(self) -> str:
        """The URI that opens the store for reading from a folder nobody can write to.

        SQLite needs the -shm file of a WAL database and cannot create it there; without one,
        no process can be writing, so the file is opened as immutable.
        """
        uri = f"file:{quote(str(self.path))}?mode=ro"
        shm = self.path.with_name(self.path.name + "-shm")
        return uri if shm.exists() else uri + "&immutable=1"

    def message(self, doing: str, exc: BaseException) -> str:
        """The one-line error ``"<db>: <doing>: <why>"``."""
        text = " ".join(str(exc).split()) or type(exc).__name__
        return f"{self.path}: {doing}: {text}{disk_trouble(self.path.parent)}"

    def check_writable(self) -> None:
        """Raise StoreError, saying why, when the file or its folder cannot be written."""
        folder = self.path.parent
        if not os.access(folder, os.W_OK) or (
            self.path.exists() and not os.access(self.path, os.W_OK)
        ):
            why = disk_trouble(folder) or " (no permission to write there)"
            raise StoreError(f"{self.path}: cannot write{why}")

    @contextmanager
    def errors(self, doing: str) -> Iterator[Connection]:
        """This thread's connection; sqlite3 errors inside become StoreError(doing)."""
        conn = self.get()
        try:
            yield conn
        except sqlite3.Error as exc:
            raise StoreError(self.message(doing, exc)) from exc

    @contextmanager
    def write(self, doing: str) -> Iterator[Connection]:
        """One write transaction (``BEGIN IMMEDIATE``), rolled back on any exception.

        Every exception but StoreError and BaseExceptions like KeyboardInterrupt comes out
        as StoreError(doing).
        """
        conn = self.get()
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, StoreError) or not isinstance(exc, Exception):
                raise
            raise StoreError(self.message(doing, exc)) from exc


def disk_trouble(folder: Path) -> str:
    """Why ``folder`` takes no writes, as " (the disk is full)" or " (the file system is
    read-only)", or "" when neither: SQLite's own words ("disk I/O error") don't say."""
    try:
        info = os.statvfs(folder)
    except OSError:
        return ""
    if info.f_flag & os.ST_RDONLY:
        return " (the file system is read-only)"
    if info.f_bavail == 0:
        return " (the disk is full)"
    return ""
