"""Putting a query's answer on the main screen: the rows, what an empty list says, the status
line's counts, and what is wrong with a filter."""

from __future__ import annotations

from array import array
from functools import partial
from typing import TYPE_CHECKING

from textual.timer import Timer

from biotui.app.messages import HeadlineRequest, RestOfList
from biotui.app.queries import Headlines

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen

LAST_RESULTS = "(the list shows the last results)"
NOTHING_LISTED = "Nothing listed: fix the filter, or press / then Escape to clear it."


def empty_text(request: HeadlineRequest, headlines: Headlines) -> str:
    """What the list says when ``request`` listed nothing."""
    if headlines.ids:
        return ""
    if headlines.searched:
        return "No articles match the filter."
    kind = request.scope.kind
    if kind == "starred":
        return "No starred articles. Press s on a headline to star it."
    if kind == "feed":
        return "No articles from this feed yet. Press r to refresh."
    if kind == "tag":
        return "No articles from these feeds yet. Press r to refresh."
    if kind == "muted":
        return "This rule hides no article."
    return "No articles yet. Press r to refresh."


def stories_shown(ids: array[int], listed: int, complete: bool) -> int | None:
    """What the status line counts as stories: the rows of a complete list that folds
    articles under their story's row (None: it counts articles only)."""
    return len(ids) if complete and len(ids) != listed else None


class ListResults:
    """Shows answers (and failures) of headline queries on ``screen``."""

    def __init__(self, screen: MainScreen) -> None:
        """Show results on ``screen``."""
        self._screen = screen
        self._error_timer: Timer | None = None
        self._listed = 0
        """Articles the list shown holds (its stories' folded articles included)."""
        self._cursor_later: tuple[int, int | None] | None = None
        """The article the cursor was on, not among the first rows shown, and where the
        cursor went instead: the cursor goes to it when the rest comes, if it did not move."""

    def show(self, request: HeadlineRequest, headlines: Headlines, scope_label: str) -> None:
        """Show ``headlines``, keeping the cursor where it was; ``scope_label`` names the
        view on the status line."""
        screen = self._screen
        typing = screen.filter_bar.input.has_focus
        headline_list = screen.headline_list
        had_rows = bool(headline_list.row_count)
        headline_list.empty_text = empty_text(request, headlines)
        stories = screen.stories
        ids = stories.reapply(headlines.ids) if stories.unfolded else headlines.ids
        page = None if headlines.rows is None else (headlines.page_no, headlines.rows)
        wanted = request.keep_rowid or headline_list.highlighted_rowid
        headline_list.set_ids(
            ids,
            keep_rowid=request.keep_rowid,
            highlighter=headlines.highlighter,
            to_top=request.to_top,
            page=page if ids is headlines.ids else None,  # unfolded rows: read them again
        )
        placed = headline_list.highlighted_rowid
        self._cursor_later = None
        if not headlines.complete and not request.to_top and wanted not in (None, placed):
            self._cursor_later = (wanted, placed)  # it may be further down: see rest()
        screen.preview.mark_matches(headlines.highlighter)
        if request.filter_text == screen.filter_bar.value:
            screen.filter_bar.show_error(None)
        status = screen.status_line
        status.shown = self._listed = headlines.listed
        status.stories = stories_shown(headlines.ids, headlines.listed, headlines.complete)
        status.total = headlines.scope_total
        status.filtered = headlines.searched
        status.rank_skipped = headlines.rank_skipped
        status.scope = scope_label
        if bool(headlines.ids) != had_rows and not typing:
            # Open, Read and Star dim on an empty list. While the filter has focus they are
            # off anyway, and the footer is rebuilt when the focus leaves it: rebuilding it
            # at every keystroke that empties or fills the list would slow typing.
            screen.refresh_bindings()
        screen.preview.list_changed()

    def rest(self, message: RestOfList) -> None:
        """Show every row of the list whose first rows are shown, keeping the cursor on its
        article; unless another list was asked for since."""
        screen = self._screen
        if not screen.requests.is_current(message.generation):
            return
        stories, headline_list = screen.stories, screen.headline_list
        ids = stories.reapply(message.ids) if stories.unfolded else message.ids
        headline_list.extend_ids(ids)
        later, self._cursor_later = self._cursor_later, None
        if later is not None and headline_list.highlighted_rowid == later[1] and later[0] in ids:
            # The cursor's article lay below the first rows, and the cursor has not moved.
            headline_list.set_ids(ids, keep_rowid=later[0], highlighter=headline_list.highlighter)
        screen.status_line.stories = stories_shown(message.ids, self._listed, True)

    def failed(self, request: HeadlineRequest, error: str, *, first: bool) -> None:
        """Keep the list as it was and say what is wrong with the filter; ``first`` when
        no list was shown yet."""
        screen = self._screen
        bar = screen.filter_bar
        if request.filter_text != bar.value:
            return  # about a filter no longer typed
        if first:
            bar.show_error(error)
            screen.headline_list.empty_text = NOTHING_LISTED
            return
        error = f"{error} {LAST_RESULTS}"
        pause = screen.delays.typing_pause
        if bar.input.has_focus and pause > 0:
            # Typing makes a filter malformed for a key or two ("CAR-T OR" on the way to
            # "CAR-T OR lupus"): the message waits for a pause, so it does not flash, and
            # the screen is not laid out again twice per keystroke.
            self.forget_error()
            self._error_timer = screen.set_timer(pause, partial(bar.show_error, error))
        else:
            bar.show_error(error)

    def forget_error(self) -> None:
        """Drop a filter error waiting for a pause (the filter changed since)."""
        if self._error_timer is not None:
            self._error_timer.stop()
            self._error_timer = None
