"""Refresh every configured source into the store: fetch, read, ingest, record status.

One feed's failure never touches another feed or what is already stored: each feed's articles
and status are written in one transaction, and an error only updates that feed's status.

Fetching runs in twice ``concurrency`` threads, one feed at a time each (the network waits
release the GIL), at most ``concurrency`` of them downloading at once: a thread waiting for
its feed to be stored has given its download place to another. Parsing, the HTML to Markdown
conversion of bodies and storing run in worker processes (:mod:`biotui.parsepool`), one per
core, so that the threads keep fetching and the app's UI thread keeps the GIL; a refresh of
one or two feeds does that work in its fetching thread instead. A feed answered 304 is
neither parsed nor written, except for its status.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from biotui.errors import BiotuiError, SourceError, StoreError
from biotui.model import Config, Feed, FeedStatus, IngestCounts
from biotui.plaintext import clean_text
from biotui.sources.http import HttpClient, RetryLater, fetch
from biotui.store import Store

if TYPE_CHECKING:
    from biotui.parsepool import Parser
    from biotui.parseworker import Stored

PROCESS_MIN_FEEDS = 3
"""Refreshes of fewer feeds than this parse in their fetching thread, without processes."""


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What refreshing one feed did."""

    feed: str
    counts: IngestCounts = field(default_factory=IngestCounts)
    error: str | None = None
    """Why the feed could not be refreshed, one line; None on success."""
    warnings: tuple[str, ...] = ()
    """Problems that did not stop the feed: a skipped file, entity declarations removed, ..."""
    not_modified: bool = False
    skipped: bool = False
    """True when the feed was not fetched at all (the server asked us to wait)."""
    done: int = 0
    total: int = 0


ProgressCallback = Callable[[FeedOutcome], None]


def refresh_all(
    config: Config,
    store: Store,
    *,
    feeds: Sequence[Feed] | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> list[FeedOutcome]:
    """Refresh ``feeds`` (default: every configured feed) and return one outcome per feed.

    Blocks until every feed is done; may be called from any thread. ``on_progress`` is
    called, in the calling thread, after each feed finishes. Setting ``cancel`` (the app
    quitting) stops the refresh within a tenth of a second: the feeds not finished are left
    as they were (their workers are stopped before they commit) and the outcomes of the
    finished ones are returned. An interrupt (Ctrl-C) stops it the same way and propagates.
    What was stored stays, and the downloads are deleted, however the refresh ends.
    """
    chosen = list(config.feeds if feeds is None else feeds)
    if not chosen:
        return []
    settings = config.settings
    known = {status.name: status for status in store.feed_statuses()}
    with HttpClient() as client:
        fetching = threading.BoundedSemaphore(settings.concurrency)
        run = _Run(store, len(chosen), client, settings.timeout, known, fetching)
        outcomes: list[FeedOutcome] = []
        try:
            if likely := _likely_reads(chosen, known):
                run.parser.start(likely)  # the workers load while the first answers come
            outcomes = _run_all(run, chosen, settings.concurrency, on_progress, cancel)
            if run.unmodified:
                run.save_statuses(*run.unmodified)
        finally:
            # Cancelled or interrupted: the workers are stopped before they commit.
            run.close(now=len(outcomes) < len(chosen))
    return outcomes


def _likely_reads(feeds: list[Feed], known: dict[str, FeedStatus]) -> int:
    """How many of ``feeds`` will almost surely be read: local ones, and those fetched
    without a validator (never fetched, or from a server that sends none), so that the
    answer cannot be 304."""
    likely = 0
    for feed in feeds:
        status = known.get(feed.name)
        if feed.url is None or status is None or not (status.etag or status.last_modified):
            likely += 1
    return likely


_CANCEL_POLL_S = 0.1
"""How often a refresh waiting for its feeds looks at its ``cancel`` event."""


def _run_all(
    run: _Run,
    feeds: list[Feed],
    concurrency: int,
    on_progress: ProgressCallback | None,
    cancel: threading.Event | None,
) -> list[FeedOutcome]:
    """Refresh ``feeds`` in ``concurrency`` threads, reporting each outcome as it comes; the
    outcomes in the order of ``feeds``, only those finished when ``cancel`` was set."""
    todo: queue.SimpleQueue[tuple[int, Feed]] = queue.SimpleQueue()
    for entry in enumerate(feeds):
        todo.put(entry)
    finished: queue.SimpleQueue[tuple[int, FeedOutcome]] = queue.SimpleQueue()

    def work() -> None:
        while not run.stopping.is_set():
            try:
                index, feed = todo.get_nowait()
            except queue.Empty:
                return
            finished.put((index, _refresh_one(run, feed)))

    # Twice as many threads as downloads at once: a thread whose feed waits for a worker
    # has given its download place to another, so the network stays busy meanwhile.
    for number in range(min(2 * concurrency, len(feeds))):
        threading.Thread(target=work, name=f"biotui-refresh-{number}", daemon=True).start()
    outcomes: list[FeedOutcome | None] = [None] * len(feeds)
    done = 0
    while done < len(feeds):
        try:
            index, outcome = finished.get(timeout=None if cancel is None else _CANCEL_POLL_S)
        except queue.Empty:
            if cancel is not None and cancel.is_set():
                run.stopping.set()  # threads take no more feeds, failures are not recorded
                break
            continue
        done += 1
        outcome = replace(outcome, done=done, total=len(feeds))
        outcomes[index] = outcome
        if on_progress is not None:
            on_progress(outcome)
    return [outcome for outcome in outcomes if outcome is not None]


@dataclass(slots=True)
class _Run:
    """What every feed of one refresh shares.

    The parser and the spool are made when a feed first needs them: a refresh in which
    every feed answers 304 starts no process and writes no file.
    """

    store: Store
    feed_count: int
    client: HttpClient
    timeout: float
    known: dict[str, FeedStatus]
    """What the store remembered of each feed when the refresh began (read in one query)."""
    fetching: threading.BoundedSemaphore
    """One place per download running at once (the ``concurrency`` setting)."""
    stopping: threading.Event = field(default_factory=threading.Event)
    """Set when the refresh ends or is interrupted: threads take no more feeds."""
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    """Serializes this process's status writes."""
    unmodified: list[FeedStatus] = field(default_factory=list)
    """Statuses of feeds that answered 304, stored together when the refresh ends: written
    one by one, 16 answers arriving together would each wait for the others' writes."""
    _parser: Parser | None = None
    _spool: Path | None = None
    """Where fetched bodies wait for a worker: on disk, not in this process's memory (the
    workers, not the network, set the pace of a refresh of big feeds)."""
    _numbers: itertools.count[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def parser(self) -> Parser:
        """Worker processes for a refresh of several feeds, the calling thread for one or two."""
        with self._lock:
            if self._parser is None:
                if self.stopping.is_set():  # a fetch that ended after the refresh did
                    raise SourceError("the refresh is over")
                from biotui.parsepool import InlineParser, ProcessParser

                many = self.feed_count >= PROCESS_MIN_FEEDS
                if many:  # the workers write; this process checkpoints for them
                    self._parser = ProcessParser(checkpoint=self.store.path)
                else:
                    self._parser = InlineParser(self.store)
            return self._parser

    def spool_file(self) -> Path:
        """A new file name in the refresh's spool folder (made now if needed)."""
        with self._lock:
            if self.stopping.is_set():  # a fetch that ended after the refresh did
                raise OSError("the refresh is over")
            if self._spool is None:
                import tempfile

                self._spool = Path(tempfile.mkdtemp(prefix="biotui-refresh-"))
            return self._spool / f"{next(self._numbers)}.body"

    def close(self, *, now: bool = False) -> None:
        """Stop taking feeds, stop the workers (``now``: without letting them finish their
        feed), delete the downloads. Idempotent."""
        self.stopping.set()
        with self._lock:
            parser, spool = self._parser, self._spool
            self._spool = None
        if parser is not None:
            parser.close(now=now)
        if spool is not None:
            import shutil

            shutil.rmtree(spool, ignore_errors=True)

    def save_statuses(self, *statuses: FeedStatus) -> None:
        """Store feeds' statuses without touching their articles, in one transaction."""
        with self.write_lock:
            self.store.save_feed_statuses(statuses)

    def record_failure(
        self, status: FeedStatus, error: str, retry_after: datetime | None = None
    ) -> None:
        """Remember a failed attempt without touching the feed's articles (not once the
        refresh is stopping: a feed cut short by its end has not failed)."""
        if self.stopping.is_set():
            return
        failed = replace(status, last_checked=_now(), last_error=error, retry_after=retry_after)
        # When the store itself is failing, the outcome still carries the error.
        with contextlib.suppress(BiotuiError):
            self.save_statuses(failed)

    def store_task(self, task: tuple[Any, ...], status: FeedStatus, weight: int = 0) -> FeedOutcome:
        """Have the parser read and store ``task`` (the heaviest waiting first, see
        :meth:`Parser.run`); a feed it cannot read keeps its articles."""
        try:
            stored: Stored = self.parser.run(*task, weight=weight)
        except StoreError as exc:
            return FeedOutcome(status.name, error=str(exc))
        except SourceError as exc:
            self.record_failure(status, str(exc))
            return FeedOutcome(status.name, error=str(exc))
        return FeedOutcome(status.name, counts=stored.counts, warnings=stored.warnings)


def _refresh_one(run: _Run, feed: Feed) -> FeedOutcome:
    """Refresh one feed; any failure, even a bug, is this feed's one-line error."""
    try:
        if feed.url is not None:
            return _refresh_url(run, feed)
        return _refresh_local(run, feed)
    except Exception as exc:
        return FeedOutcome(feed.name, error=clean_text(f"{type(exc).__name__}: {exc}")[:300])


def _now() -> datetime:
    return datetime.now(UTC)


def _refresh_url(run: _Run, feed: Feed) -> FeedOutcome:
    assert feed.url is not None
    status = run.known.get(feed.name) or FeedStatus(name=feed.name, location=feed.url)
    status = replace(status, location=feed.url)
    if status.retry_after is not None and status.retry_after > _now():
        when = f"{status.retry_after:%Y-%m-%d %H:%M} UTC"
        return FeedOutcome(feed.name, skipped=True, error=f"server asked to wait until {when}")
    sink = _Download(run)
    try:
        return _fetch_and_store(run, feed, status, sink)
    finally:
        sink.delete()


class _Download:
    """A feed's body on its way to a worker: a spool file, created at the first byte."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.path: Path | None = None
        self.size = 0
        """Bytes written so far."""
        self._file: BinaryIO | None = None

    def write(self, data: bytes) -> int:
        """Append ``data`` to the file; SourceError, saying why, when the spool cannot."""
        try:
            if self._file is None:
                self.path = self.run.spool_file()
                self._file = self.path.open("wb")
            written = self._file.write(data)
            self.size += written
            return written
        except OSError as exc:  # the temporary folder is full or gone
            raise SourceError(_spool_error(exc)) from None

    def close(self) -> None:
        """Close the file; it stays until :meth:`delete`."""
        if self._file is not None:
            self._file.close()

    def delete(self) -> None:
        """Close and delete the file."""
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def _spool_error(exc: OSError) -> str:
    return f"cannot keep the downloaded feed: {exc.strerror or exc}"


def _fetch_and_store(run: _Run, feed: Feed, status: FeedStatus, sink: _Download) -> FeedOutcome:
    assert feed.url is not None
    try:
        with run.fetching:
            result = fetch(
                run.client,
                feed.url,
                etag=status.etag,
                last_modified=status.last_modified,
                timeout=run.timeout,
                sink=sink,
            )
            sink.close()
    except RetryLater as exc:
        run.record_failure(status, str(exc), retry_after=exc.retry_after)
        return FeedOutcome(feed.name, error=str(exc))
    except SourceError as exc:
        run.record_failure(status, str(exc))
        return FeedOutcome(feed.name, error=str(exc))
    except OSError as exc:  # the last bytes could not be written out
        message = _spool_error(exc)
        run.record_failure(status, message)
        return FeedOutcome(feed.name, error=message)
    checked = _now()
    if result.not_modified:
        kept = replace(
            status,
            etag=result.etag or status.etag,
            last_modified=result.last_modified or status.last_modified,
            last_checked=checked,
            last_success=checked,
            last_error=None,
            retry_after=None,
        )
        with run.write_lock:
            run.unmodified.append(kept)
        return FeedOutcome(feed.name, not_modified=True)
    fresh = replace(
        status,
        etag=result.etag,
        last_modified=result.last_modified,
        last_checked=checked,
        last_success=checked,
        last_error=None,
        retry_after=None,
    )
    db = str(run.store.path)
    data = b"" if sink.path is None else str(sink.path)
    task = ("feed", data, feed.name, result.url, result.content_type, db, fresh)
    return run.store_task(task, status, weight=sink.size)


def _refresh_local(run: _Run, feed: Feed) -> FeedOutcome:
    assert feed.path is not None
    status = replace(run.known.get(feed.name) or FeedStatus(name=feed.name), location=feed.path)
    known = run.store.file_signatures(feed.name)
    task = ("local", feed.path, feed.name, known, str(run.store.path), status)
    return run.store_task(task, status)
