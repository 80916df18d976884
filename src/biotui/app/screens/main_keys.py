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
    )
)
"""Screen actions that need an article in the list (dimmed when it is empty)."""

MAIN_BINDINGS: list[BindingType] = [
    # A priority binding runs as soon as the app reads the key, so the keys typed right
    # after it (in the same read: a paste, fast typing over SSH) go to the filter.
    Binding("slash", "focus_filter", "Filter", key_display="/", priority=True),
    Binding("b", "toggle_panel", "Panel", tooltip="Feeds, tags, starred, saved searches"),
    Binding("O", "toggle_order", "Order", tooltip="Newest first or by relevance"),
    Binding("o", "open_link", "Open", tooltip="Open the article's link in the browser"),
    Binding("m", "toggle_read", "Read", tooltip="Mark the article read or unread"),
    Binding("s", "toggle_star", "Star", tooltip="Star or unstar the article"),
    Binding("f", "full_text", "Full text", tooltip="Fetch the article's page and show it all"),
    Binding("r", "refresh", "Refresh", tooltip="Fetch every feed"),
    Binding("escape", "back", "Back", tooltip="Back to the list"),
    # Last: a narrow footer cuts these first (help and the command palette list them too;
    # e and y are only there, to leave the footer room for ? Help).
    Binding("A", "mark_view_read", "All read", tooltip="Mark every article listed here read"),
    Binding("u", "undo_marks", "Undo", tooltip="Undo the last marking (A, m or s)"),
    Binding("a", "add_feed", "Add", tooltip="Add a feed from its address or a web page's"),
    Binding(
        "e",
        "export_article",
        "Save",
        tooltip="Save the article as a Markdown file in export_dir",
        show=False,
    ),
    Binding(
        "y", "copy_link", "Copy", tooltip="Copy the article's link to the clipboard", show=False
    ),
]
"""The main screen's bindings, as the footer and the help list them."""
