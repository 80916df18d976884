"""What a refresh's worker process runs: read feeds, store their articles, answer.

Kept apart from :mod:`biotui.parsepool` (which drives the workers) so that a
worker imports only what reading and storing need. :func:`run_task` also runs in a thread of
the refreshing process, for refreshes too small to be worth starting processes.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import pickle
import select
import signal
import struct
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from biotui.errors import SourceError, StoreError
from biotui.model import Article, FeedStatus, FileSignature, IngestCounts

if TYPE_CHECKING:
    from biotui.store import IngestRequest, PreparedIngest, Store

NICENESS = 10
"""How much lower than its parent's a worker's scheduling priority is: when the cores are
busy, the app drawing the screen (and the threads fetching) go first. A key pressed in the
app while 50,000 articles were stored was answered within 59–75 ms (p95) with it, 76–84 ms
without; a refresh from the command line takes as long either way."""

HEADER = struct.Struct(">Q")
"""Every message on a worker's pipes is this length prefix, then a pickle of that length."""


@dataclass(frozen=True, slots=True)
class Stored:
    """What a task stored: the ingest's counts, and problems that did not stop the feed."""

    counts: IngestCounts = field(default_factory=IngestCounts)
    warnings: tuple[str, ...] = ()


_stores: dict[str, Store] = {}
"""A worker's open stores, by database path (a worker serves one refresh, of one store)."""

_autocheckpoint = True
"""Whether a worker's stores checkpoint after their commits (see :func:`serve`)."""


def _store_at(path: str) -> Store:
    store = _stores.get(path)
    if store is None:
        from biotui.store import Store

        store = _stores[path] = Store(Path(path), autocheckpoint=_autocheckpoint)
    return store


@dataclass(slots=True)
class Read:
    """A task's articles, read and not stored yet: :meth:`store` stores them."""

    store_into: Store
    feed: str
    articles: list[Article]
    status: FeedStatus | None
    warnings: tuple[str, ...]
    source_hashes: dict[str, str] | None = None
    files: tuple[FileSignature, ...] = ()
    skipped: int = 0

    def request(self) -> IngestRequest:
        """What :meth:`Store.ingest_batch` stores of this feed."""
        from biotui.store import IngestRequest

        return IngestRequest(self.feed, self.articles, self.status, self.files, self.source_hashes)

    def store(self) -> Stored:
        """Store the articles, with the feed's status, in one transaction (StoreError)."""
        counts = self.store_into.ingest(
            self.feed,
            self.articles,
            status=self.status,
            files=self.files,
            source_hashes=self.source_hashes,
        )
        return self.stored(counts)

    def stored(self, counts: IngestCounts) -> Stored:
        """The task's answer, given what storing its articles counted."""
        return Stored(replace(counts, unchanged=counts.unchanged + self.skipped), self.warnings)


def read_task(kind: str, args: tuple[Any, ...], store: Store | None = None) -> Read:
    """Read what task ``kind`` names, not storing it yet (see :func:`run_task`)."""
    if kind == "feed":
        from biotui.sources.feed import parse_feed

        data, feed, url, content_type, db, status = args
        if isinstance(data, str):
            data = Path(data).read_bytes()
        target = store or _store_at(db)
        parsed = parse_feed(
            data,
            feed,
            url=url,
            content_type=content_type,
            known=target.entry_digests(feed),
        )
        return Read(
            target,
            feed,
            parsed.articles,
            status,
            tuple(parsed.warnings),
            source_hashes=parsed.source_hashes,
            skipped=parsed.skipped,
        )
    if kind == "local":
        from biotui.sources.localfeed import read_changed_files

        spec, feed, known, db, status = args
        read = read_changed_files(spec, feed, known)
        now = datetime.now(UTC)
        status = replace(status, last_checked=now, last_success=now, last_error=None)
        target = store or _store_at(db)
        return Read(
            target, feed, read.articles, status, tuple(read.warnings), files=tuple(read.files)
        )
    raise ValueError(f"unknown task {kind!r}")


def run_task(kind: str, args: tuple[Any, ...], store: Store | None = None) -> Stored:
    """Run one task by name and store what it read, in one transaction.

    ``"feed"``: ``(data, feed, url, content_type, db, status)`` parses feed bytes (``data``,
    or the file a ``str`` ``data`` names, which the refresh deletes afterwards); ``"local"``:
    ``(spec, feed, known, db, status)`` reads a local feed's changed files. ``db`` is the
    store's path, opened here unless ``store`` is given; ``status`` is saved with the articles
    (a local feed's is stamped checked and successful when its files are read). Raises
    :class:`SourceError` for input that cannot be read (nothing is written) and
    :class:`StoreError` when the store fails.
    """
    return read_task(kind, args, store).store()


OK, UNREADABLE, STORE_FAILED = "ok", "unreadable", "store"
FREE = "free"
"""A worker's first answer to a task it has read (see :func:`serve`): the final one follows."""


def answer(kind: str, args: tuple[Any, ...], store: Store | None = None) -> tuple[str, Any]:
    """``("ok", Stored)``, or what failed and its one-line message, for any exception."""
    try:
        return OK, run_task(kind, args, store)
    except Exception as exc:
        return failure(exc)


def failure(exc: Exception) -> tuple[str, str]:
    """What failed (``"store"`` or ``"unreadable"``) and its one-line message."""
    if isinstance(exc, StoreError):
        return STORE_FAILED, str(exc)
    if isinstance(exc, SourceError):
        return UNREADABLE, str(exc)
    # a reader's bug on odd input must stay one feed's error
    from biotui.plaintext import clean_text

    return UNREADABLE, clean_text(f"could not be read ({type(exc).__name__}: {exc})")[:300]


def raise_failure(outcome: str, value: Any) -> Stored:
    """The task's :class:`Stored`, or the error its answer names, raised."""
    if outcome == OK and isinstance(value, Stored):
        return value
    if outcome == STORE_FAILED:
        raise StoreError(str(value))
    raise SourceError(str(value))


_WARM_UP_FEED = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>w</title><item>"
    b"<guid>w</guid><title>w</title><description>&lt;p&gt;&lt;a href='https://w.example/'&gt;"
    b"w&lt;/a&gt; *w*&lt;/p&gt;</description></item></channel></rss>"
)


def warm_up() -> None:
    """Import the reading and storing stack and read one tiny feed, before the first task.

    A worker is started while the refresh still waits for the network: what it loads and
    prepares now (about 0.1 s of CPU) is not paid by the first feed it reads.
    """
    from biotui.sources.feed import parse_feed
    from biotui.store import Store  # noqa: F401  (imported for its cost, not its use)

    with contextlib.suppress(Exception):  # a warm-up that fails leaves the first task to say
        parse_feed(_WARM_UP_FEED, "warm-up", url="https://w.example/")


BATCH_ARTICLES = 500
"""A worker stores the feeds it has read together, in one transaction, until they hold this
many articles (or :data:`BATCH_FEEDS` feeds): each commit writes every index page its rows
touched and a full-text segment, so eight to ten feeds of 50 articles stored at once cost a
quarter less than one by one, and write a third of the log."""

BATCH_FEEDS = 8
"""A batch is stored once it holds this many feeds: each holds a fetching thread until it is
stored."""

BUSY_FEEDS = 12
"""While the other worker writes, a worker whose batch is due reads the next feed waiting
rather than wait for the write lock, until its batch holds this many feeds (or twice
:data:`BATCH_ARTICLES` articles). Two workers otherwise fall into step: in a cold refresh of
200 feeds one of them waited for the other's transaction at 12 of its 13 commits, 0.15 s
in all."""

BATCH_WAIT_S = 0.005
"""How long a worker holding feeds not stored waits for the next task before storing them:
a task waiting in the parent arrives within a millisecond of the worker's ``"free"``."""


def serve(
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    *,
    autocheckpoint: bool = True,
) -> None:
    """A worker's main loop: read tasks, run them, write the answers; return at end of input.

    A task is ``(number, kind, args)``; every answer is ``(number, outcome, value)``. A task
    read is answered ``("free", None)`` at once and its articles kept; the feeds kept are
    stored together (see :data:`BATCH_ARTICLES`) when the next task does not come at once,
    and each then gets its final answer. A task that cannot be read gets its final answer
    alone, and so does each feed of a batch that failed when it is stored again by itself.

    Interrupts are the parent's business (it stops the workers); warnings and stray prints
    go nowhere, so that the answers are the only bytes on the output. The worker runs at a
    lower priority (:data:`NICENESS`). With ``autocheckpoint=False`` the stores written never
    checkpoint: the parent does.
    """
    global _autocheckpoint
    _autocheckpoint = autocheckpoint
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no nice() here
        os.nice(NICENESS)
    warnings.simplefilter("ignore")
    warm_up()
    # What is loaded now lives until the worker ends: kept out of the collector's sweeps, and
    # the young objects of a task (a feed's records, mostly without cycles) swept less often.
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    source = (stdin or sys.stdin.buffer).fileno()
    if stdout is None:
        stdout = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    work(source, stdout)


def work(source: int, stdout: BinaryIO) -> None:
    """Answer the tasks read from file descriptor ``source`` on ``stdout`` (see
    :func:`serve`) until the input ends; the feeds still held are stored then."""
    from biotui.store import prepare_ingest

    tasks = _TaskReader(source)
    reply = functools.partial(_reply, stdout)
    batch: list[_Held] = []
    while True:
        if batch:
            articles = sum(len(read.articles) for _, read, _ in batch)
            if (
                articles >= BATCH_ARTICLES
                or len(batch) >= BATCH_FEEDS
                or not tasks.ready(BATCH_WAIT_S)
            ):
                if _store_batch(batch, reply, wait=False):
                    batch = []
                elif (
                    len(batch) >= BUSY_FEEDS
                    or articles >= 2 * BATCH_ARTICLES
                    or not tasks.ready(BATCH_WAIT_S)
                ):
                    _store_batch(batch, reply)  # nothing else to do: wait for the lock
                    batch = []
                # else another writer holds the lock and a task is there: read it first
        task = tasks.next()
        if task is None:
            break
        number, kind, args = task
        del task
        try:
            read = read_task(kind, args)
            ready = prepare_ingest(read.request())
        except Exception as exc:
            reply(number, failure(exc))
            continue
        finally:
            del args
        if batch and read.store_into is not batch[0][1].store_into:
            _store_batch(batch, reply)
            batch = []
        reply(number, (FREE, None))
        batch.append((number, read, ready))
        del read, ready
    if batch:
        _store_batch(batch, reply)


_Held = tuple[int, "Read", "PreparedIngest"]
"""A feed a worker holds: its task's number, what was read, and that prepared for storing."""


class _TaskReader:
    """Length-prefixed pickles read from a file descriptor, with a buffer of its own, so that
    :meth:`ready` can tell whether a whole task is there without blocking."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = bytearray()
        self._ended = False

    def _complete(self) -> int:
        """The size of the first whole message in the buffer (header included), or 0."""
        if len(self._buffer) < HEADER.size:
            return 0
        (size,) = HEADER.unpack_from(self._buffer)
        return HEADER.size + size if len(self._buffer) >= HEADER.size + size else 0

    def _fill(self) -> None:
        part = os.read(self._fd, 1 << 16)
        if part:
            self._buffer += part
        else:
            self._ended = True

    def ready(self, wait: float) -> bool:
        """Whether the next task (or the end of the input) is there within ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while not self._complete() and not self._ended:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._fd], [], [], remaining)[0]:
                return False
            self._fill()
        return True

    def next(self) -> tuple[int, str, tuple[Any, ...]] | None:
        """The next task, waiting for it; None at the end of the input."""
        while not (size := self._complete()):
            if self._ended:
                return None
            self._fill()
        payload = bytes(self._buffer[HEADER.size : size])
        del self._buffer[:size]
        number, kind, args = pickle.loads(payload)
        return number, kind, args


def _store_batch(
    batch: list[_Held], reply: Callable[[int, tuple[str, Any]], None], *, wait: bool = True
) -> bool:
    """Store the feeds of ``batch`` in one transaction and answer each; when that fails,
    store each alone, so that one feed's failure stays its own. With ``wait=False``, False
    (nothing stored, nothing answered) when another connection is writing."""
    store = batch[0][1].store_into
    try:
        counts = store.ingest_prepared([ready for _, _, ready in batch], wait=wait)
    except Exception as exc:
        if len(batch) == 1:
            reply(batch[0][0], failure(exc))
            return True
    else:
        if counts is None:
            return False
        for (number, read, _), stored in zip(batch, counts, strict=True):
            reply(number, (OK, read.stored(stored)))
        return True
    for number, read, _ in batch:
        try:
            outcome: tuple[str, Any] = (OK, read.store())
        except Exception as exc:
            outcome = failure(exc)
        reply(number, outcome)
    return True


def _reply(stdout: BinaryIO, number: int, outcome: tuple[str, Any]) -> None:
    """Write the answer ``outcome`` to task ``number`` to the output, at once."""
    try:
        data = pickle.dumps((number, *outcome), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # a result that does not pickle: still one line, not a crash
        data = pickle.dumps((number, UNREADABLE, f"could not be read ({type(exc).__name__})"))
    stdout.write(HEADER.pack(len(data)) + data)
    stdout.flush()
