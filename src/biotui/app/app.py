"""The biotui Textual application: it owns the config and the store and shows the main screen."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from functools import partial
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from biotui.app.collector import IdleCollector
from biotui.app.commands import main_commands
from biotui.app.delays import Delays
from biotui.app.keymap import build_keymap, keys_in_force
from biotui.app.messages import FirstHeadlinesShown, RefreshFinished, StoriesGrouped
from biotui.app.queries import FirstHeadlines
from biotui.app.screens.main import MainScreen
from biotui.app.startframe import StartPainter, save_frame
from biotui.app.startframe_record import record_start_frame
from biotui.app.textual_internals import handover_driver
from biotui.app.theme_saving import ThemeSaved, save_theme
from biotui.app.widgets.article_view import ArticleView
from biotui.configwrite import ConfigWriteError
from biotui.errors import BiotuiError
from biotui.model import Config
from biotui.store import Store

NARROW_BELOW = 100
"""Terminal width (columns) under which the panes take turns instead of sitting side by side."""
COLLECT_CHECK_EVERY = 0.5
"""Seconds between checks whether an idle full garbage collection is due."""
GROUP_CHUNK = 200
GROUP_SLICE_S = 0.3
"""Articles not in a story yet (an upgraded store's, or those a large refresh left) are
grouped in the background, this many per transaction for about this long between pauses
(the interface and a refresh go first)."""
GROUP_HELD = 10_000
"""At most this many grouped articles are held in memory by that work (the app's memory
stays small; ``biotui group`` holds more)."""


class BiotuiApp(App[None]):
    """Headlines from feeds and clippings on the left, the article on the right."""

    TITLE = "biotui"
    CSS_PATH: ClassVar[list[str | PurePath]] = ["widgets.tcss", "app.tcss"]
    # Textual declares this as an instance-style attribute; keep its type so mypy agrees.
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012
        (0, "-narrow"),
        (NARROW_BELOW, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", tooltip="Leave biotui", id="quit"),
        Binding("question_mark", "help", "Help", tooltip="Show the keys", id="help"),
    ]

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        initial_filter: str = "",
        first_headlines: FirstHeadlines | None = None,
        on_started: Callable[[], None] | None = None,
        start_frame_dir: Path | None = None,
        painter: StartPainter | None = None,
        delays: Delays | None = None,
    ) -> None:
        """Create the app for ``config`` over ``store``; ``initial_filter`` pre-fills the filter.

        The first list is read at once, in a thread, while Textual starts; pass
        ``first_headlines`` if it was started earlier (for the same ``initial_filter``).
        ``on_started`` is called once the first headlines (or why there are none) are on
        screen. With ``start_frame_dir``, the first screen is recorded there as the start
        frame for the next start (:mod:`biotui.app.startframe`); ``painter`` is the one that
        may have drawn this start's frame, which hands the terminal over to the app.
        ``delays`` are the interface's debounces (tests set them to zero). The theme and the
        keys are the configuration's (checked first with ``keymap.check_config``).
        """
        super().__init__(
            driver_class=None if painter is None else handover_driver(painter.hand_over)
        )
        self.config = config
        self.store = store
        if config.mutes:  # the store hides what the rules mute (biotui.cli does it too)
            from biotui.search import mute_queries

            store.set_mute(mute_queries(rule.query for rule in config.mutes))
        self.initial_filter = initial_filter
        if first_headlines is None or first_headlines.filter_text != initial_filter:
            first_headlines = FirstHeadlines(store, initial_filter)
        self._first_headlines: FirstHeadlines | None = first_headlines
        self._on_started = on_started
        self._start_frame_dir = start_frame_dir
        self._collector = IdleCollector()
        self._quiet_collection: Timer | None = None
        self._backfill_started = False
        self.delays = delays or Delays()
        keymap = build_keymap(config.keys)
        self.keys_in_force = keys_in_force(keymap)
        """Each public action's keys (``biotui.app.keymap``), for the help."""
        self.set_keymap(keymap)
        self._saved_theme: str | None = None
        """The theme in the configuration; None until mounted (nothing is saved before)."""
        if config.settings.theme is not None:
            self.theme = config.settings.theme

    def get_default_screen(self) -> MainScreen:
        """The main screen, with the two panes, in the layout the terminal's width calls for."""
        first, self._first_headlines = self._first_headlines, None
        return MainScreen(
            self.config,
            self.store,
            initial_filter=self.initial_filter,
            first_headlines=first,
            narrow=self.size.width < NARROW_BELOW,
            delays=self.delays,
        )

    def on_first_headlines_shown(self, message: FirstHeadlinesShown) -> None:
        """The main screen shows its first headlines: run ``on_started`` (once)."""
        callback, self._on_started = self._on_started, None
        if callback is not None:
            callback()
        if self._start_frame_dir is not None:
            frame = record_start_frame(self.screen, self.config.settings.theme)
            if frame is not None:
                self.run_worker(
                    partial(save_frame, self._start_frame_dir, frame),
                    thread=True,
                    name="start-frame",
                    exit_on_error=False,
                )
            self._start_frame_dir = None
        if not self._backfill_started:  # older articles' identifiers, never before the list
            self._backfill_started = True
            self._start_backfill()
        if not self._collector.active:
            self._collector.start()
            self.set_interval(COLLECT_CHECK_EVERY, self._collector.tick, name="idle-gc")

    def _start_backfill(self) -> None:
        self.run_worker(
            self._backfill,
            thread=True,
            name="backfill",
            group="backfill",
            exclusive=True,
            exit_on_error=False,
        )

    def _backfill(self) -> None:
        """Work out the muted articles again if the mute rules changed
        (:mod:`biotui.store.muted`), give the articles stored without identifiers theirs
        (:mod:`biotui.refresh.backfill`), then group those not in a story yet; a store that
        refuses stops it until next time."""
        from biotui.refresh.backfill import backfill_identifiers

        worker = get_current_worker()
        pause = self.delays.backfill_pause
        with suppress(BiotuiError):  # changed mute rules: the muted articles worked out once
            self.store.mutes.rebuild()
        with suppress(BiotuiError):
            backfill_identifiers(self.store, pause_s=pause, stop=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self._group_pending()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        """Find the identifiers and stories of what the refresh stored without them (a large
        refresh enriches only its first articles), in the background."""
        if self._backfill_started:
            self._start_backfill()

    def _group_pending(self) -> None:
        """Group the stored articles not in a story yet
        (:func:`~biotui.refresh.grouping.group_pending`), a short slice at a time with a
        pause between, until none is left or the worker is cancelled; then the list is read
        again if any joined a story (it folds them)."""
        from biotui.refresh.grouping import PendingGrouping

        worker = get_current_worker()
        grouping = PendingGrouping(self.store, chunk=GROUP_CHUNK, held=GROUP_HELD)
        joined = 0
        with suppress(BiotuiError):
            while not worker.is_cancelled:
                run = grouping.run(budget_s=GROUP_SLICE_S)
                joined += run.joined
                if run.finished:
                    break
                time.sleep(self.delays.backfill_pause)
        main = self._main_screen()
        if joined and main is not None and not worker.is_cancelled:
            main.post_message(StoriesGrouped())

    async def on_event(self, event: events.Event) -> None:
        """Note input for the idle garbage collection, then handle the event as usual."""
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self._collector.input_seen()
        await super().on_event(event)

    def on_article_view_blocks_replaced(self, _message: ArticleView.BlocksReplaced) -> None:
        """Collect the blocks the article pane replaced once no key came for a moment."""
        self._collect_when_quiet()

    def _collect_when_quiet(self) -> None:
        """One full collection once no key came for the ``collect`` delay: it takes tens of
        milliseconds with a large store, which a key pressed meanwhile would wait for."""
        if self._quiet_collection is not None:
            self._quiet_collection.stop()
            self._quiet_collection = None
        wait = self.delays.collect - self._collector.quiet_for()
        if wait > 0:
            self._quiet_collection = self.set_timer(wait, self._collect_when_quiet)
        else:
            self.call_after_refresh(self._collector.collect)

    def on_mount(self) -> None:
        """From now on a theme chosen (in the palette) is saved."""
        self._saved_theme = self.theme

    def watch_theme(self, theme: str) -> None:
        """Write a newly chosen theme into the configuration in use, in a thread."""
        if self._saved_theme is None or theme == self._saved_theme:
            return
        self._saved_theme = theme
        main = self._main_screen()
        path = (main.config if main is not None else self.config).path
        self.run_worker(
            partial(self._save_theme, path, theme),
            thread=True,
            exclusive=True,
            group="theme",
            exit_on_error=False,
            description="theme saving",
        )

    def _save_theme(self, path: Path, theme: str) -> None:
        try:
            saved = save_theme(path, theme)
        except ConfigWriteError as exc:
            self.notify(str(exc), title="Theme not saved", severity="error", markup=False)
            return
        self.call_from_thread(self._theme_saved, saved)

    def _theme_saved(self, saved: ThemeSaved) -> None:
        self.config = saved.config
        main = self._main_screen()
        if main is not None:
            main.config = saved.config
        if saved.copied:
            where = f"The theme is saved in {saved.config.path}, now the configuration in use."
            self.notify(where, title="Theme saved", markup=False)

    def _main_screen(self) -> MainScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def on_unmount(self) -> None:
        """Hand the garbage collector its own thresholds back."""
        self._collector.stop()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands, and on the main screen biotui's own actions."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            yield from main_commands(self, screen)

    def action_help(self) -> None:
        """Show the keys."""
        from biotui.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keys_in_force))
