"""The help screen: every key, in one table."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("j / ↓", "next headline (in the article: scroll down)"),
    ("k / ↑", "previous headline (in the article: scroll up)"),
    ("PgDn / PgUp", "a page down / up"),
    ("Home / End", "newest / oldest headline"),
    ("Enter", "read the highlighted article"),
    ("Escape", "back to the list; in the filter: clear it"),
    ("/", "filter the list (as you type; Enter goes back to the list)"),
    ("O", "order: newest first / by relevance (title matches first; needs a filter)"),
    ("b", "side panel: all, starred, saved searches, feeds (Enter shows one)"),
    ("o", "open the article's link in the browser"),
    ("m", "mark read / unread"),
    ("s", "star / unstar"),
    ("f", "full text: fetch the article's page and show its text (stored, searchable)"),
    ("A", "mark every article listed (scope and filter) read"),
    ("u", "undo the last marking (A, m, s; several levels)"),
    ("r", "refresh all feeds and files"),
    ("a", "add a feed: its address, or a web page that names one"),
    ("Del / x", "in the side panel: remove the highlighted feed (asks first)"),
    ("e", "export: save the article as a Markdown file in export_dir"),
    ("y", "copy the article's link to the clipboard"),
    ("?", "this help"),
    ("q", "quit"),
)
"""Key and what it does, as the help screen lists them."""

FILTER_HELP = (
    "Filter: all words must match (any case, any accents); CAR-T or CD19/CD20 match as a "
    'phrase; "quoted words" match as a phrase; lupus OR myositis matches either (AND binds '
    "tighter; parentheses group); -word or NOT word excludes; title:, source:, feed:, author: "
    "search one field; lupus* matches a prefix. Matched words are highlighted."
)

PANEL_HELP = (
    "Side panel: All articles shows the total; Starred shows unread/total; each saved search "
    "and each feed shows its unread articles. ✗ marks a feed whose last refresh failed. "
    "A saved search puts its query in the filter; a feed or Starred limits the list to it."
)


def help_text() -> Content:
    """The help table as plain content."""
    width = max(len(key) for key, _ in KEYS) + 2
    lines = [Content.assemble((f"{key:<{width}}", "bold"), what) for key, what in KEYS]
    lines.append(Content(""))
    lines.append(Content(FILTER_HELP))
    lines.append(Content(""))
    lines.append(Content(PANEL_HELP))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """A modal listing the keys; Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss_help", "Close"),
    ]

    def compose(self) -> ComposeResult:
        """The key table in a scrollable box."""
        with VerticalScroll(id="help") as box:
            box.border_title = "biotui keys"
            yield Static(help_text(), id="help-text")

    def action_dismiss_help(self) -> None:
        """Close the help screen."""
        self.dismiss(None)
