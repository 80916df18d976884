"""The article pane's "Also reported by" section: the other articles of the story shown,
one line each (feed · headline); a click on a line, or Enter on it (Tab reaches it), shows
that article in the pane."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, Static

from biotui.app.format import one_line
from biotui.model import Headline


class StorySource(Static, can_focus=True):
    """One other source of the story: a line that shows its article when clicked or when
    Enter is pressed on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Show", tooltip="Show this source's article")
    ]

    def __init__(self, headline: Headline) -> None:
        """A line for ``headline`` (plain text, never markup)."""
        feed = one_line(headline.source) or one_line(headline.feed)
        title = one_line(headline.title) or "(untitled)"
        super().__init__(Content(f"• {feed} · {title}"), classes="story-source")
        self.rowid = headline.rowid

    def on_click(self, event: events.Click) -> None:
        """Ask for this article."""
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        """Ask for this article."""
        self.post_message(StorySources.Chosen(self.rowid))


class StorySources(Vertical):
    """Hidden unless the article shown belongs to a story of several articles."""

    @dataclass
    class Chosen(Message):
        """The person clicked another source of the story: show article ``rowid``."""

        rowid: int

    def compose(self) -> ComposeResult:
        """The heading; the lines come with an article."""
        yield Label(Content("Also reported by"), classes="article-heading")

    def on_mount(self) -> None:
        """Nothing to list yet."""
        self.display = False

    def show(self, others: Sequence[Headline]) -> None:
        """List ``others`` (hide the section when there are none)."""
        self.query(StorySource).remove()
        if others:
            self.mount_all(StorySource(headline) for headline in others)
        self.display = bool(others)
