"""biotui's actions in the command palette (Ctrl+P), next to Textual's own (Textual's "Theme"
lists every theme; a theme chosen there is saved, see ``BiotuiApp.watch_theme``)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape

from biotui.app.screens.main_keys import MAIN_BINDINGS

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen

MAIN_COMMANDS = (
    ("Filter", "Type a filter for the headlines", "focus_filter"),
    ("Side panel", "Show or hide feeds, tags, starred and saved searches", "toggle_panel"),
    ("Order", "Switch between newest first and relevance", "toggle_order"),
    ("Open link", "Open the highlighted article's link in the browser", "open_link"),
    ("Read / unread", "Mark the highlighted article read or unread", "toggle_read"),
    ("Star / unstar", "Star or unstar the highlighted article", "toggle_star"),
    ("Unfold / fold story", "Show or hide the highlighted story's other sources", "toggle_story"),
    ("Mark all read", "Mark every article listed here read", "mark_view_read"),
    ("Undo marking", "Undo the last marking (mark all read, read, star)", "undo_marks"),
    ("Refresh", "Fetch every feed now", "refresh"),
    ("Add feed", "Add a feed from its address or a web page's", "add_feed"),
    ("Export article", "Save the highlighted article as Markdown in export_dir", "export_article"),
    ("Copy link", "Copy the highlighted article's link to the clipboard", "copy_link"),
    ("Help", "Show the keys", "app.help"),
)
"""Title, help and action of each command; screen actions run on the main screen. A main
screen binding missing here is a command all the same, titled by its description."""

NOT_COMMANDS = frozenset(("back",))
"""Main screen actions that mean nothing from the palette."""

SCOPE_TITLES = {"search": "Saved search", "feed": "Feed", "tag": "Tag"}
"""How the palette titles each side panel entry that has a name."""


def _screen_commands() -> Iterator[tuple[str, str, str]]:
    """The table, then every main screen binding it leaves out."""
    yield from MAIN_COMMANDS
    listed = {action for _, _, action in MAIN_COMMANDS} | NOT_COMMANDS
    for binding in MAIN_BINDINGS:
        if isinstance(binding, Binding) and binding.action not in listed:
            listed.add(binding.action)
            yield binding.description, binding.tooltip or binding.description, binding.action


def main_commands(app: App[Any], screen: MainScreen) -> Iterator[SystemCommand]:
    """The commands for ``screen`` (the main screen), leaving out those it would refuse
    now (see ``MainScreen.check_action``); Remove feed while the side panel shows; then
    each side panel entry (All articles, Starred, each saved search, feed and tag)."""
    for title, help_text, action in _screen_commands():
        if not action.startswith("app.") and not screen.check_action(action, ()):
            continue
        yield SystemCommand(title, help_text, partial(app.run_action, action, screen))
    if screen.panel_shown:
        help_text = "Remove the feed highlighted in the side panel (asks first)"
        yield SystemCommand("Remove feed", help_text, screen.panel.remove_highlighted)
    for scope in screen.panel.scopes():
        # The palette reads titles as markup; names come from the configuration.
        name = escape(scope.label)
        kind = SCOPE_TITLES.get(scope.kind)
        title = f"{kind}: {name}" if kind else f"Show {name}"
        show = partial(screen.show_scope, scope)
        yield SystemCommand(title, f"List {name}, as the side panel does", show)
