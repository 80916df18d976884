"""The identifiers of an article to choose from (``i``): trials, papers, drug codes, targets,
one per line; Enter opens the one highlighted (the caller opens the link the picker is
dismissed with). The identifier highlighted shows its trend under the list: how many articles
of every feed named it in each of the last :data:`TREND_WEEKS` weeks, a sparkline read in a
thread worker (one grouped query of the store)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from biotui.app.format import one_line
from biotui.errors import BiotuiError

if TYPE_CHECKING:
    from biotui.identifiers import Identifier
    from biotui.store import Store

TREND_WEEKS = 26
"""Weeks the trend covers, oldest first."""


@dataclass
class TrendLoaded(Message):
    """The weekly counts of identifier number ``index`` (None: the store could not say)."""

    index: int
    weeks: tuple[int, ...] | None


def trend_text(ident: Identifier, weeks: Sequence[int]) -> str:
    """The line under the sparkline: what it counts."""
    total = sum(weeks)
    articles = "article" if total == 1 else "articles"
    return (
        f"{one_line(ident.id)}: {total:,} {articles} of every feed in the last {len(weeks)} "
        f"weeks ({weeks[-1]:,} this week)"
    )


class IdentifierPicker(ModalScreen["str | None"]):
    """Lists ``identifiers``; dismissed with the link of the one chosen (Enter, a click) or
    None (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, identifiers: Sequence[Identifier], store: Store) -> None:
        """Offer ``identifiers``; their trends come from ``store``."""
        super().__init__()
        self._identifiers = tuple(identifiers)
        self._store = store
        self._shown: int | None = None

    def compose(self) -> ComposeResult:
        """The list, then the trend of the identifier highlighted."""
        with Vertical(id="identifier-picker") as box:
            box.border_title = "Identifiers (Enter opens)"
            yield OptionList(
                *(
                    Option(Content.assemble((f"{i.kind:<8}", "$text-muted"), one_line(i.id)))
                    for i in self._identifiers
                ),
                id="identifier-options",
            )
            yield Sparkline([], id="identifier-trend")
            yield Static(Content("Weekly mentions: reading…"), id="identifier-trend-text")

    def on_mount(self) -> None:
        """Focus the list on its first identifier."""
        options = self.query_one(OptionList)
        options.focus()
        if self._identifiers:
            options.highlighted = 0

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._shown = event.option_index
        self.query_one("#identifier-trend-text", Static).update(
            Content("Weekly mentions: reading…")
        )
        self._read_trend(event.option_index)

    @work(thread=True, exclusive=True, group="identifier-trend", exit_on_error=False)
    def _read_trend(self, index: int) -> None:
        ident = self._identifiers[index]
        try:
            weeks: tuple[int, ...] | None = self._store.identifiers.weekly(
                (ident.kind,), ident.key, weeks=TREND_WEEKS
            )
        except BiotuiError:
            weeks = None
        self.app.call_from_thread(partial(self.post_message, TrendLoaded(index, weeks)))

    def on_trend_loaded(self, message: TrendLoaded) -> None:
        """Draw the trend of the identifier still highlighted."""
        if message.index != self._shown:
            return
        text = self.query_one("#identifier-trend-text", Static)
        if message.weeks is None:
            text.update(Content("Weekly mentions: the store could not say"))
            return
        self.query_one(Sparkline).data = list(message.weeks)
        text.update(Content(trend_text(self._identifiers[message.index], message.weeks)))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._identifiers[event.option_index].url)
