"""The sync with the ``[sync]`` server that starts the app's refresh, and what the screen
shows of it.

:func:`run_sync_step` runs in the refresh's worker thread, before the local feeds are
fetched: the sync first stores the server's feed list, which tells the refresh which
``[[feeds]]`` entries the server fetches (they are not fetched twice), and its articles and
marks are in before the slower local feeds. :class:`SyncReport` shows its progress on the
status line, reloads the list and the counts as its pages are stored, and says a failure in a
notification (the local feeds are refreshed all the same).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual.message import Message
from textual.timer import Timer

from biotui.app.format import one_line
from biotui.app.messages import SyncFinished, SyncProgressed
from biotui.app.queries import synced_feeds
from biotui.errors import BiotuiError
from biotui.model import Config
from biotui.store import Store

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen
    from biotui.sync.outcome import SyncProgress


def run_sync_step(
    config: Config,
    store: Store,
    data_dir: Path,
    post: Callable[[Message], object],
    cancel: threading.Event,
) -> None:
    """Sync with the server of ``config.sync`` in this (worker) thread, posting
    :class:`SyncProgressed` at each step and page stored and :class:`SyncFinished` at the
    end; ``cancel`` stops it between two steps. Any failure becomes the message's error:
    the interface and the refresh that follows survive a sync bug."""
    from biotui.sync.run import run_sync

    def progress(step: SyncProgress) -> None:
        post(SyncProgressed(step.line, step.new))

    try:
        outcome = run_sync(config, store, data_dir, on_progress=progress, cancel=cancel)
    except Exception as failure:
        post(SyncFinished("", error=one_line(str(failure)) or repr(failure)))
        return
    if outcome is None or outcome.cancelled:
        return
    feeds = synced_feeds(store, config)
    post(SyncFinished(outcome.summary, outcome.new, outcome.updated, outcome.error, feeds))


def sync_due(config: Config, store: Store, tried: datetime | None, now: datetime) -> bool:
    """True when the timer should sync: ``[sync]`` is set and the last sync that finished
    (or the last one tried in this session, ``tried``) is ``refresh_every`` ago or more."""
    if config.sync is None or math.isinf(config.settings.refresh_every):
        return False
    try:
        account = store.synced.find(config.sync.account)
    except BiotuiError:
        account = None
    times = [when for when in (tried, account.synced if account else None) if when is not None]
    if not times:
        return True
    return max(times) + timedelta(seconds=config.settings.refresh_every) <= now


class SyncReport:
    """What ``screen`` shows of the sync that starts a refresh: its steps on the status line,
    the list and the counts reloaded as pages are stored, a failure as a notification, the
    server's feeds in the side panel once it ends."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self._new = 0
        self._reload_timer: Timer | None = None
        self.tried: datetime | None = None
        """When this session last started a sync (a failing server is not asked again
        before ``refresh_every``)."""
        self.summary = ""
        """The last sync's outcome for the status line, blank when it failed."""
        self.problem = ""
        """The last sync's error for the status line, blank when it succeeded."""

    def started(self) -> None:
        """A refresh starting with a sync: say so."""
        self.tried = datetime.now(UTC)
        self._new = 0
        self.summary = self.problem = ""
        self._screen.status_line.activity = "Syncing…"

    def progress(self, message: SyncProgressed) -> None:
        """Show the step; reload the list (coalesced) and recount when articles arrived."""
        screen = self._screen
        screen.status_line.activity = message.line
        if message.new <= self._new:
            return
        self._new = message.new
        if screen.delays.reload <= 0:
            screen.reload()
        elif self._reload_timer is None:
            self._reload_timer = screen.set_timer(screen.delays.reload, self._reload)
        screen.panel.schedule()

    def _reload(self) -> None:
        self._reload_timer = None
        self._screen.reload()

    def finished(self, message: SyncFinished) -> None:
        """Say how the sync ended (a failure in a notification too), list the server's feeds,
        and show what it changed: the list, the counts and the article shown."""
        screen = self._screen
        if message.error is not None:
            self.problem = f"Sync failed: {one_line(message.error)}"
            screen.status_line.problem = self.problem
            screen.notify(
                one_line(message.error), title="Sync failed", severity="warning", markup=False
            )
        else:
            self.summary = f"Synced: {message.new:,} new"
            if message.updated:
                self.summary += f", {message.updated:,} updated"
        screen.panel.use_synced(message.feeds)
        screen.panel.schedule(now=True)
        screen.reload()
        headline = screen.headline_list.highlighted
        if headline is not None:
            screen.preview.reload(headline.rowid)


class SyncHandlers:
    """The main screen's handlers of the sync's messages (mixed into it)."""

    def on_sync_progressed(self, message: SyncProgressed) -> None:
        """Show how far the sync got."""
        cast("MainScreen", self).report.sync.progress(message)

    def on_sync_finished(self, message: SyncFinished) -> None:
        """Say how the sync ended and show what it brought."""
        cast("MainScreen", self).report.sync.finished(message)
