"""Start the reader app: the first query runs while Textual is imported.

The query reads in a thread (SQLite lets go of the GIL) while Textual is imported, so the
first frame can show headlines; with ``instant_start`` on a terminal, the thread first reads
and draws the first page at once in the app's recorded look (the start frame), or the app
records that look for the next start when there is no record for this terminal yet. The
cyclic garbage collector is off until the app has started: start-up makes many long-lived
objects and no garbage worth a collection; then they are frozen out of later collections,
which keeps pauses short while typing.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_OK
from biotui.model import Config

if TYPE_CHECKING:
    from biotui.store import Store


def run_app(config: Config, store: Store, initial_filter: str, data_dir: Path) -> int:
    """Start the first query, then import and run the app until the user quits."""
    from biotui.app.queries import FirstHeadlines
    from biotui.app.startframe import StartPainter, may_draw_early

    early = config.settings.instant_start and not initial_filter and may_draw_early()
    painter = StartPainter.for_terminal(data_dir, config.settings.theme) if early else None
    first_page = None if painter is None else painter.paint_newest
    first = FirstHeadlines(store, initial_filter, first_page=first_page)
    was_enabled = gc.isenabled()
    gc.disable()

    def started() -> None:
        gc.freeze()
        if was_enabled:
            gc.enable()

    try:
        from biotui.app.app import BiotuiApp
        from biotui.app.keymap import check_config

        check_config(config)  # the theme and [keys] name Textual's themes and the app's keys
        app = BiotuiApp(
            config,
            store,
            initial_filter=initial_filter,
            first_headlines=first,
            on_started=started,
            # A record for this terminal was found: the app's first screen is that one.
            start_frame_dir=data_dir if early and painter is None else None,
            painter=painter,
        )
        app.run()
    finally:
        if painter is not None:
            painter.close()
        if was_enabled:
            gc.enable()
    return EXIT_OK
