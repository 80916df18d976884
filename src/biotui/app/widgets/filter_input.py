"""The filter's text input."""

from __future__ import annotations

from textual.widgets import Input


class FilterInput(Input):
    """Textual's Input, minus a screen-wide layout pass at every keystroke.

    Input sets its virtual size to the width of its text whenever the text changes, and a new
    virtual size lays out the whole screen again. The virtual
    width here is never less than the visible width, so it only changes while the text is
    wider than the input, the only time scrolling needs it.
    """

    @property
    def content_width(self) -> int:
        """The width of the text (and cursor), or of the input if that is wider."""
        return max(super().content_width, self.scrollable_content_region.width)
