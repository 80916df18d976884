"""Adding a feed from the main screen: the dialog, then the new configuration and the new
feed's headlines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from biotui.app.scope import Scope
from biotui.app.widgets.add_feed_dialog import AddFeedDialog, FeedAdded

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen


def open_add_dialog(screen: MainScreen) -> None:
    """Show the add-feed dialog over ``screen``; when a feed is added, ``screen`` uses the
    configuration as written and lists the new feed's articles."""

    def added(result: FeedAdded | None) -> None:
        if result is None:
            return
        screen.config = result.config
        screen.panel.use_config(result.config)
        screen.report.use_config(result.config)
        screen.show_scope(Scope("feed", result.name))
        screen.notify(f"Added {result.name}", title="Feed added", markup=False)

    screen.app.push_screen(AddFeedDialog(screen.config, screen.store), added)
