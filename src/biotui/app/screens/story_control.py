"""``z``: unfold a story's other articles under its row in the headline list, or fold them
again; and the article pane's "Also reported by" lines, which show another source's
article. The story's articles are read in a thread worker (:func:`story_others`); the list
is changed on the event loop. :class:`StoryKey` gives the main screen its action, its
handlers and the list's row reader (mixed into it)."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.message import Message
from textual.worker import get_current_worker

from biotui.app.story_rows import Folded, StoryRows, fold_all, story_others
from biotui.errors import BiotuiError

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen
    from biotui.app.widgets.story_sources import StorySources


@dataclass
class StoriesFolded(Message):
    """The whole list of ``unfolded`` with every story folded (see :meth:`fold_later`)."""

    unfolded: array[int]
    shown: array[int]
    """The list as shown meanwhile (its first rows folded)."""
    folded: Folded


@dataclass
class StoryRead(Message):
    """The other articles of ``rowid``'s story were read (``error``: they could not be)."""

    rowid: int
    others: tuple[int, ...]
    error: str | None = None


class StoryKey:
    """The main screen's ``z`` action and its story handlers (mixed into it)."""

    _stories: StoryRows | None = None
    _to_fold: array[int] | None = None
    """The list being folded in a worker (None: nothing is)."""

    @property
    def stories(self) -> StoryRows:
        """Reads the list's rows with their stories, and knows which stories are unfolded."""
        if self._stories is None:
            self._stories = StoryRows(cast("MainScreen", self).store)
        return self._stories

    def fold_later(self, unfolded: array[int] | None, shown: array[int]) -> None:
        """Fold every story of the list just shown (``shown``), whose first rows only are
        folded (``unfolded``: all its articles), in a thread worker; None: the list shown
        is folded throughout (a fold still running is dropped)."""
        self._to_fold = unfolded
        if unfolded is None:
            return
        screen = cast("MainScreen", self)
        store = screen.store

        def work() -> None:
            try:
                folded = fold_all(store, unfolded)
            except BiotuiError:
                return  # the first rows stay folded; the next list tries again
            if not get_current_worker().is_cancelled:
                screen.post_message(StoriesFolded(unfolded, shown, folded))

        screen.run_worker(
            work, thread=True, group="story-fold", exclusive=True, exit_on_error=False
        )

    def on_stories_folded(self, message: StoriesFolded) -> None:
        """Show the list with every story folded, if it is still the list shown."""
        if message.unfolded is not self._to_fold:
            return
        self._to_fold = None
        screen = cast("MainScreen", self)
        folded = message.folded
        screen.status_line.stories = len(folded.ids) if folded.hidden else None
        if folded.ids == message.shown:
            return  # the first rows held every story there is
        ids = self.stories.reapply(folded.ids) if self.stories.unfolded else folded.ids
        screen.headline_list.set_ids(ids)

    def action_toggle_story(self) -> None:
        """Unfold the highlighted story's other articles under it, or fold them again."""
        screen = cast("MainScreen", self)
        headline_list = screen.headline_list
        headline = headline_list.highlighted
        if headline is None:
            return
        lead = self.stories.story_row(headline.rowid)
        if lead is not None:
            headline_list.set_ids(self.stories.refold(headline_list.ids, lead), keep_rowid=lead)
            return
        if not self.stories.folds(headline):
            screen.notify("No other source reports this story.", timeout=3, markup=False)
            return
        store, rowid = screen.store, headline.rowid

        def read() -> None:
            try:
                others = tuple(story_others(store, rowid))
            except BiotuiError as failure:
                screen.post_message(StoryRead(rowid, (), str(failure)))
                return
            screen.post_message(StoryRead(rowid, others))

        screen.run_worker(read, thread=True, group="story", exit_on_error=False)

    def on_story_read(self, message: StoryRead) -> None:
        """Put the story's other articles under its row (if it is still listed)."""
        screen = cast("MainScreen", self)
        if message.error is not None:
            screen.status_line.problem = message.error
            return
        headline_list = screen.headline_list
        ids = self.stories.unfold(headline_list.ids, message.rowid, message.others)
        if ids is not headline_list.ids:
            headline_list.set_ids(ids)

    def on_story_sources_chosen(self, message: StorySources.Chosen) -> None:
        """Show the source clicked in the article pane."""
        message.stop()
        cast("MainScreen", self).preview.show_other(message.rowid)
