"""A refresh run in the background, and what the status line says about it.

:func:`run_refresh` is the worker's body: it calls ``refresh_all`` and turns its outcomes into
messages. :class:`RefreshReport` starts it and turns those messages into what the screen shows.
The feeds' own articles are reported as soon as they are stored; the pages of ``full_text``
feeds follow, each one filling in its article (the pane shows it if it is the article shown),
and the refresh runs until the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from biotui.app.format import one_line
from biotui.app.messages import PageArrived, PagesFinished, RefreshFinished, RefreshProgress
from biotui.app.screens.sync_report import SyncReport, run_sync_step, sync_due
from biotui.model import Config, Feed
from biotui.store import Store
from biotui.watch.news import WatchNews, notice

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen
    from biotui.refresh import FeedOutcome

MAX_FAILURES_NOTIFIED = 5
"""Failed feeds listed by name in the notification after a refresh."""


def failures_text(failures: list[tuple[str, str]]) -> str:
    """What the status line says after a refresh in which ``failures`` (feed, error) failed:
    which or how many, and where to read the errors."""
    if not failures:
        return ""
    if len(failures) == 1:
        what = f"{one_line(failures[0][0])} failed"
    else:
        what = f"{len(failures)} feeds failed"
    return f"{what} — b for details"


def run_refresh(
    config: Config,
    store: Store,
    post: Callable[[Message], object],
    feeds: Sequence[Feed] | None = None,
    sync_dir: Path | None = None,
) -> None:
    """With ``sync_dir`` (the data folder), sync with the ``[sync]`` server first (see
    :mod:`.sync_report`). Then refresh ``feeds`` (default: every feed) in this (worker)
    thread, posting :class:`RefreshProgress` as each feed finishes and
    :class:`RefreshFinished` once every feed is stored; then, if pages are fetched,
    :class:`PageArrived` for each and :class:`PagesFinished` at the end.

    The worker's cancellation (quitting) stops the refresh at once; the app would otherwise
    wait for every feed and page before it exits. Any failure becomes a message: the
    interface must survive a refresh bug. The watchlists with matches stored by the refresh
    come with :class:`RefreshFinished` (and those with ``notify`` are said on the desktop, see
    :mod:`biotui.watch`).
    """
    cancelled = get_current_worker().cancelled_event
    pages_follow = any(feed.full_text for feed in (config.feeds if feeds is None else feeds))
    reported = False
    fetched = failed = 0
    try:
        from biotui.refresh import refresh_all
        from biotui.refresh.pages import PageOutcome

        before = store.watch.high_water()  # what the sync brings counts for the watchlists
        if sync_dir is not None:
            run_sync_step(config, store, sync_dir, post, cancelled)
            if cancelled.is_set():
                return
        new = 0

        def news_after(before: int) -> list[WatchNews]:
            return [] if cancelled.is_set() else watch_news(config, store, before)

        def progress(outcome: FeedOutcome) -> None:
            nonlocal new
            new += outcome.counts.new
            changed = bool(outcome.counts.new or outcome.counts.updated)
            post(
                RefreshProgress(
                    outcome.feed, outcome.done, outcome.total, outcome.error, changed, new
                )
            )

        def stored(outcomes: Sequence[FeedOutcome]) -> None:
            nonlocal reported
            reported = True
            post(_finished(outcomes, pages_follow, news_after(before)))

        def page(outcome: PageOutcome) -> None:
            nonlocal fetched, failed
            fetched, failed = fetched + outcome.ok, failed + (not outcome.ok)
            post(PageArrived(outcome.article, outcome.done, outcome.total, outcome.error))

        outcomes = refresh_all(
            config,
            store,
            feeds=feeds,
            on_progress=progress,
            cancel=cancelled,
            on_stored=stored,
            on_page=page,
        )
    except Exception as failure:
        error = one_line(str(failure)) or repr(failure)
        post(PagesFinished(fetched, failed, error) if reported else RefreshFinished(error=error))
        return
    if not reported:  # stopped before every feed was stored
        post(_finished(outcomes, False, []))
    elif pages_follow:
        post(PagesFinished(fetched, failed))


def _finished(
    outcomes: Sequence[FeedOutcome], pages_follow: bool, news: list[WatchNews]
) -> RefreshFinished:
    return RefreshFinished(
        feeds=len(outcomes),
        new=sum(outcome.counts.new for outcome in outcomes),
        updated=sum(outcome.counts.updated for outcome in outcomes),
        failures=[(o.feed, o.error) for o in outcomes if o.error is not None],
        pages_follow=pages_follow,
        watch=news,
    )


def watch_news(config: Config, store: Store, before: int) -> list[WatchNews]:
    """The watchlists with matches stored after rowid ``before``; those of them with
    ``notify`` are also said on the desktop (from this worker thread: it may wait)."""
    from biotui.watch.desktop import desktop_notify
    from biotui.watch.news import news_since, notice, watchlists

    news = news_since(store, watchlists(config), before)
    loud = [item for item in news if item.notify]
    if loud:
        desktop_notify(*notice(loud))
    return news


class RefreshReport:
    """Runs a refresh for ``screen`` and keeps its status line up to date: progress, the
    latest feed error, the outcome, a notification listing failed feeds. While articles
    arrive, the list is reloaded (coalesced, see :class:`Delays`) and the panel recounted."""

    def __init__(self, screen: MainScreen, config: Config, store: Store) -> None:
        """Refresh ``config``'s feeds into ``store`` on behalf of ``screen``."""
        self._screen = screen
        self._config = config
        self._store = store
        self.running = False
        self._errors: list[tuple[str, str]] = []
        self._reload_timer: Timer | None = None
        self._refreshed = ""
        """What the status line says of the feeds while their pages arrive."""
        self.sync = SyncReport(screen)
        """The sync with the ``[sync]`` server that starts a refresh."""
        self._syncing = False
        """The refresh running (or last run) started with a sync."""

    def use_config(self, config: Config) -> None:
        """Refresh ``config``'s feeds from now on (the configuration changed)."""
        self._config = config
        self.show_schedule()

    def start(self, feeds: Sequence[Feed] | None = None, *, sync: bool | None = None) -> None:
        """Start a refresh of ``feeds`` (default: all) in a thread worker (unless one runs:
        then say so); it syncs first when ``sync`` says so (default: when ``[sync]`` is
        set)."""
        screen = self._screen
        if self.running:
            screen.notify("A refresh is already running.")
            return
        self.running = True
        self._errors = []
        status = screen.status_line
        status.problem = ""
        count = len(self._config.feeds if feeds is None else feeds)
        status.activity = f"Refreshing 0/{count} feeds…"
        status.schedule = ""
        sync_dir = None
        self._syncing = self._config.sync is not None and sync is not False
        if self._syncing:
            sync_dir = self._store.path.parent
            self.sync.started()
        screen.run_worker(
            partial(run_refresh, self._config, self._store, screen.post_message, feeds, sync_dir),
            thread=True,
            exclusive=True,
            group="refresh",
            exit_on_error=False,
            description="refresh",
        )

    def start_due(self) -> None:
        """Refresh the feeds that are due, unless a refresh runs (it is then left alone, and
        the next look comes soon enough)."""
        if self.running:
            return
        from biotui.refresh.schedule import due_feeds

        now = datetime.now(UTC)
        due = due_feeds(self._config, self._store.feed_statuses(), now)
        sync = sync_due(self._config, self._store, self.sync.tried, now)
        if due or sync:
            self.start(due, sync=sync)
        else:
            self.show_schedule()

    def show_schedule(self) -> None:
        """Say on the status line when the next refresh by itself comes (in local time), or
        nothing when every feed's is off or a refresh runs."""
        from biotui.refresh.schedule import next_due

        when = None if self.running else next_due(self._config, self._store.feed_statuses())
        text = ""
        if when is not None:
            text = f"next refresh {max(when, datetime.now(UTC)).astimezone():%H:%M}"
        self._screen.status_line.schedule = text

    def progress(self, message: RefreshProgress) -> None:
        """Show how far the refresh got and the latest feed error; reload the list and the
        counts as articles arrive (without waiting for the slowest feed)."""
        screen = self._screen
        status = screen.status_line
        status.activity = f"Refreshing {message.done}/{message.total} feeds · {message.new:,} new…"
        if message.error is not None:
            self._errors.append((message.feed, message.error))
            more = f" (+{len(self._errors) - 1} more)" if len(self._errors) > 1 else ""
            status.problem = f"{message.feed}: {message.error}{more}"
        if message.changed and screen.delays.reload <= 0:
            screen.reload()
        elif message.changed and self._reload_timer is None:
            self._reload_timer = screen.set_timer(screen.delays.reload, self._reload)
        if message.changed or message.error is not None:
            screen.panel.schedule()

    def _reload(self) -> None:
        self._reload_timer = None
        self._screen.reload()

    def finished(self, message: RefreshFinished) -> None:
        """Say how the refresh ended, recount, and reload the list."""
        self.running = False
        screen = self._screen
        screen.panel.refresh_ended(None if message.error else message.updated)
        status = screen.status_line
        if message.error is not None:
            status.activity = ""
            status.problem = f"Refresh failed: {message.error}"
            self.show_schedule()
            return
        parts = [f"{message.new} new"]
        if message.updated:
            parts.append(f"{message.updated} updated")
        self._refreshed = f"Refreshed {message.feeds} feeds: {', '.join(parts)}"
        if self._syncing and not message.feeds:
            self._refreshed = self.sync.summary  # blank when the sync failed: see the problem
        elif self._syncing and self.sync.summary:
            self._refreshed = f"{self.sync.summary} · {self._refreshed}"
        status.activity = self._refreshed
        if message.pages_follow:
            self.running = True  # until the pages are in: r says a refresh runs
            status.activity += " · Fetching pages…"
        self.show_schedule()
        status.problem = failures_text(message.failures) or (
            self.sync.problem if self._syncing else ""
        )
        if message.failures:
            shown = message.failures[:MAX_FAILURES_NOTIFIED]
            lines = [f"{feed}: {error}" for feed, error in shown]
            if len(message.failures) > len(shown):
                lines.append(f"… and {len(message.failures) - len(shown)} more")
            screen.notify(
                "\n".join(one_line(line) for line in lines),
                title="Some feeds failed",
                severity="warning",
                markup=False,
                timeout=8,
            )
        if message.watch:
            title, text = notice(message.watch)
            screen.notify(text, title=title, markup=False, timeout=10)
            screen.panel.refreshed()
        screen.reload()

    def page_arrived(self, message: PageArrived) -> None:
        """A page was stored: count it; show its full text if its article is the one
        shown; reload the list (coalesced) if a filter might now find its article."""
        screen = self._screen
        screen.status_line.activity = (
            f"{self._refreshed} · Fetching pages {message.done}/{message.total}…"
        )
        if message.error is not None:
            return
        headline = screen.headline_list.highlighted
        if headline is not None and headline.id == message.article:
            screen.preview.reload(headline.rowid)
        if screen.filter_bar.value.strip():
            if screen.delays.reload <= 0:
                screen.reload()
            elif self._reload_timer is None:
                self._reload_timer = screen.set_timer(screen.delays.reload, self._reload)

    def pages_finished(self, message: PagesFinished) -> None:
        """The pages are in: say how many came, and the refresh is over."""
        self.running = False
        screen = self._screen
        status = screen.status_line
        if message.error is not None:
            status.activity = self._refreshed
            status.problem = f"Fetching pages failed: {message.error}"
        elif message.fetched or message.failed:
            status.activity = (
                f"{self._refreshed} · pages: {message.fetched} fetched, {message.failed} failed"
            )
        else:
            status.activity = self._refreshed
        self.show_schedule()
        if screen.filter_bar.value.strip():
            screen.reload()
