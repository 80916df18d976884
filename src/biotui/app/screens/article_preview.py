"""Which article the article pane shows, and when.

The wide layout follows the cursor: the article under it shows once the cursor rests, and
while a filter is being typed the article (and the marks of what the filter matched) wait
for a pause in typing, so that building an article never holds up the list.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.worker import get_current_worker

from biotui.app.delays import Delays
from biotui.app.messages import ArticleLoaded
from biotui.app.story_rows import story_others
from biotui.app.widgets.story_sources import StorySources
from biotui.errors import BiotuiError
from biotui.store import Store

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen
    from biotui.search import Highlighter


class ArticlePreview:
    """Loads articles for ``screen``'s article pane in thread workers (the screen hears
    :class:`ArticleLoaded` and hands it to :meth:`loaded`), waiting as :class:`Delays` say."""

    def __init__(self, screen: MainScreen, store: Store, delays: Delays) -> None:
        """Show articles from ``store`` on ``screen``."""
        self._screen = screen
        self._store = store
        self._delays = delays
        self.shown_rowid: int | None = None
        """The rowid of the article shown or being loaded (None: the pane is blank)."""
        self._mark_when_loaded = False
        """An article the app shows on its own (at start, after a new filter) stays unread
        until the person moves to it or opens it."""
        self._preview_timer: Timer | None = None
        self._marks_timer: Timer | None = None
        self._highlighter: Highlighter | None = None

    @property
    def _typing(self) -> bool:
        return self._screen.filter_bar.input.has_focus

    def _later(self, delay: float, callback: partial[None]) -> Timer | None:
        """Run ``callback`` after ``delay`` seconds (after the next refresh when none)."""
        if delay <= 0:
            self._screen.call_after_refresh(callback)
            return None
        return self._screen.set_timer(delay, callback)

    def cursor_moved(self) -> None:
        """The person moved the cursor: show its article once the cursor rests."""
        self.stop()
        if self.shown_rowid is None:
            self.show_highlighted()
        else:
            self._preview_timer = self._later(self._delays.preview, partial(self.show_highlighted))

    def list_changed(self) -> None:
        """After a new list: show the article under the cursor if it is another one (or
        clear the pane when the list is empty); while a filter is typed, at a pause."""
        screen = self._screen
        rowid = screen.headline_list.highlighted_rowid
        if rowid is None and (screen.narrow or not self._typing):
            self.clear()
            return
        if screen.narrow or rowid == self.shown_rowid:
            return
        self.stop()
        if self.shown_rowid is None and not self._typing:
            screen.call_after_refresh(self.show_highlighted, mark_read=False)
        else:
            delay = self._delays.typing_pause if self._typing else self._delays.preview
            self._preview_timer = self._later(
                delay, partial(self.show_highlighted, mark_read=False)
            )

    def mark_matches(self, highlighter: Highlighter | None) -> None:
        """Mark what the new filter matched in the article shown: at once, or while a filter
        is being typed at the next pause."""
        self._highlighter = highlighter
        if not self._typing:
            self._apply_marks()
        elif highlighter is not self._screen.article_view.highlighter:
            if self._marks_timer is not None:
                self._marks_timer.stop()
            self._marks_timer = self._later(self._delays.typing_pause, partial(self._apply_marks))

    def _apply_marks(self) -> None:
        if self._marks_timer is not None:
            self._marks_timer.stop()
            self._marks_timer = None
        self._screen.article_view.set_highlighter(self._highlighter)

    def postpone(self) -> None:
        """The person is typing: what waits for a pause waits on."""
        for timer in (self._preview_timer, self._marks_timer):
            if timer is not None:
                timer.reset()

    def stop(self) -> None:
        """Forget the article waiting to be shown."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None

    def clear(self) -> None:
        """Blank the pane."""
        self.stop()
        self.shown_rowid = None
        self._screen.article_view.clear()

    def show_highlighted(self, *, mark_read: bool = True) -> None:
        """Load the highlighted article unless it is shown; ``mark_read`` marks it read."""
        self._preview_timer = None
        self._apply_marks()
        headline = self._screen.headline_list.highlighted
        if headline is None:
            if self.shown_rowid is not None:
                self.clear()
            return
        if headline.rowid != self.shown_rowid:
            self.shown_rowid = headline.rowid
            self._mark_when_loaded = mark_read
            self._start_load(headline.rowid)
        elif mark_read and not headline.read:
            self._screen.flags.set_read(headline.rowid, headline.id, True, undoable=False)

    def reload(self, rowid: int) -> None:
        """Read the article ``rowid`` again if it is the one shown (its text changed)."""
        if rowid == self.shown_rowid:
            self._mark_when_loaded = False
            self._start_load(rowid)

    def _load(self, rowid: int) -> None:
        """Read the full article for ``rowid`` and post it.

        The first call also imports the Markdown widget's module here, off the event loop.
        """
        import textual.widgets.markdown  # noqa: F401

        worker = get_current_worker()
        try:
            article = self._store.article(rowid)
            identifiers = self._store.identifiers.of(rowid) if article is not None else ()
            others = self._store.headlines(story_others(self._store, rowid)) if article else []
        except BiotuiError as failure:
            if not worker.is_cancelled:
                self._screen.post_message(ArticleLoaded(rowid, None, str(failure)))
            return
        if not worker.is_cancelled:
            self._screen.post_message(
                ArticleLoaded(rowid, article, identifiers=identifiers, others=tuple(others))
            )

    async def loaded(self, message: ArticleLoaded) -> None:
        """Show the article read for ``message`` (if still wanted) and mark it read."""
        if message.rowid != self.shown_rowid:
            return
        view = self._screen.article_view
        article = message.article
        if article is None:
            await view.clear(message.error or "This article is no longer stored.")
            return
        if self._mark_when_loaded and not article.read:
            article = replace(article, read=True)
            self._screen.flags.set_read(message.rowid, article.id, True, undoable=False)
        await view.show(article, message.identifiers)
        view.query_one(StorySources).show(message.others)

    def show_other(self, rowid: int) -> None:
        """Show the article ``rowid`` (another source of the story shown) and mark it read;
        the list's cursor stays where it is."""
        self.stop()
        self.shown_rowid = rowid
        self._mark_when_loaded = True
        self._start_load(rowid)

    def _start_load(self, rowid: int) -> None:
        """Read the article ``rowid`` in a thread worker (the last one asked for wins)."""
        self._screen.run_worker(
            partial(self._load, rowid),
            thread=True,
            exclusive=True,
            group="article",
            exit_on_error=False,
            description="article",
        )
