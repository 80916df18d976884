"""The confirmation before a feed is removed: it names the feed and says how many articles go
and how many starred ones stay. The removal itself is the caller's (see
:mod:`biotui.app.screens.feed_removal`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from biotui.app.format import one_line


@dataclass(frozen=True, slots=True)
class RemovalPlan:
    """What removing a feed would do: its name, how many of its articles would go (the
    unstarred ones) and how many starred ones would stay."""

    name: str
    articles: int
    starred: int


def _articles(count: int, what: str = "article") -> str:
    return f"{count:,} {what}{'' if count == 1 else 's'}"


def plan_text(plan: RemovalPlan) -> str:
    """The question the dialog asks, in plain words."""
    lines = [
        f"Remove the feed {one_line(plan.name)} from the configuration?",
        f"Its {_articles(plan.articles)} will be deleted"
        " (they do not come back if it is added again).",
    ]
    if plan.starred:
        verb = "stays" if plan.starred == 1 else "stay"
        lines.append(f"Its {_articles(plan.starred, 'starred article')} {verb}, under Starred.")
    return "\n".join(lines)


class RemoveFeedDialog(ModalScreen[bool]):
    """Asks before a feed is removed; dismissed with True (``y``, or Enter on Remove) or
    False (Escape, ``n``, or Cancel)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Remove"),
        Binding("escape,n", "answer(False)", "Cancel"),
    ]

    def __init__(self, plan: RemovalPlan) -> None:
        """Ask about ``plan``."""
        super().__init__()
        self._plan = plan

    def compose(self) -> ComposeResult:
        """The question, then the Remove and Cancel buttons."""
        with Vertical(id="remove-feed") as box:
            box.border_title = "Remove a feed"
            yield Static(Content(plan_text(self._plan)), id="remove-feed-text")
            with Horizontal(id="remove-feed-buttons"):
                yield Button("Remove", variant="error", id="remove-feed-confirm")
                yield Button("Cancel", id="remove-feed-cancel")

    def on_mount(self) -> None:
        """Focus Remove, so that Enter confirms."""
        self.query_one("#remove-feed-confirm", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "remove-feed-confirm")

    def action_answer(self, remove: bool) -> None:
        """Close the dialog: remove the feed, or not."""
        self.dismiss(remove)
