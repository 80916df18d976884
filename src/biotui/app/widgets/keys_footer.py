"""The footer: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer

from biotui.app.textual_internals import footer_keys_ready


class KeysFooter(Footer):
    """Textual's :class:`~textual.widgets.Footer`, minus the rebuilds that change nothing.

    The footer rebuilds itself (a dozen key widgets to remove, create and style) at every
    bindings signal, and those come in bursts: pressing Escape in the filter
    moves the focus and brings a new list, three rebuilds where the last two showed the same
    keys, while the person was already pressing the next key. This one compares what it would
    show with what it shows and rebuilds only on a difference.
    """

    _shown: tuple[Any, ...] | None = None
    """What the last rebuild put on screen (None before the keys were ready)."""

    def _wanted(self) -> tuple[Any, ...]:
        """Everything ``compose`` reads: each key shown with its label and state, and the
        command palette key."""
        keys = tuple(
            (binding, self.app.get_key_display(binding), enabled, tooltip)
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return keys, self.show_command_palette, self.compact

    def compose(self) -> ComposeResult:
        """The keys, as Textual's footer lays them out; remembers what they are."""
        self._shown = self._wanted() if footer_keys_ready(self) else None
        yield from super().compose()

    async def recompose(self) -> None:
        """Rebuild, unless the keys on screen are already the ones to show."""
        if self._shown is not None and self._wanted() == self._shown:
            return
        await super().recompose()
