"""What a refresh's worker process runs: read one feed, store its articles, answer.

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
import signal
import struct
import sys
import warnings
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from biotui.errors import SourceError, StoreError
from biotui.model import IngestCounts

if TYPE_CHECKING:
    from biotui.store import Store

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
            known=functools.partial(target.source_hashes, feed=feed),
        )
        del data
        counts = target.ingest(
            feed, parsed.articles, status=status, source_hashes=parsed.source_hashes
        )
        counts = replace(counts, unchanged=counts.unchanged + parsed.skipped)
        return Stored(counts, tuple(parsed.warnings))
    if kind == "local":
        from biotui.sources.localfeed import read_changed_files

        spec, feed, known, db, status = args
        read = read_changed_files(spec, feed, known)
        now = datetime.now(UTC)
        status = replace(status, last_checked=now, last_success=now, last_error=None)
        target = store or _store_at(db)
        counts = target.ingest(feed, read.articles, status=status, files=read.files)
        return Stored(counts, tuple(read.warnings))
    raise ValueError(f"unknown task {kind!r}")


OK, UNREADABLE, STORE_FAILED = "ok", "unreadable", "store"


def answer(kind: str, args: tuple[Any, ...], store: Store | None = None) -> tuple[str, Any]:
    """``("ok", Stored)``, or what failed and its one-line message, for any exception."""
    try:
        return OK, run_task(kind, args, store)
    except StoreError as exc:
        return STORE_FAILED, str(exc)
    except SourceError as exc:
        return UNREADABLE, str(exc)
    except Exception as exc:  # a reader's bug on odd input must stay one feed's error
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


def serve(
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    *,
    autocheckpoint: bool = True,
) -> None:
    """A worker's main loop: read a task, run it, write the answer; return at end of input.

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
    source = stdin or sys.stdin.buffer
    if stdout is None:
        stdout = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    while True:
        header = source.read(HEADER.size)
        if len(header) < HEADER.size:
            return
        (size,) = HEADER.unpack(header)
        payload = source.read(size)
        if len(payload) < size:
            return
        kind, args = pickle.loads(payload)
        del payload
        try:
            reply = pickle.dumps(answer(kind, args), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # a result that does not pickle: still one line, not a crash
            reply = pickle.dumps((UNREADABLE, f"could not be read ({type(exc).__name__})"))
        stdout.write(HEADER.pack(len(reply)))
        stdout.write(reply)
        stdout.flush()
        del reply, args
