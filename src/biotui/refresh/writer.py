"""The one writer of a refresh: a thread that stores every result and every feed status.

During a refresh nothing else writes the store. Fetching threads and the parse pool hand it
jobs; it takes whatever has arrived (a bounded batch; while a batch holds only files of
local feeds with more files on their way, it waits for those too, so that a folder of small
files is stored in a few transactions, not one per file), stores the parsed articles with
``Store.ingest_batch`` in one transaction (when that fails, each feed alone, so that one feed's
failure stays its own), then writes the status-only changes (failures, 304 answers) together,
then reports each finished feed's :class:`~biotui.refresh.outcome.FeedOutcome`. The
articles a batch stored are grouped into stories right after it, in a transaction of their
own (see :mod:`biotui.refresh.grouping`).

The pages of ``full_text`` feeds come last, as :class:`PageFetched` jobs: their full texts or
failures are stored together, one transaction a batch, and each page's
:class:`~biotui.refresh.pages.PageOutcome` is reported to ``report_page``.

A fetched feed's articles and its new status are stored in one transaction: stored whole or
not at all. A local feed is stored file by file: each file's articles together with its
signature, whole or not at all; the feed's status is written once all its files are done.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from biotui.errors import BiotuiError, StoreError
from biotui.model import FeedStatus, FileSignature, IngestCounts
from biotui.refresh.gone import GoneFiles
from biotui.refresh.grouping import REFRESH_SHARE, Grouper
from biotui.refresh.outcome import FeedOutcome
from biotui.refresh.page_writes import PageFetched, store_pages
from biotui.refresh.pages import PageOutcome
from biotui.refresh.tasks import Parsed, Read, Unreadable
from biotui.store import IngestRequest, Store

BATCH_JOBS = 1000
"""At most this many results are stored in one transaction."""
BATCH_ARTICLES = 2000
"""A batch takes no more results once it holds this many articles: it bounds the memory the
writer holds, and the last batch, written after the last parse, keeps the refresh waiting."""
BATCH_FEEDS = 8
"""While parses are on their way, a batch waits for them until it holds this many results:
each transaction writes the index pages its rows touch and a full-text segment, so storing
several feeds at once costs less than one by one."""


@dataclass(frozen=True, slots=True)
class FeedParsed:
    """A fetched feed's parse: stored with ``status`` on success; ``status`` is the feed's
    status as it was before this fetch, so a failure keeps its validators."""

    status: FeedStatus
    fresh: FeedStatus
    """The status to store with the articles (validators of this fetch, success now)."""
    result: Read


@dataclass(frozen=True, slots=True)
class FileParsed:
    """One file of a local feed read."""

    feed: str
    signature: FileSignature
    result: Read


@dataclass(frozen=True, slots=True)
class FolderListed:
    """A local feed's files are all handed out: ``files`` of them, then ``status`` is due."""

    feed: str
    files: int
    status: FeedStatus
    warnings: tuple[str, ...] = ()
    error: str | None = None
    """Why listing the feed's files stopped (the files handed out before are still stored)."""
    gone: GoneFiles = field(default_factory=GoneFiles)
    """The feed's stored files found deleted by a complete listing (see
    :mod:`biotui.refresh.gone`): their articles are removed unless starred."""


@dataclass(frozen=True, slots=True)
class StatusOnly:
    """A feed finished without articles to store (failed, not modified): its status."""

    status: FeedStatus
    outcome: FeedOutcome


Job = FeedParsed | FileParsed | FolderListed | StatusOnly | PageFetched


@dataclass(slots=True)
class _Folder:
    """What the writer knows of a local feed while its files arrive."""

    expected: int | None = None
    done: int = 0
    counts: IngestCounts = field(default_factory=IngestCounts)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    listed: FolderListed | None = None


def now() -> datetime:
    """The current time, for statuses."""
    return datetime.now(UTC)


def failed(status: FeedStatus, error: str, retry_after: datetime | None = None) -> FeedStatus:
    """``status`` after a failed attempt: validators and last success kept."""
    return replace(status, last_checked=now(), last_error=error, retry_after=retry_after)


class Writer:
    """The refresh's writing thread; :meth:`put` hands it a job, ``report`` gets outcomes."""

    def __init__(
        self,
        store: Store,
        report: Callable[[FeedOutcome], None],
        consumed: Callable[[], None],
        parsing: Callable[[], int],
        report_page: Callable[[PageOutcome], None] | None = None,
    ) -> None:
        """``report`` is called with each finished feed's outcome, ``report_page`` with each
        stored page's; ``consumed`` once per parse result taken in (it frees a place in the
        parse pool: the results held here are bounded by the batch's own bounds);
        ``parsing()`` tells how many parse results are still on their way."""
        self._store = store
        self._report = report
        self._report_page = report_page
        self._consumed = consumed
        self._parsing = parsing
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._folders: dict[str, _Folder] = {}
        self._arrived: dict[str, int] = {}
        """Files of each local feed taken in so far."""
        self._listed: dict[str, int] = {}
        """How many files each local feed has, once its listing is taken in."""
        self._stopping = threading.Event()
        self._stories = Grouper(store)
        self._began = time.monotonic()
        self._grouping_s = 0.0
        self._thread = threading.Thread(target=self._run, name="biotui-writer", daemon=True)
        self._thread.start()

    def put(self, job: Job) -> None:
        """Hand ``job`` to the writer; never blocks."""
        self._jobs.put(job)

    def close(self) -> None:
        """Write what was handed over, then end the thread."""
        self._jobs.put(None)
        self._thread.join()

    def stop(self) -> None:
        """End after the transaction running now (if any); nothing more is written."""
        self._stopping.set()
        self._jobs.put(None)

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            if self._stopping.is_set():
                return
            self._write(batch)

    def _next_batch(self) -> list[Job] | None:
        """The jobs that have arrived, waiting for the first; None at the end."""
        first = self._jobs.get()
        if first is None:
            return None
        batch = [self._take(first)]
        articles = _articles(first)
        while len(batch) < BATCH_JOBS and articles < BATCH_ARTICLES:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                if not (self._more_files_coming(batch) or self._more_parses_coming(batch)):
                    break
                job = self._jobs.get()
            if job is None:
                self._jobs.put(None)  # the end, after this batch
                break
            batch.append(self._take(job))
            articles += _articles(job)
        return batch

    def _take(self, job: Job) -> Job:
        """Count ``job`` in as it leaves the queue."""
        parsed = isinstance(job, PageFetched) and job.parsed
        if parsed or isinstance(job, FeedParsed | FileParsed):
            self._consumed()
        if isinstance(job, FileParsed):
            self._arrived[job.feed] = self._arrived.get(job.feed, 0) + 1
        elif isinstance(job, FolderListed):
            self._listed[job.feed] = job.files
        return job

    def _more_parses_coming(self, batch: list[Job]) -> bool:
        """Whether ``batch`` is short of :data:`BATCH_FEEDS` results while parses are on
        their way (they come within a parse's time: never a download's)."""
        results = sum(_ingests(job) or isinstance(job, PageFetched) for job in batch)
        return results < BATCH_FEEDS and self._parsing() > 0

    def _more_files_coming(self, batch: list[Job]) -> bool:
        """Whether ``batch`` holds only files of local feeds that have more on their way."""
        for job in batch:
            if not isinstance(job, FileParsed):
                return False
            listed = self._listed.get(job.feed)
            if listed is not None and self._arrived.get(job.feed, 0) >= listed:
                return False
        return True

    def _write(self, batch: list[Job]) -> None:
        self._pages([job for job in batch if isinstance(job, PageFetched)])
        stored = self._ingest([job for job in batch if _ingests(job)])
        self._group(batch, stored)
        statuses: list[FeedStatus] = []
        outcomes: list[FeedOutcome] = []
        for job in batch:
            if isinstance(job, StatusOnly):
                statuses.append(job.status)
                outcomes.append(job.outcome)
            elif isinstance(job, FeedParsed):
                outcome = self._feed_outcome(job, stored.get(id(job)), statuses)
                outcomes.append(outcome)
            elif not isinstance(job, PageFetched):
                self._folder_job(job, stored.get(id(job)), statuses, outcomes)
        if statuses:
            # When the store itself is failing, the outcomes still carry the error.
            with contextlib.suppress(BiotuiError):
                self._store.save_feed_statuses(statuses)
        for outcome in outcomes:
            self._report(outcome)

    def _ingest(self, jobs: list[Job]) -> dict[int, IngestCounts | StoreError]:
        """Store the parsed results of ``jobs``: counts (or the error) by job id."""
        requests = [(job, _request(job)) for job in jobs]
        if not requests:
            return {}
        try:
            counts = self._store.ingest_batch([request for _, request in requests])
            return {id(job): count for (job, _), count in zip(requests, counts, strict=True)}
        except StoreError as exc:
            if len(requests) == 1:
                return {id(requests[0][0]): exc}
        stored: dict[int, IngestCounts | StoreError] = {}
        for job, request in requests:
            try:
                stored[id(job)] = self._store.ingest_batch([request])[0]
            except StoreError as exc:
                stored[id(job)] = exc
        return stored

    def _pages(self, jobs: list[PageFetched]) -> None:
        """Store the pages of ``jobs`` and report each one's outcome."""
        for outcome in store_pages(self._store, jobs):
            if self._report_page is not None:
                self._report_page(outcome)

    def _group(self, batch: list[Job], stored: dict[int, IngestCounts | StoreError]) -> None:
        """Group the articles just stored into stories, unless grouping has taken more than
        its share of the refresh's time so far (:data:`REFRESH_SHARE`); what is left (or
        fails) is grouped later by ``group_pending``."""
        started = time.monotonic()
        if self._grouping_s > REFRESH_SHARE * (started - self._began):
            return
        self._stories.add_parsed(
            job.result
            for job in batch
            if isinstance(stored.get(id(job)), IngestCounts)
            and isinstance(job, FeedParsed | FileParsed)
            and isinstance(job.result, Parsed)
        )
        self._grouping_s += time.monotonic() - started

    def _feed_outcome(
        self, job: FeedParsed, stored: IngestCounts | StoreError | None, statuses: list[FeedStatus]
    ) -> FeedOutcome:
        name = job.status.name
        if isinstance(job.result, Unreadable):
            statuses.append(failed(job.status, job.result.message))
            return FeedOutcome(name, error=job.result.message)
        if isinstance(stored, StoreError):
            return FeedOutcome(name, error=str(stored))
        counts = stored or IngestCounts()
        counts = replace(counts, unchanged=counts.unchanged + job.result.skipped)
        return FeedOutcome(name, counts=counts, warnings=job.result.warnings)

    def _folder_job(
        self,
        job: FileParsed | FolderListed,
        stored: IngestCounts | StoreError | None,
        statuses: list[FeedStatus],
        outcomes: list[FeedOutcome],
    ) -> None:
        folder = self._folders.setdefault(job.feed, _Folder())
        if isinstance(job, FolderListed):
            folder.expected, folder.listed = job.files, job
            folder.warnings[:0] = job.warnings
            folder.error = folder.error or job.error
        else:
            folder.done += 1
            if isinstance(job.result, Unreadable):
                folder.warnings.append(f"skipped {job.result.message}")
            elif isinstance(stored, StoreError):
                folder.error = folder.error or str(stored)
            else:
                folder.counts += stored or IngestCounts()
                folder.warnings.extend(job.result.warnings)
        if folder.listed is None or folder.done < (folder.expected or 0):
            return
        del self._folders[job.feed]
        self._arrived.pop(job.feed, None)
        self._listed.pop(job.feed, None)
        listed = folder.listed
        if listed.error is None and listed.gone.paths:
            self._forget_gone(listed, folder)
        if folder.error is None:
            checked = now()
            statuses.append(
                replace(listed.status, last_checked=checked, last_success=checked, last_error=None)
            )
        elif listed.error is not None:  # the feed's path itself is unusable
            statuses.append(failed(listed.status, listed.error))
        outcomes.append(
            FeedOutcome(
                job.feed, counts=folder.counts, error=folder.error, warnings=tuple(folder.warnings)
            )
        )

    def _forget_gone(self, listed: FolderListed, folder: _Folder) -> None:
        """Remove the articles of ``listed``'s deleted files (not starred ones) and forget
        the files; the count, or why it failed, becomes a warning of the feed."""
        try:
            removed = self._store.forget_files(
                listed.feed, listed.gone.paths, article_ids=listed.gone.ids
            )
        except StoreError as exc:
            folder.warnings.append(f"deleted files not forgotten: {exc}")
            return
        if removed:
            noun = "article" if removed == 1 else "articles"
            folder.warnings.append(f"{removed} {noun} of deleted files removed")


def _ingests(job: Job) -> bool:
    return isinstance(job, FeedParsed | FileParsed) and isinstance(job.result, Parsed)


def _request(job: Job) -> IngestRequest:
    """What the store is asked to write of ``job``: its identifiers as the worker found
    them, or, when it did not enrich, found after they are stored."""
    assert isinstance(job, FeedParsed | FileParsed) and isinstance(job.result, Parsed)
    result = job.result
    later = result.identifiers is None
    if isinstance(job, FeedParsed):
        return IngestRequest(
            job.fresh.name,
            result.articles,
            job.fresh,
            (),
            result.source_hashes,
            result.identifiers,
            identifiers_later=later,
        )
    return IngestRequest(
        job.feed, result.articles, None, (job.signature,), None, result.identifiers, later
    )


def _articles(job: Job) -> int:
    if isinstance(job, FeedParsed | FileParsed) and isinstance(job.result, Parsed):
        return len(job.result.articles)
    return 1 if isinstance(job, PageFetched) else 0
