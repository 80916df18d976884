"""The filter bar: an input that narrows the list as you type, and a line for its errors.

It reports every change at once and speaks in its own messages; the screen runs the query and
coalesces changes that arrive while one is running, so the list follows typing as fast as the
store answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from biotui.app.format import one_line
from biotui.app.widgets.filter_input import FilterInput

PLACEHOLDER = 'Filter (/): words, "a phrase", CAR-T, lupus OR myositis, -exclude, title:word, word*'


class FilterBar(Vertical):
    """The filter input plus a one-line error note under it (hidden when all is well)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Clear filter"),
    ]

    @dataclass
    class Changed(Message):
        """The filter text changed."""

        filter_bar: FilterBar
        value: str

        @property
        def control(self) -> FilterBar:
            """The bar that sent the message."""
            return self.filter_bar

    @dataclass
    class Submitted(Message):
        """Enter was pressed: the person is done typing."""

        filter_bar: FilterBar
        value: str

        @property
        def control(self) -> FilterBar:
            """The bar that sent the message."""
            return self.filter_bar

    @dataclass
    class Cancelled(Message):
        """Escape was pressed: the filter was cleared."""

        filter_bar: FilterBar

        @property
        def control(self) -> FilterBar:
            """The bar that sent the message."""
            return self.filter_bar

    def __init__(
        self,
        value: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create the bar holding ``value`` (that value counts as already applied)."""
        super().__init__(name=name, id=id, classes=classes)
        self._initial = value
        self._applied = value
        self._error = ""

    def compose(self) -> ComposeResult:
        """The input and the error line."""
        yield FilterInput(
            self._initial,
            placeholder=PLACEHOLDER,
            id="filter-input",
            compact=True,
            select_on_focus=False,
        )
        yield Static(id="filter-error")

    @property
    def input(self) -> Input:
        """The text input."""
        return self.query_one("#filter-input", Input)

    @property
    def value(self) -> str:
        """The text in the input."""
        return self.input.value

    def focus_input(self) -> None:
        """Focus the input with the cursor at the end."""
        self.input.focus()
        self.input.cursor_position = len(self.input.value)

    def set_value(self, value: str) -> None:
        """Put ``value`` in the input without posting ``Changed`` (the caller applies it)."""
        with self.prevent(Input.Changed):
            self.input.value = value
        self.input.cursor_position = len(value)
        self._applied = value
        self.show_error(None)

    @property
    def error(self) -> str:
        """The error shown under the input (blank when none)."""
        return self._error

    def show_error(self, error: str | None) -> None:
        """Show ``error`` (plain text) under the input, or hide the line when None."""
        text = one_line(error or "")
        if text == self._error:
            return  # nothing to redo (a change here lays out the screen again)
        self._error = text
        self.query_one("#filter-error", Static).update(Content(text))
        self.set_class(bool(text), "-error")

    @on(Input.Changed, "#filter-input")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply()

    def _apply(self) -> None:
        """Post ``Changed`` if the value differs from the last one posted."""
        value = self.value
        if value != self._applied:
            self._applied = value
            self.post_message(self.Changed(self, value))

    @on(Input.Submitted, "#filter-input")
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply()
        self.post_message(self.Submitted(self, self.value))

    def action_cancel(self) -> None:
        """Clear the filter (applied at once) and say so."""
        with self.prevent(Input.Changed):
            self.input.value = ""
        self._apply()
        self.show_error(None)
        self.post_message(self.Cancelled(self))
