"""Read and starred flags: shown at once, saved in the background in the order chosen."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from biotui.app.messages import FlagsWritten, StoreWriteFailed
from biotui.app.story_rows import story_article_ids
from biotui.errors import BiotuiError
from biotui.store import Store

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen


class FlagWrites:
    """Changes flags on ``screen`` (list row, article pane) and writes them to the store in
    thread workers; the screen hears :class:`FlagsWritten` or :class:`StoreWriteFailed`.

    Every write (a flag, or a job given to :meth:`in_order`, such as marking a view read or
    undoing) joins one queue: each worker runs the oldest job waiting, under one lock, so the
    store sees the writes in the order the keys were pressed even if the threads start out of
    order. That order matters to undo: ``m`` then ``u`` undoes that ``m``.
    """

    def __init__(self, screen: MainScreen, store: Store) -> None:
        """Write to ``store`` on behalf of ``screen``."""
        self._screen = screen
        self._store = store
        self._lock = threading.Lock()
        self._jobs: deque[Callable[[], None]] = deque()

    def toggle_read(self) -> None:
        """Toggle the read marker of the highlighted article (an undoable action)."""
        headline = self._screen.headline_list.highlighted
        if headline is not None:
            self.set_read(headline.rowid, headline.id, not headline.read)

    def toggle_star(self) -> None:
        """Toggle the star of the highlighted article."""
        headline = self._screen.headline_list.highlighted
        if headline is None:
            return
        starred = not headline.starred
        self._screen.headline_list.update_headline(headline.rowid, starred=starred)
        if self._article_shown(headline.id):
            self._screen.article_view.set_flags(starred=starred)
        self.in_order(partial(self._write, headline.id, None, starred, True), "flags")

    def set_read(self, rowid: int, article_id: str, read: bool, *, undoable: bool = True) -> None:
        """Mark an article read (or unread) on screen, and save it; ``undoable`` False for a
        mark the person did not ask for (opening the article), which ``u`` skips. The row
        of a folded story marks every article of the story."""
        self._screen.headline_list.update_headline(rowid, read=read)
        if self._article_shown(article_id):
            self._screen.article_view.set_flags(read=read)
        shown = self._screen.headline_list.highlighted
        folds = shown is not None and shown.rowid == rowid and self._screen.stories.folds(shown)
        story = rowid if folds else None  # the row stands for its story's articles
        self.in_order(partial(self._write, article_id, read, None, undoable, story), "flags")

    def in_order(self, job: Callable[[], None], description: str) -> None:
        """Run ``job`` in a thread worker after every write queued before it. The job posts
        its own messages; it must not raise."""
        self._jobs.append(job)
        self._screen.run_worker(
            self._run_next,
            thread=True,
            group="writes",
            exit_on_error=False,
            description=description,
        )

    def _run_next(self) -> None:
        with self._lock:
            self._jobs.popleft()()

    def _article_shown(self, article_id: str) -> bool:
        article = self._screen.article_view.article
        return article is not None and article.id == article_id

    def _write(
        self,
        article_id: str,
        read: bool | None,
        starred: bool | None,
        undoable: bool,
        story: int | None = None,
    ) -> None:
        """Save the flags; ``story``, a rowid, extends a read mark to every article of
        that rowid's story."""
        try:
            if read is not None:
                ids = [article_id] if story is None else story_article_ids(self._store, story)
                self._store.set_read(ids, read, undoable=undoable)
            if starred is not None:
                self._store.set_starred(article_id, starred)
        except BiotuiError as failure:
            self._screen.post_message(StoreWriteFailed(str(failure)))
            return
        self._screen.post_message(FlagsWritten())
