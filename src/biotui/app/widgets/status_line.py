"""The status line: how many articles the view holds, and what a refresh is doing."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from biotui.app.format import one_line


class StatusLine(Widget):
    """One line: ``count`` on the left, then the current activity and any problem."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
    }
    """

    shown: reactive[int | None] = reactive(None)
    """Articles in the current view (None while the first query runs)."""
    total: reactive[int | None] = reactive(None)
    """Articles in the store, when known."""
    filtered: reactive[bool] = reactive(False)
    """True when a filter narrows the view."""
    activity: reactive[str] = reactive("")
    """What is going on, e.g. ``Refreshing 3/12 feeds…``."""
    problem: reactive[str] = reactive("")
    """The latest problem worth a glance, e.g. a feed that failed."""

    def render(self) -> Content:
        """Build the line from plain strings (never markup)."""
        parts: list[Content] = []
        if self.shown is None:
            parts.append(Content("Loading…"))
        else:
            noun = "article" if self.shown == 1 else "articles"
            if self.filtered and self.total is not None:
                of_noun = "article" if self.total == 1 else "articles"
                parts.append(Content(f"{self.shown:,} of {self.total:,} {of_noun}"))
            elif self.filtered:
                parts.append(Content(f"{self.shown:,} matching {noun}"))
            else:
                parts.append(Content(f"{self.shown:,} {noun}"))
        if self.activity:
            parts.append(Content(one_line(self.activity)))
        if self.problem:
            parts.append(Content(one_line(self.problem)).stylize("$text-error"))
        return Content(" · ").join(parts)
