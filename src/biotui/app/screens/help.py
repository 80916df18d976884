"""The help screen: every key in force, in one table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from biotui.app.keymap import public_actions, show_keys

HELP_TEXT = {
    "next": "next headline (in the article: scroll down)",
    "previous": "previous headline (in the article: scroll up)",
    "page_down": "a page down",
    "page_up": "a page up",
    "first": "newest headline",
    "last": "oldest headline",
    "show": "read the highlighted article",
    "filter": "filter the list (as you type; Enter goes back to the list)",
    "toggle_panel": "side panel: all, starred, saved searches, feeds (Enter shows one)",
    "order": "order: newest first / by relevance (title matches first; needs a filter)",
    "open_link": "open the article's link in the browser",
    "toggle_read": "mark read / unread",
    "toggle_star": "star / unstar",
    "expand_story": "unfold a story's other sources under its row (again: fold them)",
    "full_text": "full text: fetch the article's page and show its text (stored, searchable)",
    "export": "save the article as a Markdown file in export_dir",
    "copy_link": "copy the article's link to the clipboard",
    "identifiers": "the trials, papers, drug codes and targets the article names: open one "
    "(with each one's weekly mentions across every feed)",
    "refresh": "refresh all feeds and files",
    "back": "back to the list",
    "mark_all_read": "mark every article listed (scope and filter) read",
    "undo": "undo the last marking (mark all read, read, star; several levels)",
    "add_feed": "add a feed: its address, or a web page that names one",
    "remove_feed": "in the side panel: remove the highlighted feed (asks first)",
    "help": "this help",
    "quit": "quit",
}
"""What each action does, by public name, where its binding's tooltip says too little; an
action missing here is described by its tooltip."""

EXTRA_KEYS: tuple[tuple[str, str], ...] = (
    ("Escape", "in the filter: clear it"),
    ("Enter", "in the side panel: show the highlighted entry"),
    ("Ctrl+P", "command palette: every action, themes, each saved search and feed"),
)
"""Keys that are not rebindable, listed after the rest."""


def key_rows(keys: Mapping[str, tuple[str, ...]]) -> list[tuple[str, str, str]]:
    """Each public action's keys in force (``keys``), what it does and its name in
    ``[keys]``; then the fixed keys (no name)."""
    rows = [
        (show_keys(keys.get(name, action.keys)), HELP_TEXT.get(name, action.description), name)
        for name, action in public_actions().items()
    ]
    return [*rows, *((key, what, "") for key, what in EXTRA_KEYS)]


FILTER_HELP = (
    "Filter: all words must match (any case, any accents); CAR-T or CD19/CD20 match as a "
    'phrase; "quoted words" match as a phrase; lupus OR myositis matches either (AND binds '
    "tighter; parentheses group); -word or NOT word excludes; title:, source:, feed:, author: "
    "search one field; trial:, pmid:, doi:, drug:, target: find the articles naming an "
    "identifier (drug:KYV-101); lupus* matches a prefix. Matched words are highlighted."
)

PANEL_HELP = (
    "The names in the second column rebind keys in [keys] of feeds.toml (see the README). "
    "Side panel: All articles shows the total; Starred shows unread/total; each saved search "
    "and each feed shows its unread articles. ✗ marks a feed whose last refresh failed. "
    "A saved search puts its query in the filter; a feed or Starred limits the list to it."
)


def help_text(keys: Mapping[str, tuple[str, ...]]) -> Content:
    """The help table as plain content, for the keys in force ``keys``."""
    rows = key_rows(keys)
    width = max(len(key) for key, _, _ in rows) + 2
    names = max(len(name) for _, _, name in rows) + 2
    lines = [
        Content.assemble((f"{key:<{width}}", "bold"), (f"{name:<{names}}", "dim"), what)
        for key, what, name in rows
    ]
    lines.append(Content(""))
    lines.append(Content(FILTER_HELP))
    lines.append(Content(""))
    lines.append(Content(PANEL_HELP))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """A modal listing the keys in force; Escape, or the keys of help and quit, close it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_help", "Close"),
        Binding("question_mark", "dismiss_help", "Close", show=False, id="help"),
        Binding("q", "dismiss_help", "Close", show=False, id="quit"),
    ]

    def __init__(self, keys: Mapping[str, tuple[str, ...]]) -> None:
        """Create the help for the keys in force ``keys`` (public name -> keys)."""
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        """The key table in a scrollable box."""
        with VerticalScroll(id="help") as box:
            box.border_title = "biotui keys"
            yield Static(help_text(self._keys), id="help-text")

    def action_dismiss_help(self) -> None:
        """Close the help screen."""
        self.dismiss(None)
