"""Adding a feed from the main screen: the dialog, then the new configuration and the new
feed's headlines. The dialog's module, and with it the readers and the HTTP client it
needs, is imported when the dialog is first opened: an app that never adds a feed or
refreshes does not hold them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from biotui.app.scope import Scope

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen
    from biotui.app.widgets.add_feed_dialog import FeedAdded


def open_add_dialog(screen: MainScreen) -> None:
    """Show the add-feed dialog over ``screen``; when a feed is added, ``screen`` uses the
    configuration as written and lists the new feed's articles."""
    from biotui.app.widgets.add_feed_dialog import AddFeedDialog

    def added(result: FeedAdded | None) -> None:
        if result is None:
            return
        screen.config = result.config
        screen.panel.use_config(result.config)
        screen.report.use_config(result.config)
        screen.show_scope(Scope("feed", result.name))
        screen.notify(f"Added {result.name}", title="Feed added", markup=False)

    screen.app.push_screen(AddFeedDialog(screen.config, screen.store), added)
