"""``sync``: a feed server's feeds, new items and read state into the store, local marks to
the server.

1. Log in; the server's feeds are stored (each with the feed name its articles go to, see
   :mod:`.articles`).
2. Items, page by page, from the account's stored ``resume`` (a first sync from ``oldest`` =
   now - ``history_days``); each page stored in one transaction with its new ``resume``
   (:mod:`.pages`), so that a sync stopped anywhere keeps what it stored and the next one goes
   on from there, repeating nothing.
3. Marks: the local ones queued since the bookmark are pushed first (:mod:`.marks`): a mark
   queued locally wins. Then the server's read state: starred items not stored (older than the
   history) come down whatever their age, and every synced article no local mark is queued
   for takes the server's read and starred state.

Any :class:`~biotui.errors.BiotuiError` (the backend's one-line ``SyncError``, a store error)
ends the sync with that line as the outcome's ``error``; what was stored is kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from biotui.errors import BiotuiError
from biotui.model import Config
from biotui.plaintext import clean_text
from biotui.store import Store, SyncedFeed
from biotui.sync.articles import feed_names
from biotui.sync.backend import Backend, RemoteFeed
from biotui.sync.marks import pull_marks, push_marks
from biotui.sync.outcome import ProgressCallback, SyncOutcome, SyncProgress
from biotui.sync.pages import PageWriter, StoredPage

__all__ = ["ITEMS_BY_ID_CHUNK", "MAX_PAGES", "MAX_STALLED_PAGES", "sync"]

ITEMS_BY_ID_CHUNK = 200
"""Starred items asked for by id per call, and stored per transaction."""
MAX_STALLED_PAGES = 3
"""Pages in a row that do not move ``resume`` before the sync stops asking (a server whose
continuation never moves)."""
MAX_PAGES = 1_000
"""Pages of items one sync asks for at most (a server whose continuation never ends); the
next sync goes on from the last one stored."""


class _Cancelled(Exception):
    """``cancel`` was set: stop between two steps."""


@dataclass(slots=True)
class _Tally:
    feeds: int = 0
    new: int = 0
    updated: int = 0
    pages: int = 0
    items: int = 0
    pulled: int = 0
    pushed: int = 0
    stage: str = "login"


def sync(
    config: Config,
    store: Store,
    backend: Backend,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> SyncOutcome:
    """Sync ``store`` with the server of ``config.sync`` through ``backend`` (not closed
    here) and say what was done; never raises a :class:`BiotuiError` (it is the outcome's
    ``error``). ``on_progress`` hears of each step and each page stored, in this thread;
    setting ``cancel`` stops the sync between two steps (``cancelled``)."""
    tally = _Tally()

    def outcome(error: str | None = None, cancelled: bool = False) -> SyncOutcome:
        return SyncOutcome(
            backend.server,
            feeds=tally.feeds,
            new=tally.new,
            updated=tally.updated,
            pages=tally.pages,
            pulled=tally.pulled,
            pushed=tally.pushed,
            error=error,
            cancelled=cancelled,
        )

    if config.sync is None:
        return outcome("no [sync] table in the configuration: nothing to sync with")
    try:
        _Sync(config, store, backend, tally, on_progress, cancel).run()
    except _Cancelled:
        return outcome(cancelled=True)
    except BiotuiError as exc:
        return outcome(clean_text(str(exc)) or type(exc).__name__)
    return outcome()


def _feed_record(feed: RemoteFeed, name: str) -> SyncedFeed:
    """A server feed as stored: its texts made safe to show, its id as the server gave it."""
    tags = tuple(dict.fromkeys(tag for tag in map(clean_text, feed.tags) if tag))
    url, site = clean_text(feed.url), clean_text(feed.site_url)
    return SyncedFeed(feed.id, name, clean_text(feed.title), url, site, tags)


class _Sync:
    def __init__(
        self,
        config: Config,
        store: Store,
        backend: Backend,
        tally: _Tally,
        on_progress: ProgressCallback | None,
        cancel: threading.Event | None,
    ) -> None:
        assert config.sync is not None
        self.config = config
        self.settings = config.sync
        self.store = store
        self.backend = backend
        self.tally = tally
        self.on_progress = on_progress
        self.cancel = cancel

    def run(self) -> None:
        self.stage("login")
        store, backend = self.store, self.backend
        account = store.synced.account(self.settings.account)
        backend.login()
        self.stage("feeds")
        remote = backend.feeds()
        names = feed_names(remote, self.config.feeds)
        store.synced.save_feeds(
            account.account,
            [_feed_record(feed, names[feed.id]) for feed in remote],
        )
        self.tally.feeds = len(remote)
        titles = {feed.id: feed.title for feed in remote}
        writer = PageWriter(store, account.account, account.key, names, titles)
        self.stage("items")
        self.items(writer, account.resume)
        self.stage("marks")
        self.tally.pushed = push_marks(store, backend, account.account)
        self.check()
        state = backend.read_state()
        self.starred(writer, account.account, state.starred)
        self.stage("marks")
        self.tally.pulled = pull_marks(store, account.account, state)
        store.synced.finished(account.account)

    def items(self, writer: PageWriter, resume: str | None) -> None:
        """Every page of new items, each stored with its ``resume``."""
        oldest = datetime.now(UTC) - timedelta(days=self.settings.history_days)
        stalled = 0
        for _ in range(MAX_PAGES):
            self.check()
            page = self.backend.items(resume, oldest)
            moved = page.resume != resume
            if page.items or moved:
                self.stored(writer.store(page.items, page.resume if moved else None))
            stalled = 0 if moved else stalled + 1
            resume = page.resume
            if page.done or stalled >= MAX_STALLED_PAGES:
                return

    def starred(self, writer: PageWriter, account: int, starred: frozenset[str]) -> None:
        """Download the starred items not stored (older than the history), whatever their age."""
        known = self.store.synced.known(account, starred)
        missing = sorted(starred.difference(known))
        if not missing:
            return
        self.stage("starred")
        for start in range(0, len(missing), ITEMS_BY_ID_CHUNK):
            self.check()
            items = self.backend.items_by_id(missing[start : start + ITEMS_BY_ID_CHUNK])
            if items:
                self.stored(writer.store(items, None))

    def stored(self, page: StoredPage) -> None:
        self.tally.pages += 1
        self.tally.items += page.items
        self.tally.new += page.counts.new
        self.tally.updated += page.counts.updated
        self.stage(self.tally.stage)

    def stage(self, stage: str) -> None:
        self.tally.stage = stage
        if self.on_progress is not None:
            tally = self.tally
            self.on_progress(SyncProgress(stage, tally.pages, tally.items, tally.new))

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise _Cancelled
