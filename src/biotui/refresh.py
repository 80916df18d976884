"""Refresh every configured source into the store: fetch, read, ingest, record status.

One feed's failure never touches another feed or what is already stored: each feed's articles
and status are written in one transaction, and an error only updates that feed's status.

Fetching runs on an event loop, ``concurrency`` feeds at a time. Parsing, the HTML to
Markdown conversion of bodies and storing run in worker processes (:mod:`biotui.parsepool`),
one per core, so that the loop keeps fetching and the app's UI thread keeps the GIL; a refresh
of one or two feeds does that work in a thread instead. A feed answered 304 is neither parsed
nor written, except for its status.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from biotui.errors import BiotuiError, SourceError, StoreError
from biotui.model import Config, Feed, FeedStatus, IngestCounts
from biotui.parsepool import PROCESS_MIN_FEEDS, InlineParser, Parser, ProcessParser
from biotui.parseworker import Stored
from biotui.sources.http import RetryLater, fetch, make_client
from biotui.store import Store


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
) -> list[FeedOutcome]:
    """Refresh ``feeds`` (default: every configured feed) and return one outcome per feed.

    Synchronous: runs its own event loop, so it may be called from a worker thread.
    ``on_progress`` is called, in the calling thread, after each feed finishes.
    """
    chosen = list(config.feeds if feeds is None else feeds)
    return asyncio.run(_refresh(config, store, chosen, on_progress))


def _make_parser(feeds: int, store: Store) -> Parser:
    """Worker processes for a refresh of several feeds, a thread for one or two."""
    return ProcessParser() if feeds >= PROCESS_MIN_FEEDS else InlineParser(store)


@dataclass(slots=True)
class _Run:
    """What every feed of one refresh shares."""

    store: Store
    parser: Parser
    timeout: float
    spool: Path
    """Where fetched bodies wait for a worker: on disk, not in this process's memory (the
    workers, not the network, set the pace of a refresh of big feeds)."""
    known: dict[str, FeedStatus]
    """What the store remembered of each feed when the refresh began (read in one query)."""
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Serializes this process's status writes."""
    unmodified: list[FeedStatus] = field(default_factory=list)
    """Statuses of feeds that answered 304, stored together when the refresh ends: written
    one by one, 16 answers arriving together would each wait for the others' writes."""

    async def save_statuses(self, *statuses: FeedStatus) -> None:
        """Store feeds' statuses without touching their articles, in one transaction."""
        async with self.write_lock:
            await asyncio.to_thread(self.store.save_feed_statuses, statuses)

    async def record_failure(
        self, status: FeedStatus, error: str, retry_after: datetime | None = None
    ) -> None:
        """Remember a failed attempt without touching the feed's articles."""
        failed = replace(status, last_checked=_now(), last_error=error, retry_after=retry_after)
        # When the store itself is failing, the outcome still carries the error.
        with contextlib.suppress(BiotuiError):
            await self.save_statuses(failed)

    async def store_task(self, task: tuple[Any, ...], status: FeedStatus) -> FeedOutcome:
        """Have the parser read and store ``task``; a feed it cannot read keeps its articles."""
        try:
            stored: Stored = await self.parser.run(*task)
        except StoreError as exc:
            return FeedOutcome(status.name, error=str(exc))
        except SourceError as exc:
            await self.record_failure(status, str(exc))
            return FeedOutcome(status.name, error=str(exc))
        return FeedOutcome(status.name, counts=stored.counts, warnings=stored.warnings)


async def _refresh(
    config: Config,
    store: Store,
    feeds: list[Feed],
    on_progress: ProgressCallback | None,
) -> list[FeedOutcome]:
    settings = config.settings
    gate = asyncio.Semaphore(settings.concurrency)
    outcomes: dict[str, FeedOutcome] = {}
    known = {status.name: status for status in await asyncio.to_thread(store.feed_statuses)}
    spool = tempfile.TemporaryDirectory(prefix="biotui-refresh-")
    run = _Run(store, _make_parser(len(feeds), store), settings.timeout, Path(spool.name), known)
    client: aiohttp.ClientSession | None = None

    def session() -> aiohttp.ClientSession:
        """The refresh's HTTP session, made when the first URL needs it."""
        nonlocal client
        if client is None:
            client = make_client(settings.concurrency)
        return client

    async def one(feed: Feed) -> None:
        async with gate:
            if feed.url is not None:
                outcome = await _refresh_url(run, feed, session())
            else:
                outcome = await _refresh_local(run, feed)
        outcome = replace(outcome, done=len(outcomes) + 1, total=len(feeds))
        outcomes[feed.name] = outcome
        if on_progress is not None:
            on_progress(outcome)

    try:
        await asyncio.gather(*(one(feed) for feed in feeds))
        if run.unmodified:
            await run.save_statuses(*run.unmodified)
    finally:
        try:
            if client is not None:
                await client.close()
        finally:
            await run.parser.close()
            spool.cleanup()
    return [outcomes[feed.name] for feed in feeds]


def _now() -> datetime:
    return datetime.now(UTC)


async def _refresh_url(run: _Run, feed: Feed, client: aiohttp.ClientSession) -> FeedOutcome:
    assert feed.url is not None
    status = run.known.get(feed.name) or FeedStatus(name=feed.name, location=feed.url)
    status = replace(status, location=feed.url)
    if status.retry_after is not None and status.retry_after > _now():
        when = f"{status.retry_after:%Y-%m-%d %H:%M} UTC"
        return FeedOutcome(feed.name, skipped=True, error=f"server asked to wait until {when}")
    body = run.spool / f"{hashlib.sha256(feed.name.encode()).hexdigest()[:32]}.body"
    try:
        return await _fetch_and_store(run, feed, client, status, body)
    finally:
        body.unlink(missing_ok=True)


async def _fetch_and_store(
    run: _Run, feed: Feed, client: aiohttp.ClientSession, status: FeedStatus, body: Path
) -> FeedOutcome:
    assert feed.url is not None
    try:
        with body.open("wb") as sink:
            result = await fetch(
                client,
                feed.url,
                etag=status.etag,
                last_modified=status.last_modified,
                timeout=run.timeout,
                sink=sink,
            )
    except RetryLater as exc:
        await run.record_failure(status, str(exc), retry_after=exc.retry_after)
        return FeedOutcome(feed.name, error=str(exc))
    except SourceError as exc:
        await run.record_failure(status, str(exc))
        return FeedOutcome(feed.name, error=str(exc))
    except OSError as exc:  # the temporary folder is full or gone
        message = f"cannot keep the downloaded feed: {exc.strerror or exc}"
        await run.record_failure(status, message)
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
    task = ("feed", str(body), feed.name, result.url, result.content_type, db, fresh)
    return await run.store_task(task, status)


async def _refresh_local(run: _Run, feed: Feed) -> FeedOutcome:
    assert feed.path is not None
    status = replace(run.known.get(feed.name) or FeedStatus(name=feed.name), location=feed.path)
    known = await asyncio.to_thread(run.store.file_signatures, feed.name)
    task = ("local", feed.path, feed.name, known, str(run.store.path), status)
    return await run.store_task(task, status)
