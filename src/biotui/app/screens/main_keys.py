"""The main screen's keys: its bindings, and which of them belong to the list."""

from __future__ import annotations

from textual.binding import Binding, BindingType

LIST_ACTIONS = frozenset(
    (
        "focus_filter",
        "toggle_panel",
        "toggle_order",
        "open_link",
        "toggle_read",
        "toggle_star",
        "mark_view_read",
        "undo_marks",
        "refresh",
        "add_feed",
        "export_article",
        "copy_link",
        "full_text",
        "identifiers",
    )
)
"""Screen actions whose keys are letters (or ``/``): off while the filter input has focus."""

ARTICLE_ACTIONS = frozenset(
    (
        "open_link",
        "toggle_read",
        "toggle_star",
        "mark_view_read",
        "export_article",
        "copy_link",
        "full_text",
        "identifiers",
    )
)
"""Screen actions that need an article in the list (dimmed when it is empty)."""

MAIN_BINDINGS: list[BindingType] = [
    # A priority binding runs as soon as the app reads the key, so the keys typed right
    # after it (in the same read: a paste, fast typing over SSH) go to the filter.
    Binding(
        "slash", "focus_filter", "Filter", tooltip="Filter the list", priority=True, id="filter"
    ),
    Binding("b", "toggle_panel", "Panel", tooltip="Feeds, tags, searches", id="toggle_panel"),
    Binding("O", "toggle_order", "Order", tooltip="Newest first or by relevance", id="order"),
    Binding("o", "open_link", "Open", tooltip="Open the link in the browser", id="open_link"),
    Binding("m", "toggle_read", "Read", tooltip="Mark read or unread", id="toggle_read"),
    Binding("s", "toggle_star", "Star", tooltip="Star or unstar the article", id="toggle_star"),
    Binding("f", "full_text", "Full text", tooltip="Fetch the page, show it all", id="full_text"),
    Binding("r", "refresh", "Refresh", tooltip="Fetch every feed", id="refresh"),
    Binding("escape", "back", "Back", tooltip="Back to the list", id="back"),
    # Last: a narrow footer cuts these first (help and the command palette list them too;
    # e and y are only there, to leave the footer room for ? Help).
    Binding("A", "mark_view_read", "All read", tooltip="Mark all listed read", id="mark_all_read"),
    Binding("u", "undo_marks", "Undo", tooltip="Undo the last marking", id="undo"),
    Binding("a", "add_feed", "Add", tooltip="Add a feed (address or page)", id="add_feed"),
    Binding("e", "export_article", "Save", tooltip="Save as Markdown", show=False, id="export"),
    Binding("y", "copy_link", "Copy", tooltip="Copy the link", show=False, id="copy_link"),
    Binding(
        "i",
        "identifiers",
        "Identifiers",
        tooltip="Open a trial, paper, drug, target it names",
        show=False,
        id="identifiers",
    ),
]
"""The main screen's bindings, as the footer and the help list them; each ``id`` is the
action's public name in ``[keys]`` (``biotui.app.keymap``)."""
