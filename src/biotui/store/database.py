"""The :class:`Store`: connections, transactions, ingest and reading.

- WAL journal, a 10 s busy timeout, ``foreign_keys`` on; one connection per thread, made on
  first use. When a thread ends its connection is kept (up to :data:`IDLE_CONNECTIONS`) for the
  next thread: the app runs each query in a fresh worker thread, and a fresh connection starts
  with a cold page cache (measured at 100,000 articles: +40 ms for a filter matching them all)
  and without the newest-first lists a connection remembers (see :mod:`biotui.store.query`).
- Times are stored as integer microseconds since the Unix epoch (UTC); they come back as
  timezone-aware UTC datetimes. A naive datetime given to the store is taken as UTC.
- Headlines sort by ``sort_time`` (the publication time, or the time biotui first saw the
  article when there is none or when it lies in the future), ties broken by rowid, newest first.
- ``articles_fts`` is an FTS5 external-content index over title, body, source, author and feed,
  kept current by the ingest (new articles) and by triggers (changed and deleted ones).
  Changing read or starred state never touches it, and an ingest of unchanged articles writes
  nothing at all.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from itertools import filterfalse
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import quote

from biotui.errors import StoreError
from biotui.model import Article, FeedStatus, FileSignature, Headline, IngestCounts
from biotui.store.query import (
    MATCHES_SQL,
    FeedFilter,
    IndexQuery,
    Order,
    count_sql,
    newest_among_sql,
    newest_sql,
    relevance_sql,
)
from biotui.store.schema import (
    APPLICATION_ID,
    DB_NAME,
    FTS_COLUMNS,
    MIGRATIONS,
    PAGE_SIZE,
    SCHEMA,
    SCHEMA_VERSION,
    split_sql,
)

__all__ = ["BUSY_TIMEOUT_S", "Listing", "PreparedIngest", "Store", "prepare_ingest"]

BUSY_TIMEOUT_S = 10.0
"""How long a connection waits for another writer before giving up."""

_BEGIN_RETRY_S = 0.0005
"""How long a writer waiting for another's transaction sleeps between its attempts."""

IDLE_CONNECTIONS = 4
"""Connections of ended threads kept for the next threads (their page caches stay warm)."""

SQL_SORT_LIMIT = 20_000
"""Above this many full-text matches, sorting them in SQL costs more than reading and
filtering the whole newest-first list in Python (see :mod:`biotui.store.query`)."""

SQL_SORT_COST = 30
"""Sorting one match in SQL costs about as much as checking 30 articles of a newest-first
list already at hand in Python."""

_KEPT_ORDERS = 8
"""Newest-first lists a connection keeps (one per combination of filters asked for)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

_ARTICLE_COLUMNS = (
    "rowid, id, feed, guid, title, link, author, published, source, source_title, section, "
    "place, credits, body, notes, read, starred"
)
_HEADLINE_COLUMNS = "rowid, id, feed, title, source, published, read, starred, link"

# Microseconds since the epoch as Python's ``isoformat()`` of an aware UTC datetime writes
# them: seconds, a fraction only when there is one, then the offset (floored for times
# before 1970, as ``timedelta`` does).
_ISO_PUBLISHED = """
strftime('%Y-%m-%dT%H:%M:%S', (a.published - ((a.published % 1000000 + 1000000) % 1000000))
    / 1000000, 'unixepoch')
|| CASE WHEN a.published % 1000000 = 0 THEN ''
        ELSE printf('.%06d', (a.published % 1000000 + 1000000) % 1000000) END
|| '+00:00'
"""
_JSON_LINES = f"""
SELECT '{{"id": ' || json_quote(a.id) || ', "title": ' || json_quote(a.title)
    || ', "source": ' || json_quote(a.source) || ', "feed": ' || json_quote(a.feed)
    || ', "published": ' || CASE WHEN a.published IS NULL THEN 'null'
                                 ELSE json_quote({_ISO_PUBLISHED}) END
    || ', "link": ' || json_quote(a.link)
    || ', "read": ' || CASE WHEN a.read THEN 'true' ELSE 'false' END
    || ', "starred": ' || CASE WHEN a.starred THEN 'true' ELSE 'false' END || '}}'
FROM json_each(?) AS wanted JOIN articles AS a ON a.rowid = wanted.value
ORDER BY wanted.key
"""

_INSERT_COLUMNS = (
    "id", "feed", "sort_time", "published", "first_seen", "title", "source", "content_hash",
    "guid", "link", "author", "source_title", "section", "place", "credits", "notes", "body",
    "source_hash",
)  # fmt: skip
_INSERT_ARTICLE = (
    f"INSERT INTO articles (rowid, {', '.join(_INSERT_COLUMNS)})"
    f" VALUES (?, {', '.join('?' * len(_INSERT_COLUMNS))})"
)
# New rows reach the full-text index with ONE statement per ingest, never one per row:
# SQLite's FTS5 (3.40) flushes its pending index data at every statement savepoint, and a
# per-row INSERT that fires a trigger opens one per row (measured: 2.5x slower ingest and a
# fragmented index). So no trigger indexes an insert (schema version 4): the ingest inserts
# the rows with rowids above every stored one, then indexes those rowids in one statement
# (a twentieth less work per article than moving staged rows in with one INSERT ... SELECT).
_INDEX_NEW_ARTICLES = (
    f"INSERT INTO articles_fts (rowid, {', '.join(FTS_COLUMNS)})"
    f" SELECT rowid, {', '.join(FTS_COLUMNS)} FROM articles WHERE rowid > ?"
)
_LAST_ROWID = "SELECT coalesce(max(rowid), 0) FROM articles"

_STAGE_TABLE = f"""
CREATE TEMP TABLE IF NOT EXISTS ingest_stage (
    seq INTEGER PRIMARY KEY, {", ".join(_INSERT_COLUMNS)}
)
"""
"""Per-connection scratch table: an ingest loads the changed rows into it, then updates
``articles`` from it in one statement (which fires the index's update trigger once)."""

_STAGE_ROW = (
    f"INSERT INTO temp.ingest_stage ({', '.join(_INSERT_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})"
)

_UPDATE_ARTICLES = (
    "UPDATE articles SET "
    + ", ".join(f"{c} = u.{c}" for c in _INSERT_COLUMNS if c not in ("id", "feed", "first_seen"))
    + " FROM temp.ingest_stage AS u WHERE articles.id = u.id"
)

_UPSERT_STATUS = """
INSERT INTO feeds (
    name, location, etag, last_modified, last_checked, last_success, last_error, retry_after
) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
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

_LOOKUP_CHUNK = 5_000
"""Ids looked up per statement during ingest (passed as one JSON array)."""


_OrderKey = tuple[bool, bool, FeedFilter]


class _Connection(sqlite3.Connection):
    """A connection that remembers the newest-first lists it read, until the data changes.

    ``orders`` maps (unread_only, starred_only, feed) to the list and the state it was read
    in: (``PRAGMA data_version``, which moves when another connection commits, and
    ``total_changes``, which moves when this one writes).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.orders: dict[_OrderKey, tuple[tuple[int, int], array[int]]] = {}

    def state(self) -> tuple[int, int]:
        """What must not have changed for a remembered list to hold."""
        return int(self.execute("PRAGMA data_version").fetchone()[0]), self.total_changes


class _Matches(NamedTuple):
    """The full-text side of a query: how many rows ``match`` finds (None without one) and
    the rowids of ``match`` and ``exclude`` as JSON arrays."""

    found: int | None
    matched: str | None
    excluded: str | None

    @classmethod
    def find(cls, conn: sqlite3.Connection, query: IndexQuery) -> _Matches:
        """Run the query's FTS5 expressions."""
        found, matched = (
            (None, None)
            if query.match is None
            else conn.execute(MATCHES_SQL, (query.match,)).fetchone()
        )
        excluded = (
            None
            if query.exclude is None
            else conn.execute(MATCHES_SQL, (query.exclude,)).fetchone()[1]
        )
        return cls(found, matched, excluded)


class _Stored(NamedTuple):
    """What an ingest compares a stored article by."""

    content_hash: str
    first_seen: int
    source_hash: str | None


class IngestRequest(NamedTuple):
    """One feed's part of :meth:`Store.ingest_batch`: the arguments of :meth:`Store.ingest`."""

    feed: str
    articles: Sequence[Article]
    status: FeedStatus | None = None
    files: Sequence[FileSignature] = ()
    source_hashes: Mapping[str, str] | None = None


class Listing(NamedTuple):
    """Rowids in display order, and whether that order is relevance (else newest first)."""

    ids: array[int]
    ranked: bool


class _ThreadConnection:
    """Holds one thread's connection; dropped with the thread (the connection then goes idle)."""

    __slots__ = ("__weakref__", "conn", "owner")

    def __init__(self, conn: _Connection) -> None:
        self.conn = conn
        self.owner = threading.current_thread()


class _IdleConnections:
    """Connections whose threads ended, handed to the next threads; closed when full or shut."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()
        self._shut = False

    def take(self) -> _Connection | None:
        """An idle connection, or None."""
        with self._lock:
            return self._idle.pop() if self._idle else None

    def give(self, conn: _Connection) -> None:
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

    def __len__(self) -> int:
        return len(self._idle)


class Store:
    """The SQLite article store; safe to share between threads (one connection per thread)."""

    def __init__(self, path: Path, *, autocheckpoint: bool = True) -> None:
        """Open (creating if needed) the database at ``path`` and its parent folders.

        A database of an older schema is migrated first, in one transaction (version 1 -> 2
        rebuilds the full-text index: about 6 s per 100,000 articles, once). Raises StoreError
        when the file cannot be created, opened, or is not a biotui database of a version this
        code understands. ``autocheckpoint=False`` leaves checkpoints to another connection
        (a :class:`~biotui.store.checkpoint.Checkpointer`): this store's commits never wait
        for the disk.
        """
        self.path = Path(path)
        self._autocheckpoint = autocheckpoint
        self._local = threading.local()
        self._lock = threading.Lock()
        self._finalizers: list[weakref.finalize[Any, Any]] = []
        self._idle = _IdleConnections(IDLE_CONNECTIONS)
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot create its folder: {exc.strerror or exc}"
            ) from exc
        try:
            with self._errors("cannot open"):
                self._setup(self._conn())
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        """Open the store ``biotui.db`` inside ``data_dir`` (created if missing)."""
        return cls(Path(data_dir) / DB_NAME)

    def close(self) -> None:
        """Close the store: later calls raise StoreError. Idempotent.

        The connections of this thread, of ended threads and idle ones are closed now; one
        that another running thread holds is closed when that thread ends, never under its
        feet (a refresh thread may be in the middle of a statement: closing a connection
        there can crash the interpreter).
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

    def __enter__(self) -> Store:
        """Use the store as a context manager that closes it on exit."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the store."""
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- connections, errors, transactions ------------------------------------------------

    def _conn(self) -> _Connection:
        """Return this thread's connection, opening it on first use (StoreError if it can't)."""
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

    def _connect(self) -> _Connection:
        """Open a new connection with our settings (StoreError if it can't)."""
        conn: _Connection | None = None
        read_only = self.path.exists() and not os.access(self.path.parent, os.W_OK)
        try:
            conn = sqlite3.connect(
                self._read_only_uri() if read_only else self.path,
                uri=read_only,
                factory=_Connection,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
                cached_statements=256,
            )
            _set_busy_timeout(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA temp_store = MEMORY")
            if not self._autocheckpoint:
                conn.execute("PRAGMA wal_autocheckpoint = 0")
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise StoreError(self._message("cannot open", exc)) from exc
        return conn

    def _read_only_uri(self) -> str:
        """The URI that opens the store for reading from a folder nobody can write to.

        SQLite needs the -shm file of a WAL database and cannot create it there; without one,
        no process can be writing, so the file is opened as immutable.
        """
        uri = f"file:{quote(str(self.path))}?mode=ro"
        shm = self.path.with_name(self.path.name + "-shm")
        return uri if shm.exists() else uri + "&immutable=1"

    def _message(self, doing: str, exc: BaseException) -> str:
        text = " ".join(str(exc).split()) or type(exc).__name__
        return f"{self.path}: {doing}: {text}{_disk_trouble(self.path.parent)}"

    def check_writable(self) -> None:
        """Raise StoreError, saying why, when the store's file or folder cannot be written.

        Checked before a refresh so a read-only data folder is one clear message instead of
        one failure per feed; reading still works on such a folder.
        """
        folder = self.path.parent
        if not os.access(folder, os.W_OK) or (
            self.path.exists() and not os.access(self.path, os.W_OK)
        ):
            why = _disk_trouble(folder) or " (no permission to write there)"
            raise StoreError(f"{self.path}: cannot write{why}")

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Turn sqlite3 errors raised inside into StoreError("<db>: <doing>: <why>")."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(self._message(doing, exc)) from exc

    @contextmanager
    def _write(self, doing: str, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE); rolled back on any exception.

        Every exception but StoreError and BaseExceptions like KeyboardInterrupt comes out
        as StoreError. With ``wait=False``, :class:`_Busy` when another connection writes.
        """
        conn = self._conn()  # raises StoreError itself
        try:
            if wait:
                _begin_immediate(conn)
            elif not _try_begin_immediate(conn):
                raise _Busy
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, StoreError | _Busy) or not isinstance(exc, Exception):
                raise
            raise StoreError(self._message(doing, exc)) from exc

    def _setup(self, conn: sqlite3.Connection) -> None:
        """Create or migrate the schema and switch the file to WAL."""
        version = _pragma_int(conn, "user_version")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: made by a newer biotui (schema {version}, this one knows "
                f"{SCHEMA_VERSION})"
            )
        if version == SCHEMA_VERSION:
            self._check_application_id(conn)
            return
        if version == 0:  # only a file not yet written takes it; WAL mode fixes it after
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise StoreError(f"{self.path}: cannot switch to WAL journal mode")
        with self._write("cannot create the schema"):
            version = _pragma_int(conn, "user_version")  # another process may have won
            if version == 0:
                tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
                if tables:
                    raise StoreError(f"{self.path}: not a biotui database")
                for statement in split_sql(SCHEMA):
                    conn.execute(statement)
            else:
                self._check_application_id(conn)
                while version < SCHEMA_VERSION:
                    MIGRATIONS[version](conn)
                    version += 1
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def _check_application_id(self, conn: sqlite3.Connection) -> None:
        if _pragma_int(conn, "application_id") != APPLICATION_ID:
            raise StoreError(f"{self.path}: not a biotui database")

    # -- feeds -----------------------------------------------------------------------------

    def feed_status(self, name: str) -> FeedStatus | None:
        """Return what the store remembers about feed ``name``, or None if nothing."""
        with self._errors("cannot read feed status"):
            row = (
                self._conn()
                .execute(
                    "SELECT name, location, etag, last_modified, last_checked, last_success,"
                    " last_error, retry_after FROM feeds WHERE name = ?",
                    (name,),
                )
                .fetchone()
            )
        return None if row is None else _status_from_row(row)

    def feed_statuses(self) -> list[FeedStatus]:
        """Return the status of every feed the store knows, sorted by name."""
        with self._errors("cannot read feed status"):
            rows = (
                self._conn()
                .execute(
                    "SELECT name, location, etag, last_modified, last_checked, last_success,"
                    " last_error, retry_after FROM feeds ORDER BY name"
                )
                .fetchall()
            )
        return [_status_from_row(row) for row in rows]

    def save_feed_status(self, status: FeedStatus) -> None:
        """Create or replace the stored status of feed ``status.name``."""
        self.save_feed_statuses([status])

    def save_feed_statuses(self, statuses: Sequence[FeedStatus]) -> None:
        """Create or replace the stored status of each feed of ``statuses``, in one go."""
        with self._write("cannot save feed status") as conn:
            conn.executemany(_UPSERT_STATUS, [_status_params(status) for status in statuses])

    def file_signatures(self, feed: str) -> dict[str, FileSignature]:
        """Return the size and mtime recorded for each file of ``feed``, keyed by path."""
        with self._errors("cannot read file signatures"):
            rows = (
                self._conn()
                .execute("SELECT path, size, mtime_ns FROM files WHERE feed = ?", (feed,))
                .fetchall()
            )
        return {path: FileSignature(path, size, mtime_ns) for path, size, mtime_ns in rows}

    # -- ingest ----------------------------------------------------------------------------

    def ingest(
        self,
        feed: str,
        articles: Sequence[Article],
        *,
        status: FeedStatus | None = None,
        files: Sequence[FileSignature] = (),
        source_hashes: Mapping[str, str] | None = None,
    ) -> IngestCounts:
        """Store ``articles`` of ``feed``, plus its ``status`` and ``files``, in ONE transaction.

        New ids are inserted; an article whose content changed is updated in place and keeps
        its read and starred state; an unchanged one costs no write (but for a new
        ``source_hashes`` entry, see :meth:`entry_digests`). When an id appears twice
        the last one wins. Articles the same ingest sees without a date keep the order given
        (the first shows first). On any error nothing of this ingest is kept (StoreError).
        Raises ValueError, before touching the database, if an article belongs to another feed.
        """
        return self.ingest_batch([IngestRequest(feed, articles, status, files, source_hashes)])[0]

    def ingest_batch(self, batch: Sequence[IngestRequest]) -> list[IngestCounts]:
        """Store several feeds' ingests (see :meth:`ingest`) in ONE transaction, in order.

        Fewer, larger transactions write fewer pages: each commit writes every index page
        its rows touched, and the full-text index writes a segment. On any error nothing of
        the batch is kept (StoreError naming the batch's feeds).
        """
        counts = self.ingest_prepared([prepare_ingest(request) for request in batch])
        assert counts is not None  # the store waited for the other writers
        return counts

    def ingest_prepared(
        self, batch: Sequence[PreparedIngest], *, wait: bool = True
    ) -> list[IngestCounts] | None:
        """:meth:`ingest_batch` of ingests :func:`prepare_ingest` prepared.

        With ``wait=False`` it gives up at once, writing nothing, when another connection is
        writing (None): a refresh's worker then reads its next feed rather than wait.
        """
        feeds = ", ".join(repr(ready.request.feed) for ready in batch)
        doing = f"cannot store feed {feeds}" if len(batch) == 1 else f"cannot store feeds {feeds}"
        try:
            with self._write(doing, wait=wait) as conn:
                return [
                    self._ingest_into(conn, r.feed, ready, r.status, r.files, r.source_hashes)
                    for r, ready in batch
                ]
        except _Busy:
            return None

    def _ingest_into(
        self,
        conn: sqlite3.Connection,
        feed: str,
        prepared: list[_Prepared],
        status: FeedStatus | None,
        files: Sequence[FileSignature],
        source_hashes: Mapping[str, str] | None,
    ) -> IngestCounts:
        now = (datetime.now(UTC) - _EPOCH) // _MICROSECOND
        hashes = source_hashes or {}
        rehashed: list[tuple[str, str]] = []
        unchanged = 0
        conn.execute("INSERT INTO feeds (name) VALUES (?) ON CONFLICT DO NOTHING", (feed,))
        if status is not None:
            conn.execute(_UPSERT_STATUS, _status_params(status))
        ids = [article.id for article, _, _ in prepared]
        known = self._known(conn, ids) if _holds_feed(conn, feed) else {}
        fresh: list[tuple[object, ...]] = []
        changed: list[tuple[object, ...]] = []
        for article, published, digest in prepared:
            source_hash = hashes.get(article.id)
            previous = known.get(article.id)
            if previous is None:
                fresh.append(_row_params(article, published, now, digest, source_hash))
            elif not _same_content(previous.content_hash, digest, article, published):
                first_seen = previous.first_seen
                changed.append(_row_params(article, published, first_seen, digest, source_hash))
            else:
                unchanged += 1
                if source_hash is not None and previous.source_hash != source_hash:
                    rehashed.append((source_hash, article.id))
        if fresh:
            last = conn.execute(_LAST_ROWID).fetchone()[0]
            rows = [(last + number, *row) for number, row in enumerate(fresh, start=1)]
            conn.executemany(_INSERT_ARTICLE, rows)
            conn.execute(_INDEX_NEW_ARTICLES, (last,))
        if changed:
            conn.execute(_STAGE_TABLE)
            conn.execute("DELETE FROM temp.ingest_stage")
            conn.executemany(_STAGE_ROW, changed)
            conn.execute(_UPDATE_ARTICLES)
            conn.execute("DELETE FROM temp.ingest_stage")
        # Only the digest changes (no index column): no full-text work, one row each.
        conn.executemany("UPDATE articles SET source_hash = ? WHERE id = ?", rehashed)
        conn.executemany(_UPSERT_FILE, [(feed, f.path, f.size, f.mtime_ns) for f in files])
        return IngestCounts(new=len(fresh), updated=len(changed), unchanged=unchanged)

    @staticmethod
    def _known(conn: sqlite3.Connection, ids: list[str]) -> dict[str, _Stored]:
        """Map each stored id among ``ids`` to what an ingest compares it by."""
        rows = _rows_by_id(conn, "id, content_hash, first_seen, source_hash", ids)
        return {article_id: _Stored(*row) for article_id, *row in rows}

    def entry_digests(self, feed: str) -> frozenset[str]:
        """The digests of the feed entries the stored articles of ``feed`` were read from.

        A refresh passes them to :func:`biotui.sources.feed.parse_feed`: an entry whose
        digest is among them made an article stored unchanged, and need not be read again.
        """
        with self._errors("cannot read articles"):
            rows = self._conn().execute(
                "SELECT source_hash FROM articles WHERE feed = ? AND source_hash IS NOT NULL",
                (feed,),
            )
            return frozenset(digest for (digest,) in rows)

    # -- reading ---------------------------------------------------------------------------

    def headline_ids(
        self,
        query: IndexQuery | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        feed: FeedFilter = None,
        order: Order = "newest",
    ) -> array[int]:
        """Return the rowids of the matching articles as ``array('q')``.

        ``feed`` keeps one feed's articles, or with a tuple of names those of any of them.

        ``order="newest"``: by publication time (or first-seen time), ties by rowid,
        descending. ``order="relevance"``: best full-text match first (bm25, a title match
        weighing ten times a body match), ties newest first; without a ``query.match`` it is
        the newest order.
        """
        return self.list_ids(
            query, unread_only=unread_only, starred_only=starred_only, feed=feed, order=order
        ).ids

    def list_ids(
        self,
        query: IndexQuery | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        feed: FeedFilter = None,
        order: Order = "newest",
        rank_limit: int | None = None,
    ) -> Listing:
        """Like :meth:`headline_ids`, but relevance order is only computed for at most
        ``rank_limit`` matches (ranking costs ~6 µs per match): above it the ids come newest
        first. The result says which order they are in."""
        if order not in ("newest", "relevance"):
            raise ValueError(f"unknown order {order!r}")
        filters = (unread_only, starred_only, feed)
        with self._errors("cannot list articles"):
            conn = self._conn()
            if query is None or (query.match is None and query.exclude is None):
                return Listing(self._newest(conn, filters), False)
            matches: _Matches | None = None
            if order == "relevance" and query.match is not None:
                if rank_limit is not None:
                    matches = _Matches.find(conn, query)
                if matches is None or (matches.found or 0) <= (rank_limit or 0):
                    sql, params = relevance_sql(query, *filters)
                    ids = array("q", json.loads(conn.execute(sql, params).fetchone()[0]))
                    return Listing(ids, True)
            if matches is None:
                matches = _Matches.find(conn, query)
            if self._sorts_in_sql(conn, matches, filters):
                sql, params = newest_among_sql(matches.matched, matches.excluded, *filters)
                return Listing(
                    array("q", json.loads(conn.execute(sql, params).fetchone()[0])), False
                )
            return Listing(self._kept(conn, matches, filters), False)

    @contextmanager
    def interruptible(self, stop: Callable[[], bool], every: int = 20_000) -> Iterator[None]:
        """Let ``stop()`` end this thread's reads inside the block early.

        SQLite asks ``stop`` every ``every`` virtual-machine steps (a few ms at most); once
        it returns True the running statement ends and the read raises StoreError
        (``interrupted``). For a search superseded by the next keystroke.
        """
        conn = self._conn()
        conn.set_progress_handler(lambda: 1 if stop() else 0, every)
        try:
            yield
        finally:
            conn.set_progress_handler(None, 0)

    def article_count(
        self,
        query: IndexQuery | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        feed: FeedFilter = None,
    ) -> int:
        """Return how many articles :meth:`headline_ids` would return for the same arguments."""
        filters = (unread_only, starred_only, feed)
        with self._errors("cannot count articles"):
            conn = self._conn()
            if query is None or (query.match is None and query.exclude is None):
                sql, params = count_sql(None, None, *filters)
                return int(conn.execute(sql, params).fetchone()[0])
            matches = _Matches.find(conn, query)
            if self._sorts_in_sql(conn, matches, filters):
                sql, params = count_sql(matches.matched, matches.excluded, *filters)
                return int(conn.execute(sql, params).fetchone()[0])
            return len(self._kept(conn, matches, filters))

    def _sorts_in_sql(self, conn: _Connection, matches: _Matches, filters: _OrderKey) -> bool:
        """Whether SQL should sort (or count) the matches, rather than Python filter the
        newest-first list (see :mod:`biotui.store.query`)."""
        if matches.found is None:  # only exclusions: nearly every article
            return False
        remembered = self._remembered(conn, filters)
        if remembered is None:
            return matches.found <= SQL_SORT_LIMIT
        return matches.found * SQL_SORT_COST <= len(remembered)

    def _kept(self, conn: _Connection, matches: _Matches, filters: _OrderKey) -> array[int]:
        """The newest-first list for ``filters``, filtered in Python by ``matches``."""
        newest = self._newest(conn, filters, copy=False)
        if (
            matches.excluded is None
            and matches.found is not None
            and filters == (False, False, None)
            and matches.found >= len(newest)
        ):
            return array("q", newest)  # every article matches (a word like "the")
        ids: Iterable[int] = newest
        if matches.matched is not None:
            ids = filter(set(json.loads(matches.matched)).__contains__, ids)
        if matches.excluded is not None:
            ids = filterfalse(set(json.loads(matches.excluded)).__contains__, ids)
        return array("q", ids)

    @staticmethod
    def _remembered(conn: _Connection, filters: _OrderKey) -> array[int] | None:
        """The newest-first list for ``filters`` this connection read, if still true."""
        kept = conn.orders.get(filters)
        if kept is None or kept[0] != conn.state():
            return None
        return kept[1]

    def _newest(self, conn: _Connection, filters: _OrderKey, *, copy: bool = True) -> array[int]:
        """Every article passing ``filters``, newest first; remembered by the connection.

        ``copy=False`` returns the remembered list itself: the caller must not change it.
        """
        ids = self._remembered(conn, filters)
        if ids is None:
            state = conn.state()
            sql, params = newest_sql(*filters)
            ids = array("q", json.loads(conn.execute(sql, params).fetchone()[0]))
            if len(conn.orders) >= _KEPT_ORDERS:
                conn.orders.clear()
            conn.orders[filters] = (state, ids)
        return array("q", ids) if copy else ids

    def headlines(self, rowids: Sequence[int]) -> list[Headline]:
        """Return the headlines of ``rowids`` in the order given; unknown rowids are skipped."""
        if not rowids:
            return []
        with self._errors("cannot read headlines"):
            rows = (
                self._conn()
                .execute(
                    f"SELECT {_HEADLINE_COLUMNS} FROM articles"
                    " WHERE rowid IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(rowids)),),
                )
                .fetchall()
            )
        by_rowid = {row[0]: row for row in rows}
        return [
            Headline(
                rowid=row[0],
                id=row[1],
                feed=row[2],
                title=row[3],
                source=row[4],
                published=_from_us(row[5]),
                read=bool(row[6]),
                starred=bool(row[7]),
                link=row[8],
            )
            for row in (by_rowid.get(rowid) for rowid in rowids)
            if row is not None
        ]

    def headline_json_lines(self, rowids: Sequence[int]) -> list[str]:
        """The headlines of ``rowids``, in that order, as the JSON lines of ``list --json``.

        Built by SQLite: the same text as ``json.dumps(record, ensure_ascii=False)`` of the
        record ``id``, ``title``, ``source``, ``feed``, ``published`` (ISO 8601, UTC), ``link``,
        ``read``, ``starred``, at a third of the cost of building it in Python. Unknown rowids
        are skipped.
        """
        if not rowids:
            return []
        with self._errors("cannot read headlines"):
            rows = self._conn().execute(_JSON_LINES, (json.dumps(list(rowids)),)).fetchall()
        return [row[0] for row in rows]

    def article(self, key: str | int) -> Article | None:
        """Return the full article by public id (``str``) or rowid (``int``), or None."""
        column = "id" if isinstance(key, str) else "rowid"
        with self._errors("cannot read article"):
            row = (
                self._conn()
                .execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {column} = ?", (key,))
                .fetchone()
            )
        if row is None:
            return None
        return Article(
            id=row[1],
            feed=row[2],
            guid=row[3],
            title=row[4],
            link=row[5],
            author=row[6],
            published=_from_us(row[7]),
            source=row[8],
            source_title=row[9],
            section=row[10],
            place=row[11],
            credits=tuple(json.loads(row[12])),
            body=row[13],
            notes=tuple(json.loads(row[14])),
            read=bool(row[15]),
            starred=bool(row[16]),
        )

    def set_read(self, ids: Sequence[str], read: bool = True) -> None:
        """Mark the articles with public ids ``ids`` read (or unread); unknown ids are ignored."""
        if not ids:
            return
        flag = int(read)
        with self._write("cannot mark articles read") as conn:
            conn.execute(
                "UPDATE articles SET read = ?"
                " WHERE read != ? AND id IN (SELECT value FROM json_each(?))",
                (flag, flag, json.dumps(list(ids))),
            )

    def set_starred(self, article_id: str, starred: bool) -> None:
        """Star or unstar the article with public id ``article_id`` (ignored if unknown)."""
        flag = int(starred)
        with self._write("cannot star article") as conn:
            conn.execute(
                "UPDATE articles SET starred = ? WHERE id = ? AND starred != ?",
                (flag, article_id, flag),
            )

    def counts(self) -> dict[str, tuple[int, int]]:
        """Return ``feed -> (total, unread)`` for every known feed (zeros for empty ones)."""
        with self._errors("cannot count articles"):
            conn = self._conn()
            result = {name: (0, 0) for (name,) in conn.execute("SELECT name FROM feeds")}
            rows = conn.execute(
                "SELECT feed, count(*), total(read = 0) FROM articles GROUP BY feed"
            ).fetchall()
        for feed, total, unread in rows:
            result[feed] = (total, int(unread))
        return result

    def starred_count(self) -> tuple[int, int]:
        """Return ``(total, unread)`` of the starred articles."""
        with self._errors("cannot count articles"):
            total, unread = (
                self._conn()
                .execute(
                    "SELECT count(*), total(read = 0) FROM articles INDEXED BY articles_starred"
                    " WHERE starred = 1"
                )
                .fetchone()
            )
        return int(total), int(unread)


# -- helpers -------------------------------------------------------------------------------


def _disk_trouble(folder: Path) -> str:
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


class _Busy(Exception):
    """Another connection holds the write lock (see :meth:`Store.ingest_prepared`)."""


def _try_begin_immediate(conn: sqlite3.Connection) -> bool:
    """Start a write transaction if no other connection is writing; whether it started."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        return True
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
            raise
        return False
    finally:
        _set_busy_timeout(conn)


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """Start a write transaction, trying again every half millisecond while another
    connection writes, for up to :data:`BUSY_TIMEOUT_S` (then the "database is locked" error).

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, ... ms between its attempts, so a
    refresh's worker waiting for the other's 4 ms transaction often woke well after the lock
    was free (a cold refresh's lock waits: 0.17 s a worker with it, 0.13 s with this).
    """
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
                if time.monotonic() >= deadline:
                    raise
            time.sleep(_BEGIN_RETRY_S)
    finally:
        _set_busy_timeout(conn)


def _set_busy_timeout(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def _pragma_int(conn: sqlite3.Connection, name: str) -> int:
    return int(conn.execute(f"PRAGMA {name}").fetchone()[0])


def _to_us(moment: datetime | None) -> int | None:
    """Datetime -> integer microseconds since the epoch (naive datetimes taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND


def _from_us(value: int | None) -> datetime | None:
    """Integer microseconds since the epoch -> aware UTC datetime."""
    if value is None:
        return None
    return _EPOCH + timedelta(microseconds=value)


def _sort_time(published: int | None, first_seen: int) -> int:
    """Publication time, unless missing or later than the first sighting."""
    return first_seen if published is None else min(published, first_seen)


def _content_fields(article: Article, published: int | None) -> list[Any]:
    """Every stored content field (not read/starred, not the id), in digest order."""
    return [
        article.feed,
        article.guid,
        article.title,
        article.link,
        article.author,
        published,
        article.source,
        article.source_title,
        article.section,
        article.place,
        list(article.credits),
        list(article.notes),
        article.body,
    ]


def _content_hash(article: Article, published: int | None) -> str:
    """A digest over :func:`_content_fields`: ``2:`` and 32 hex digits.

    The fields are joined by NUL, which none holds: the readers clean every text of control
    characters (:mod:`biotui.plaintext`) and a feed's name may not have any. A list is its
    length and its items, joined by SOH.
    """
    # The fields of _content_fields, in its order, written out: half the time of a loop.
    credits, notes = article.credits, article.notes
    payload = "\x00".join(
        (
            article.feed,
            article.guid,
            article.title,
            article.link,
            article.author,
            str(published),
            article.source,
            article.source_title,
            article.section,
            article.place,
            f"{len(credits)}\x01" + "\x01".join(credits),
            f"{len(notes)}\x01" + "\x01".join(notes),
            article.body,
        )
    )
    import hashlib  # here, not at the top: reading the store never hashes

    digest = hashlib.sha256(payload.encode("utf-8", "surrogatepass"))  # see feed._identities
    return _DIGEST_MARK + digest.hexdigest()[:32]


_DIGEST_MARK = "2:"
"""Starts every digest :func:`_content_hash` makes; those of earlier versions are bare hex."""


def _same_content(stored: str, digest: str, article: Article, published: int | None) -> bool:
    """Whether ``article`` is what the stored digest was made of (``digest``: its digest now)."""
    if stored.startswith(_DIGEST_MARK):
        return stored == digest
    return stored == _legacy_content_hash(article, published)


def _legacy_content_hash(article: Article, published: int | None) -> str:
    """The digest stores made before :func:`_content_hash` took its form (JSON of the same
    fields): an article stored then is compared with it until its row is next rewritten."""
    payload = json.dumps(
        _content_fields(article, published), ensure_ascii=False, separators=(",", ":")
    )
    import hashlib

    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


_LIST_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _json_list(items: tuple[str, ...]) -> str:
    return _LIST_ENCODER.encode(list(items)) if items else "[]"


_Prepared = tuple[Article, int | None, str]
"""An article to store, its publication time (µs since the epoch) and its content digest."""


class PreparedIngest(NamedTuple):
    """An ingest with what it stores worked out (see :func:`prepare_ingest`)."""

    request: IngestRequest
    articles: list[_Prepared]


def prepare_ingest(request: IngestRequest) -> PreparedIngest:
    """What storing ``request`` needs, worked out before any transaction (the other writers
    would wait for it). Raises ValueError if an article belongs to another feed."""
    _check_feed(request.feed, request.articles)
    return PreparedIngest(request, _prepare(request.articles))


def _prepare(articles: Sequence[Article]) -> list[_Prepared]:
    """The articles an ingest stores, each with what it is stored and compared by, worked out
    before the transaction (the other writers wait for it): the last of each id only, in
    reverse (a feed lists its newest item first, and among articles of the same sort time the
    highest rowid shows first)."""
    latest: dict[str, Article] = {}
    for article in articles:
        latest[article.id] = article
    prepared: list[_Prepared] = []
    for article in reversed(latest.values()):
        published = _to_us(article.published)
        prepared.append((article, published, _content_hash(article, published)))
    return prepared


def _check_feed(feed: str, articles: Sequence[Article]) -> None:
    """ValueError if an article of ``articles`` belongs to another feed than ``feed``."""
    for article in articles:
        if article.feed != feed:
            raise ValueError(f"article {article.id} belongs to feed {article.feed!r}, not {feed!r}")


def _holds_feed(conn: sqlite3.Connection, feed: str) -> bool:
    """Whether any article of ``feed`` is stored: a feed's first refresh (every feed of a new
    store) looks none of its ids up, a lookup that costs 1–7 µs an id."""
    found = conn.execute("SELECT 1 FROM articles WHERE feed = ? LIMIT 1", (feed,)).fetchone()
    return found is not None


def _rows_by_id(
    conn: sqlite3.Connection, columns: str, ids: Sequence[str], condition: str = "TRUE"
) -> Iterator[Any]:
    """``columns`` of the articles whose id is in ``ids`` and that meet ``condition``, read
    :data:`_LOOKUP_CHUNK` ids at a time."""
    sql = (
        f"SELECT {columns} FROM articles"
        f" WHERE {condition} AND id IN (SELECT value FROM json_each(?))"
    )
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        yield from conn.execute(sql, (json.dumps(list(ids[start : start + _LOOKUP_CHUNK])),))


def _row_params(
    article: Article,
    published: int | None,
    first_seen: int,
    digest: str,
    source_hash: str | None,
) -> tuple[object, ...]:
    """One row of ``articles``: :data:`_INSERT_COLUMNS` in order."""
    return (
        article.id,
        article.feed,
        _sort_time(published, first_seen),
        published,
        first_seen,
        article.title,
        article.source,
        digest,
        article.guid,
        article.link,
        article.author,
        article.source_title,
        article.section,
        article.place,
        _json_list(article.credits),
        _json_list(article.notes),
        article.body,
        source_hash,
    )


def _status_params(status: FeedStatus) -> tuple[object, ...]:
    return (
        status.name,
        status.location,
        status.etag,
        status.last_modified,
        _to_us(status.last_checked),
        _to_us(status.last_success),
        status.last_error,
        _to_us(status.retry_after),
    )


def _status_from_row(row: tuple[Any, ...]) -> FeedStatus:
    return FeedStatus(
        name=row[0],
        location=row[1],
        etag=row[2],
        last_modified=row[3],
        last_checked=_from_us(row[4]),
        last_success=_from_us(row[5]),
        last_error=row[6],
        retry_after=_from_us(row[7]),
    )
