"""Refresh every configured source into the store: fetch, read, ingest, record status.

One feed's failure never touches another feed or what is already stored: each feed's articles
and status are written in one transaction, and an error only updates that feed's status.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx

from biotui.errors import BiotuiError, SourceError
from biotui.model import Article, Config, Feed, FeedStatus, FileSignature, IngestCounts
from biotui.sources.feed import parse_feed
from biotui.sources.http import RetryLater, fetch, make_client
from biotui.sources.local import iter_files, read_file
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


async def _refresh(
    config: Config,
    store: Store,
    feeds: list[Feed],
    on_progress: ProgressCallback | None,
) -> list[FeedOutcome]:
    settings = config.settings
    gate = asyncio.Semaphore(settings.concurrency)
    write_lock = asyncio.Lock()
    outcomes: dict[str, FeedOutcome] = {}
    # Building the HTTP client loads the CA bundle (about 0.4 s): do it in a thread, and only
    # when there is a URL to fetch, so that local files never wait for it.
    client_task: asyncio.Task[httpx.AsyncClient] | None = None
    if any(feed.url is not None for feed in feeds):
        client_task = asyncio.create_task(asyncio.to_thread(make_client, settings.concurrency))

    async def one(feed: Feed) -> None:
        async with gate:
            if feed.url is not None:
                assert client_task is not None
                client = await client_task
                outcome = await _refresh_url(feed, store, client, settings.timeout, write_lock)
            else:
                outcome = await _refresh_local(feed, store, write_lock)
        outcome = replace(outcome, done=len(outcomes) + 1, total=len(feeds))
        outcomes[feed.name] = outcome
        if on_progress is not None:
            on_progress(outcome)

    try:
        await asyncio.gather(*(one(feed) for feed in feeds))
    finally:
        if client_task is not None:
            await (await client_task).aclose()
    return [outcomes[feed.name] for feed in feeds]


def _now() -> datetime:
    return datetime.now(UTC)


async def _record_failure(
    store: Store,
    status: FeedStatus,
    error: str,
    lock: asyncio.Lock,
    retry_after: datetime | None = None,
) -> None:
    """Remember a failed attempt without touching the feed's articles."""
    failed = replace(status, last_checked=_now(), last_error=error, retry_after=retry_after)
    try:
        async with lock:
            await asyncio.to_thread(store.save_feed_status, failed)
    except BiotuiError:
        pass  # the store itself is failing; the outcome still carries the error


async def _refresh_url(
    feed: Feed, store: Store, client: httpx.AsyncClient, timeout: float, lock: asyncio.Lock
) -> FeedOutcome:
    assert feed.url is not None
    status = await asyncio.to_thread(store.feed_status, feed.name)
    status = status or FeedStatus(name=feed.name, location=feed.url)
    status = replace(status, location=feed.url)
    if status.retry_after is not None and status.retry_after > _now():
        when = f"{status.retry_after:%Y-%m-%d %H:%M} UTC"
        return FeedOutcome(feed.name, skipped=True, error=f"server asked to wait until {when}")
    try:
        result = await fetch(
            client,
            feed.url,
            etag=status.etag,
            last_modified=status.last_modified,
            timeout=timeout,
        )
    except RetryLater as exc:
        await _record_failure(store, status, str(exc), lock, retry_after=exc.retry_after)
        return FeedOutcome(feed.name, error=str(exc))
    except SourceError as exc:
        await _record_failure(store, status, str(exc), lock)
        return FeedOutcome(feed.name, error=str(exc))
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
        async with lock:
            await asyncio.to_thread(store.save_feed_status, kept)
        return FeedOutcome(feed.name, not_modified=True)
    try:
        parsed = await asyncio.to_thread(
            parse_feed, result.body, feed.name, url=result.url, content_type=result.content_type
        )
    except SourceError as exc:
        await _record_failure(store, status, str(exc), lock)
        return FeedOutcome(feed.name, error=str(exc))
    fresh = replace(
        status,
        etag=result.etag,
        last_modified=result.last_modified,
        last_checked=checked,
        last_success=checked,
        last_error=None,
        retry_after=None,
    )
    return await _ingest(store, feed, parsed.articles, fresh, (), tuple(parsed.warnings), lock)


async def _ingest(
    store: Store,
    feed: Feed,
    articles: Sequence[Article],
    status: FeedStatus,
    files: Sequence[FileSignature],
    warnings: tuple[str, ...],
    lock: asyncio.Lock,
) -> FeedOutcome:
    try:
        async with lock:
            counts = await asyncio.to_thread(
                store.ingest, feed.name, articles, status=status, files=files
            )
    except BiotuiError as exc:
        return FeedOutcome(feed.name, error=str(exc), warnings=warnings)
    return FeedOutcome(feed.name, counts=counts, warnings=warnings)


async def _refresh_local(feed: Feed, store: Store, lock: asyncio.Lock) -> FeedOutcome:
    assert feed.path is not None
    status = await asyncio.to_thread(store.feed_status, feed.name)
    status = replace(status or FeedStatus(name=feed.name), location=feed.path)
    known = await asyncio.to_thread(store.file_signatures, feed.name)
    try:
        read = await asyncio.to_thread(_read_changed_files, feed, known)
    except (SourceError, OSError) as exc:
        message = (
            str(exc) if isinstance(exc, SourceError) else f"{feed.path}: {exc.strerror or exc}"
        )
        await _record_failure(store, status, message, lock)
        return FeedOutcome(feed.name, error=message)
    checked = _now()
    fresh = replace(status, last_checked=checked, last_success=checked, last_error=None)
    return await _ingest(store, feed, read.articles, fresh, read.files, tuple(read.warnings), lock)


@dataclass
class _LocalRead:
    articles: list[Article] = field(default_factory=list)
    files: list[FileSignature] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read_changed_files(feed: Feed, known: dict[str, FileSignature]) -> _LocalRead:
    """Read the files of a local feed whose size or mtime changed since the last refresh."""
    assert feed.path is not None
    read = _LocalRead()
    for path in iter_files(feed.path):
        try:
            info = os.stat(path)
        except OSError as exc:
            read.warnings.append(f"{path.name}: skipped: {exc.strerror or exc}")
            continue
        signature = FileSignature(str(path), info.st_size, info.st_mtime_ns)
        if known.get(signature.path) == signature:
            continue
        notes: list[str] = []
        try:
            articles = read_file(Path(path), feed.name, warnings=notes)
        except SourceError as exc:
            read.warnings.append(f"skipped {exc}")
            continue
        read.warnings.extend(f"{path}: {note}" for note in notes)
        read.articles.extend(articles)
        read.files.append(signature)
    return read
