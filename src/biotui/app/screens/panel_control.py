"""The side panel: built, hidden, once the first headlines show (and counted once then), shown
and hidden, and its counts, recounted after a quiet moment and only while it shows; a
watchlist shown is a watchlist opened."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from textual.containers import Horizontal
from textual.timer import Timer
from textual.worker import get_current_worker

from biotui.app.format import one_line
from biotui.app.messages import CountsFailed, CountsLoaded, FlagsWritten
from biotui.app.panel_counts import read_counts
from biotui.app.queries import synced_feeds
from biotui.app.scope import Count, Scope, panel_scopes
from biotui.app.screens.feed_removal import remove_highlighted_feed
from biotui.app.widgets.side_panel import SidePanel
from biotui.errors import BiotuiError
from biotui.model import Config
from biotui.store import Store, SyncedFeed
from biotui.watch.tallies import Tallies

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen


class PanelControl:
    """Shows and hides ``screen``'s side panel, and counts its entries in a thread worker,
    posting to the screen
    :class:`CountsLoaded` or :class:`CountsFailed`.

    Changes come in bursts (a refresh, toggling flags), so a recount waits for a quiet
    moment; while the panel is hidden the counts are only marked stale and counted when it
    shows.
    """

    def __init__(
        self,
        screen: MainScreen,
        store: Store,
        config: Config,
        *,
        quiet: float,
    ) -> None:
        """``quiet`` is the wait before recounting."""
        self._screen = screen
        self.panel: SidePanel | None = None
        """The panel, once built."""
        self._store = store
        self._config = config
        self._quiet = quiet
        self._timer: Timer | None = None
        self.stale = True
        """True when the counts shown may be out of date."""
        self._watching: Scope | None = None
        """The watchlist the list shows, if it shows one."""
        self._synced: tuple[SyncedFeed, ...] | None = None
        """The ``[sync]`` server's feeds as last stored (None: not read yet)."""
        self._tallies = Tallies()
        """The watchlists' counts, kept between counts and brought up to date."""
        self._built: asyncio.Future[SidePanel] | None = None
        """The panel being built, or built."""

    @property
    def focused(self) -> bool:
        """True while the panel has focus."""
        return self.panel is not None and self.panel.has_focus

    async def prepare(self, chosen: Scope) -> None:
        """Build the panel, hidden, and count it once, so that showing it later costs
        neither (the screen calls it once its first headlines show: nothing at start waits
        for it)."""
        if self._built is None:
            await self._building(chosen)
            self._start()

    def _building(self, chosen: Scope) -> asyncio.Future[SidePanel]:
        """The panel's build, started now (with ``chosen`` highlighted) if not started yet."""
        if self._built is None:
            self._built = asyncio.ensure_future(self._build(chosen))
        return self._built

    async def _build(self, chosen: Scope) -> SidePanel:
        panel = SidePanel(
            self.scopes(), active=chosen, on_remove=self.remove_highlighted, id="panel"
        )
        await self._screen.query_one("#panes", Horizontal).mount(panel, before="#headlines")
        self.panel = panel
        return panel

    async def toggle(self, chosen: Scope) -> None:
        """Show and focus the panel, with ``chosen`` highlighted; hide it when it has focus
        (or focus it if shown). Built now if :meth:`prepare` has not built it yet."""
        screen = self._screen
        panel = await self._building(chosen)
        if not screen.panel_shown:
            screen.add_class("-panel")
            panel.highlight_scope(chosen)
            panel.focus()
            if self.stale:
                self.schedule(now=True)
        elif panel.has_focus or screen.narrow:
            screen.remove_class("-panel")
            screen.headline_list.focus()
        else:
            panel.focus()
        screen.refresh_bindings()

    def scopes(self) -> list[Scope]:
        """The panel's entries: the configuration's and the ``[sync]`` server's feeds (read
        from the store the first time)."""
        if self._synced is None:
            self._synced = synced_feeds(self._store, self._config)
        return panel_scopes(self._config, self._synced)

    def use_config(self, config: Config) -> None:
        """List ``config``'s feeds and tags from now on, and recount."""
        self._config = config
        self._synced = None  # the [sync] table may name another server
        if self.panel is not None:
            self.panel.set_scopes(self.scopes())
        self.schedule(now=True)

    def use_synced(self, feeds: tuple[SyncedFeed, ...]) -> None:
        """List ``feeds`` as the server's (a sync stored them); recount when they show."""
        changed = feeds != self._synced
        self._synced = feeds
        if changed and self.panel is not None:
            self.panel.set_scopes(self.scopes())
        self.schedule()

    def remove_highlighted(self) -> None:
        """Remove the highlighted feed, once confirmed (see :mod:`feed_removal`)."""
        remove_highlighted_feed(self._screen)

    def set_active(self, scope: Scope) -> None:
        """Mark ``scope`` as the entry the list shows. A saved search shown is a watchlist
        opened: its +N goes, and its bookmark moves to the newest article stored."""
        self._watching = scope if scope.kind == "search" else None
        if scope.kind == "search":
            self._open_watchlist(scope)
        if self.panel is not None:
            self.panel.set_active(scope)

    def refresh_ended(self, updated: int | None) -> None:
        """This app's refresh ended having updated ``updated`` stored articles (None: not
        known), so that the kept watchlist counts follow it without matching every article
        again when none was; recount now."""
        if updated is not None:
            self._tallies.refreshed(updated)
        self.schedule(now=True)

    def refreshed(self) -> None:
        """A refresh ended and the list is read again: what it brought to the watchlist the
        list shows is seen there, so its bookmark moves too (no +N for the open one)."""
        if self._watching is not None:
            self._open_watchlist(self._watching)

    def _open_watchlist(self, scope: Scope) -> None:
        if self.panel is not None:
            counts = self.panel.counts
            count = counts.get(scope)
            if count is not None and count.new:
                counts[scope] = replace(count, new=0)
                self.panel.set_counts(counts)
        self._screen.run_worker(
            partial(self._save_bookmark, scope.name),
            thread=True,
            group="watch-bookmark",
            exit_on_error=False,
            description="watchlist bookmark",
        )

    def _save_bookmark(self, name: str) -> None:
        """Move the app's bookmark of watchlist ``name`` to the newest article, then have the
        counts read again (one running meanwhile read the old bookmark). A store that cannot
        be written keeps the old bookmark: the +N comes back at the next count."""
        from biotui.watch.news import APP

        try:
            self._store.watch.set_bookmark(APP, name, self._store.watch.high_water())
        except BiotuiError:
            return
        self._screen.post_message(FlagsWritten())

    def set_counts(self, counts: dict[Scope, Count]) -> None:
        """Show new counts."""
        if self.panel is not None:
            self.panel.set_counts(counts)

    def schedule(self, *, now: bool = False) -> None:
        """Recount after a quiet moment (or ``now``); later, if the panel is hidden."""
        self.stale = True
        if not self._screen.panel_shown:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if now or self._quiet <= 0:
            self._start()
        else:
            self._timer = self._screen.set_timer(self._quiet, self._start)

    def _start(self) -> None:
        self._timer = None
        self.stale = False
        self._screen.run_worker(
            partial(self._count, self._config, self._synced or ()),
            thread=True,
            exclusive=True,
            group="counts",
            exit_on_error=False,
            description="panel counts",
        )

    def _count(self, config: Config, synced: tuple[SyncedFeed, ...]) -> None:
        worker = get_current_worker()
        try:
            counts = read_counts(self._store, config, synced, self._tallies)
        except BiotuiError as failure:
            if not worker.is_cancelled:
                self._screen.post_message(CountsFailed(one_line(str(failure))))
            return
        if not worker.is_cancelled:
            self._screen.post_message(CountsLoaded(counts))
