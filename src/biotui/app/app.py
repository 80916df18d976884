"""The biotui Textual application: it owns the config and the store and shows the main screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from biotui.app.screens.main import MainScreen
from biotui.app.widgets.help_screen import HelpScreen
from biotui.model import Config
from biotui.store import Store

NARROW_BELOW = 100
"""Terminal width (columns) under which the panes take turns instead of sitting side by side."""


class BiotuiApp(App[None]):
    """Headlines from feeds and clippings on the left, the article on the right."""

    TITLE = "biotui"
    CSS_PATH = "app.tcss"
    # Textual declares this as an instance-style attribute; keep its type so mypy agrees.
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012
        (0, "-narrow"),
        (NARROW_BELOW, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, config: Config, store: Store, *, initial_filter: str = "") -> None:
        """Create the app for ``config`` over ``store``; ``initial_filter`` pre-fills the filter."""
        super().__init__()
        self.config = config
        self.store = store
        self.initial_filter = initial_filter

    def get_default_screen(self) -> MainScreen:
        """The main screen, with the two panes."""
        return MainScreen(self.config, self.store, initial_filter=self.initial_filter)

    def action_help(self) -> None:
        """Show the keys."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
