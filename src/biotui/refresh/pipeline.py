"""``refresh_all``: fetching threads -> parse pool -> the one writer -> the caller's progress.

``concurrency`` threads take the feeds one at a time. A feed with a URL is fetched into a
spool file (a 304 answer or a failure goes straight to the writer as a status) and handed to
the parse pool with the digests of its stored entries, read here beforehand; a local feed's
files are listed and compared with their stored signatures, and each changed file becomes one
task. Parse results go to the writer (:mod:`biotui.refresh.writer`), which stores them and
reports each finished feed to the calling thread.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from biotui.errors import BiotuiError, SourceError
from biotui.model import Config, Feed, FeedStatus, FileSignature
from biotui.plaintext import clean_text
from biotui.refresh.auth import BasicAuth
from biotui.refresh.gone import GoneFiles, find_gone
from biotui.refresh.http import HttpClient, RetryLater, fetch
from biotui.refresh.outcome import FeedOutcome, ProgressCallback, StoredCallback
from biotui.refresh.page_pool import PageCallback, PagePhase, page_requests
from biotui.refresh.pages import PageOutcome
from biotui.refresh.pool import ParsePool
from biotui.refresh.searchfeeds import Pace, refresh_search
from biotui.refresh.spool import Download, spool_error
from biotui.refresh.syncskip import without_synced
from biotui.refresh.tasks import FeedTask, FileTask, Result, as_read
from biotui.refresh.writer import (
    FeedParsed,
    FileParsed,
    FolderListed,
    StatusOnly,
    Writer,
    failed,
    now,
)
from biotui.secrets import SecretError, command_secret
from biotui.store import Store

PROCESS_MIN_FEEDS = 3
"""A refresh of fewer feeds reads its first ``PROCESS_MIN_FEEDS - 1`` documents without
starting processes (more documents than that, from a folder, still go to workers)."""

_CANCEL_POLL_S = 0.1
"""How often a refresh waiting for its feeds looks at its ``cancel`` event."""


def refresh_all(
    config: Config,
    store: Store,
    *,
    feeds: Sequence[Feed] | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    on_stored: StoredCallback | None = None,
    on_page: PageCallback | None = None,
) -> list[FeedOutcome]:
    """Refresh ``feeds`` (default: every configured feed) and return one outcome per feed;
    feeds the ``[sync]`` server fetches are left to the sync (:mod:`.syncskip`).

    Blocks until every feed is done; may be called from any thread. ``on_progress`` is
    called, in the calling thread, after each feed finishes. Setting ``cancel`` (the app
    quitting) stops the refresh within a fraction of a second: the workers are killed, the
    feeds not finished are left as they were and the outcomes of the finished ones are
    returned. An interrupt (Ctrl-C) stops it the same way and propagates. What was stored
    stays, and the downloads are deleted, however the refresh ends.

    Once every feed is stored, ``on_stored`` gets their outcomes; then the pages of the
    articles of ``feeds``' ``full_text`` feeds (:mod:`.page_pool`), those the sync stores
    included, are fetched and stored before this returns, ``on_page`` called with each page's
    outcome.
    """
    requested = config.feeds if feeds is None else feeds
    began = time.monotonic()
    chosen = without_synced(config, store, requested)
    paged = [feed for feed in requested if feed.full_text]  # the synced ones' pages too
    if not chosen and not paged:
        return []
    run = _Run(config, store, chosen, paged)
    outcomes: list[FeedOutcome] = []
    order = {feed.name: number for number, feed in enumerate(chosen)}
    complete = False
    try:
        run.start()
        while len(outcomes) < len(chosen):
            try:
                outcome = run.finished.get(timeout=None if cancel is None else _CANCEL_POLL_S)
            except queue.Empty:
                if cancel is not None and cancel.is_set():
                    break
                continue
            outcome = replace(outcome, done=len(outcomes) + 1, total=len(chosen))
            outcomes.append(outcome)
            if on_progress is not None:
                on_progress(outcome)
        outcomes.sort(key=lambda outcome: order.get(outcome.feed, 0))
        if len(outcomes) == len(chosen):
            complete = run.fetch_pages(config, cancel, on_stored, outcomes, on_page)
    finally:
        run.close(now=not complete)
    if complete:
        _group_the_rest(store, cancel, time.monotonic() - began)
    return outcomes


def _group_the_rest(store: Store, cancel: threading.Event | None, took_s: float) -> None:
    """Group stored articles no refresh grouped yet (a store upgraded from before stories, or
    those the writer left) for a bounded time, a share of what the refresh took: resumable,
    stopped by ``cancel``; a failure leaves them for next time."""
    from biotui.refresh.grouping import REFRESH_BUDGET_S, REFRESH_SHARE, group_pending

    budget = min(REFRESH_BUDGET_S, REFRESH_SHARE * took_s)
    with contextlib.suppress(BiotuiError):
        group_pending(store, cancel=cancel, budget_s=budget)


class _Run:
    """What the threads of one refresh share."""

    def __init__(self, config: Config, store: Store, feeds: list[Feed], paged: list[Feed]) -> None:
        self.store = store
        self.settings = config.settings
        self.feeds = feeds
        self.paged = paged
        """The ``full_text`` feeds whose pages are fetched once every feed is stored."""
        self.known = {status.name: status for status in store.feed_statuses()}
        self.finished: queue.SimpleQueue[FeedOutcome] = queue.SimpleQueue()
        self.pages_stored: queue.SimpleQueue[PageOutcome] = queue.SimpleQueue()
        self.stopping = threading.Event()
        self.client = HttpClient(maxsize=self.settings.concurrency)
        self.pace = Pace()
        many = len(feeds) >= PROCESS_MIN_FEEDS
        self.pool = ParsePool(inline=0 if many else PROCESS_MIN_FEEDS - 1)
        self.writer = Writer(
            store,
            self.finished.put,
            self.pool.release,
            self.pool.pending,
            report_page=self.pages_stored.put,
        )
        self._todo: queue.SimpleQueue[Feed] = queue.SimpleQueue()
        self._spool: Path | None = None
        self._numbers = itertools.count()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the fetching threads, and the workers if some feed will surely be read."""
        if any(self._surely_read(feed) for feed in self.feeds):
            self.pool.start()  # the workers load their readers while the network is awaited
        for feed in self.feeds:
            self._todo.put(feed)
        for number in range(min(self.settings.concurrency, len(self.feeds))):
            name = f"biotui-fetch-{number}"
            threading.Thread(target=self._work, name=name, daemon=True).start()

    def _surely_read(self, feed: Feed) -> bool:
        """Local feeds, and feeds fetched without a validator: the answer cannot be 304."""
        status = self.known.get(feed.name)
        return feed.url is None or status is None or not (status.etag or status.last_modified)

    def fetch_pages(
        self,
        config: Config,
        cancel: threading.Event | None,
        on_stored: StoredCallback | None,
        outcomes: Sequence[FeedOutcome],
        on_page: PageCallback | None,
    ) -> bool:
        """Every feed is stored: say so, then fetch the pages of the ``full_text`` feeds'
        articles with this refresh's client, pool and writer. False when cancelled."""
        if cancel is not None and cancel.is_set():
            return False
        if on_stored is not None:
            on_stored(outcomes)
        requests = page_requests(config, self.store, self.paged) if self.paged else []
        if not requests:
            return True
        phase = PagePhase(
            requests,
            self.pages_stored,
            client=self.client,
            pool=self.pool,
            writer=self.writer,
            spool_file=self.spool_file,
            threads=self.settings.concurrency,
        )
        return phase.run(cancel, on_page) is not None

    def close(self, *, now: bool) -> None:
        """End the refresh (``now``: without waiting for anything) and delete the downloads."""
        self.stopping.set()
        if now:
            self.pool.stop()
            self.writer.stop()
        else:
            self.pool.close()
            self.writer.close()
        self.client.close()
        with self._lock:
            spool, self._spool = self._spool, None
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)

    def spool_file(self) -> Path:
        """A new file name in the refresh's spool folder (made now if needed)."""
        with self._lock:
            if self.stopping.is_set():  # a fetch that ended after the refresh did
                raise OSError("the refresh is over")
            if self._spool is None:
                self._spool = Path(tempfile.mkdtemp(prefix="biotui-refresh-"))
            return self._spool / f"{next(self._numbers)}.body"

    def _work(self) -> None:
        while not self.stopping.is_set():
            try:
                feed = self._todo.get_nowait()
            except queue.Empty:
                return
            try:
                if feed.url is not None:
                    self._refresh_url(feed, feed.url)
                elif feed.trials is not None or feed.pubmed is not None:
                    refresh_search(self, feed, Download(self.spool_file))
                else:
                    self._refresh_local(feed, feed.path or "")
            except Exception as exc:  # even a bug is this feed's one-line error
                message = clean_text(f"{type(exc).__name__}: {exc}")[:300]
                self.finished.put(FeedOutcome(feed.name, error=message))

    def _refresh_url(self, feed: Feed, url: str) -> None:
        status = self.known.get(feed.name) or FeedStatus(name=feed.name)
        status = replace(status, location=url)
        if status.retry_after is not None and status.retry_after > now():
            when = f"{status.retry_after:%Y-%m-%d %H:%M} UTC"
            error = f"server asked to wait until {when}"
            self.finished.put(FeedOutcome(feed.name, skipped=True, error=error))
            return
        try:
            auth = _auth(feed)
        except SecretError as exc:
            outcome = FeedOutcome(feed.name, skipped=True, error=str(exc))
            self.writer.put(StatusOnly(failed(status, str(exc)), outcome))
            return
        sink = Download(self.spool_file)
        try:
            result = fetch(
                self.client,
                url,
                etag=status.etag,
                last_modified=status.last_modified,
                timeout=self.settings.timeout if feed.timeout is None else feed.timeout,
                sink=sink,
                user_agent=feed.user_agent,
                auth=auth,
            )
            sink.close()
        except (SourceError, OSError) as exc:
            sink.delete()
            if self.stopping.is_set():  # a fetch cut short by the refresh's end has not failed
                return
            message = str(exc) if isinstance(exc, SourceError) else spool_error(exc)
            retry_after = exc.retry_after if isinstance(exc, RetryLater) else None
            outcome = FeedOutcome(feed.name, error=message)
            self.writer.put(StatusOnly(failed(status, message, retry_after), outcome))
            return
        checked = now()
        if result.not_modified:
            sink.delete()
            kept = replace(
                status,
                etag=result.etag or status.etag,
                last_modified=result.last_modified or status.last_modified,
                last_checked=checked,
                last_success=checked,
                last_error=None,
                retry_after=None,
            )
            self.writer.put(StatusOnly(kept, FeedOutcome(feed.name, not_modified=True)))
            return
        fresh = replace(
            status,
            etag=result.etag,
            last_modified=result.last_modified,
            last_checked=checked,
            last_success=checked,
            last_error=None,
            retry_after=None,
        )
        body = None if sink.path is None else str(sink.path)
        known = self.store.entry_digests(feed.name)
        task = FeedTask(feed.name, result.url, result.content_type, body, known)

        def parsed(outcome: Result) -> None:
            sink.delete()
            self.writer.put(FeedParsed(status, fresh, as_read(outcome)))

        self.pool.submit(task, parsed)

    def _refresh_local(self, feed: Feed, spec: str) -> None:
        from biotui.sources import feed_root, iter_files, local_guid

        status = replace(self.known.get(feed.name) or FeedStatus(name=feed.name), location=spec)
        known = self.store.file_signatures(feed.name)
        moved = _suffixes(self.store.legacy_local_guids(feed.name))
        warnings: list[str] = []
        listed: set[str] = set()
        files = 0
        error = None
        try:
            root = str(feed_root(spec))
            for path in iter_files(spec):
                if self.stopping.is_set():
                    return
                listed.add(str(path))
                signature = _signature(path, warnings)
                if signature is None:
                    continue
                if known.get(signature.path) == signature and (
                    not moved or local_guid(path, Path(root)) not in moved
                ):
                    continue
                task = FileTask(feed.name, str(path), root)
                self.pool.submit(task, self._file_done(signature, feed))
                files += 1
        except SourceError as exc:
            error = str(exc)
        except OSError as exc:
            error = f"{spec}: {exc.strerror or exc}"
        gone = GoneFiles()
        if error is None:
            gone, why = find_gone(feed.name, spec, Path(root), listed, known)
            warnings.extend([why] if why else [])
        self.writer.put(FolderListed(feed.name, files, status, tuple(warnings), error, gone))

    def _file_done(self, signature: FileSignature, feed: Feed) -> _FileDone:
        return _FileDone(self.writer, feed.name, signature)


class _FileDone:
    """Hands one file's result to the writer with the file's signature."""

    __slots__ = ("feed", "signature", "writer")

    def __init__(self, writer: Writer, feed: str, signature: FileSignature) -> None:
        self.writer, self.feed, self.signature = writer, feed, signature

    def __call__(self, result: Result) -> None:
        self.writer.put(FileParsed(self.feed, self.signature, as_read(result)))


def _suffixes(paths: frozenset[str]) -> frozenset[str]:
    """Every ending after a ``/`` of ``paths``: the relative guids an older store's
    absolute-path articles will merge into, whose files are read again even when unchanged."""
    found: set[str] = set()
    for path in paths:
        start = path.find("/")
        while start != -1:
            found.add(path[start + 1 :])
            start = path.find("/", start + 1)
    return frozenset(found)


def _auth(feed: Feed) -> BasicAuth | None:
    """``feed``'s credentials, its password command run now if this process has not yet."""
    if feed.username is None or feed.password_command is None:
        return None
    owner = clean_text(f'feed "{feed.name}"')
    password = command_secret(feed.password_command, owner=owner, key="password_command")
    return BasicAuth(feed.username, password)


def _signature(path: Path, warnings: list[str]) -> FileSignature | None:
    """``path``'s size and modification time; None, with a warning, when it cannot be read."""
    try:
        info = os.stat(path)
    except OSError as exc:
        reason = clean_text(exc.strerror or str(exc))
        warnings.append(f"skipped {clean_text(str(path))}: cannot read: {reason}")
        return None
    return FileSignature(str(path), info.st_size, info.st_mtime_ns)
