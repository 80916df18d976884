"""The status line: which view, how many articles it holds, what a refresh is doing, when the
next one comes, and the order, e.g.
``Trials · 12 of 340 articles · Refreshing 3/12 feeds… · next refresh 14:30 · by relevance``."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from biotui.app.format import one_line


class StatusLine(Widget):
    """One line: the scope, the count, the current activity, any problem, then the order."""

    shown: reactive[int | None] = reactive(None)
    """Articles in the current view (None while the first query runs)."""
    total: reactive[int | None] = reactive(None)
    """Articles in the scope (the store, a feed, the starred ones) without the filter."""
    stories: reactive[int | None] = reactive(None)
    """Rows of the view when stories fold some of its articles into one row each (None:
    one row per article); shown before the articles, ``12 stories · 30 articles``."""
    filtered: reactive[bool] = reactive(False)
    """True when a filter narrows the view."""
    scope: reactive[str] = reactive("")
    """The side panel entry shown (a feed, Starred, a saved search); blank for all articles."""
    relevance: reactive[bool] = reactive(False)
    """True when the person asked for relevance order."""
    rank_skipped: reactive[bool] = reactive(False)
    """True when relevance was asked for but too many articles matched to rank them."""
    activity: reactive[str] = reactive("")
    """What is going on, e.g. ``Refreshing 3/12 feeds…``."""
    problem: reactive[str] = reactive("")
    """The latest problem worth a glance, e.g. a feed that failed."""
    schedule: reactive[str] = reactive("")
    """When the next refresh by itself comes, e.g. ``next refresh 14:30``; blank when none."""

    def render(self) -> Content:
        """Build the line from plain strings (never markup)."""
        parts: list[Content] = []
        if self.scope:
            parts.append(Content(one_line(self.scope)).stylize("bold"))
        if self.shown is None:
            parts.append(Content("Loading…"))
        else:
            if self.stories is not None:
                story_noun = "story" if self.stories == 1 else "stories"
                parts.append(Content(f"{self.stories:,} {story_noun}"))
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
        if self.schedule:
            parts.append(Content(one_line(self.schedule)))
        # The order comes last: what a refresh is doing matters more on a narrow line.
        if not self.relevance:
            parts.append(Content("newest first"))
        elif self.filtered and self.rank_skipped:
            parts.append(Content("newest first (too many matches to rank by relevance)"))
        elif self.filtered:
            parts.append(Content("by relevance"))
        else:
            parts.append(Content("newest first (relevance needs a filter)"))
        return Content(" · ").join(parts)
