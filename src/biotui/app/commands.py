"""biotui's actions in the command palette (Ctrl+P), next to Textual's own commands."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen

MAIN_COMMANDS = (
    ("Filter", "Type a filter for the headlines", "focus_filter"),
    ("Side panel", "Show or hide feeds, tags, starred and saved searches", "toggle_panel"),
    ("Order", "Switch between newest first and relevance", "toggle_order"),
    ("Open link", "Open the highlighted article's link in the browser", "open_link"),
    ("Read / unread", "Mark the highlighted article read or unread", "toggle_read"),
    ("Star / unstar", "Star or unstar the highlighted article", "toggle_star"),
    ("Mark all read", "Mark every article listed here read", "mark_view_read"),
    ("Undo marking", "Undo the last marking (mark all read, read, star)", "undo_marks"),
    ("Refresh", "Fetch every feed now", "refresh"),
    ("Add feed", "Add a feed from its address or a web page's", "add_feed"),
    ("Export article", "Save the highlighted article as Markdown in export_dir", "export_article"),
    ("Copy link", "Copy the highlighted article's link to the clipboard", "copy_link"),
    ("Help", "Show the keys", "app.help"),
)
"""Title, help and action of each command; screen actions run on the main screen."""


def main_commands(app: App[Any], screen: MainScreen) -> Iterator[SystemCommand]:
    """The commands for ``screen`` (the main screen), leaving out those it would refuse
    now (see ``MainScreen.check_action``); Remove feed while the side panel shows."""
    for title, help_text, action in MAIN_COMMANDS:
        if not action.startswith("app.") and not screen.check_action(action, ()):
            continue
        yield SystemCommand(title, help_text, partial(app.run_action, action, screen))
    if screen.panel_shown:
        help_text = "Remove the feed highlighted in the side panel (asks first)"
        yield SystemCommand("Remove feed", help_text, screen.panel.remove_highlighted)
