"""``z``: unfold a story's other articles under its row in the headline list, or fold them
again; and the article pane's "Also reported by" lines, which show another source's
article. The story's articles are read in a thread worker (:func:`story_others`); the list
is changed on the event loop. :class:`StoryKey` gives the main screen its action, its
handlers and the list's row reader (mixed into it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.message import Message

from biotui.app.story_rows import StoryRows, read_rows, story_others
from biotui.errors import BiotuiError
from biotui.model import Headline

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen
    from biotui.app.widgets.story_sources import StorySources


@dataclass
class StoryRead(Message):
    """The other articles of ``rowid``'s story were read: their rows as the list draws them,
    earliest first (``error``: they could not be)."""

    rowid: int
    rows: tuple[Headline, ...] = ()
    error: str | None = None


class StoryKey:
    """The main screen's ``z`` action and its story handlers (mixed into it)."""

    _stories: StoryRows | None = None

    @property
    def stories(self) -> StoryRows:
        """Reads the list's rows with their stories, and knows which stories are unfolded."""
        if self._stories is None:
            self._stories = StoryRows(cast("MainScreen", self).store)
        return self._stories

    def action_toggle_story(self) -> None:
        """Unfold the highlighted story's other articles under it, or fold them again."""
        screen = cast("MainScreen", self)
        headline_list = screen.headline_list
        headline = headline_list.highlighted
        if headline is None:
            return
        lead = self.stories.story_row(headline.rowid)
        if lead is not None:
            ids = self.stories.refold(headline_list.ids, lead)
            headline_list.set_ids(
                ids, keep_rowid=lead, highlighter=headline_list.highlighter, added=()
            )
            return
        if not self.stories.folds(headline):
            screen.notify("No other source reports this story.", timeout=3, markup=False)
            return
        store, rowid = screen.store, headline.rowid

        def read() -> None:
            try:
                others = story_others(store, rowid)
                rows = tuple(read_rows(store, others, frozenset(others)))
            except BiotuiError as failure:
                screen.post_message(StoryRead(rowid, error=str(failure)))
                return
            screen.post_message(StoryRead(rowid, rows))

        screen.run_worker(read, thread=True, group="story", exit_on_error=False)

    def on_story_read(self, message: StoryRead) -> None:
        """Put the story's other articles under its row (if it is still listed)."""
        screen = cast("MainScreen", self)
        if message.error is not None:
            screen.status_line.problem = message.error
            return
        headline_list = screen.headline_list
        others = [row.rowid for row in message.rows]
        ids = self.stories.unfold(headline_list.ids, message.rowid, others)
        if ids is not headline_list.ids:
            headline_list.set_ids(ids, highlighter=headline_list.highlighter, added=message.rows)

    def on_story_sources_chosen(self, message: StorySources.Chosen) -> None:
        """Show the source clicked in the article pane."""
        message.stop()
        cast("MainScreen", self).preview.show_other(message.rowid)
