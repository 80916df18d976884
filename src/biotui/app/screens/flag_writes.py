"""Read and starred flags: shown at once, saved in the background in the order chosen."""

from __future__ import annotations

import threading
from functools import partial
from typing import TYPE_CHECKING

from biotui.app.messages import FlagsWritten, StoreWriteFailed
from biotui.errors import BiotuiError
from biotui.store import Store

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen


class FlagWrites:
    """Changes flags on ``screen`` (list row, article pane) and writes them to the store in
    thread workers; the screen hears :class:`FlagsWritten` or :class:`StoreWriteFailed`.

    Each change starts one worker; whichever runs last writes the latest wish, so the store
    ends in the state the person chose even if the threads run out of order.
    """

    def __init__(self, screen: MainScreen, store: Store) -> None:
        """Write to ``store`` on behalf of ``screen``."""
        self._screen = screen
        self._store = store
        self._lock = threading.Lock()
        self._want_read: dict[str, bool] = {}
        self._want_star: dict[str, bool] = {}

    def toggle_read(self) -> None:
        """Toggle the read marker of the highlighted article."""
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
        self._want_star[headline.id] = starred
        self._start(headline.id)

    def set_read(self, rowid: int, article_id: str, read: bool) -> None:
        """Mark an article read (or unread) on screen, and save it."""
        self._screen.headline_list.update_headline(rowid, read=read)
        if self._article_shown(article_id):
            self._screen.article_view.set_flags(read=read)
        self._want_read[article_id] = read
        self._start(article_id)

    def _article_shown(self, article_id: str) -> bool:
        article = self._screen.article_view.article
        return article is not None and article.id == article_id

    def _start(self, article_id: str) -> None:
        self._screen.run_worker(
            partial(self._write, article_id),
            thread=True,
            group="writes",
            exit_on_error=False,
            description="flags",
        )

    def _write(self, article_id: str) -> None:
        with self._lock:
            read = self._want_read.pop(article_id, None)
            starred = self._want_star.pop(article_id, None)
            try:
                if read is not None:
                    self._store.set_read([article_id], read)
                if starred is not None:
                    self._store.set_starred(article_id, starred)
            except BiotuiError as failure:
                self._screen.post_message(StoreWriteFailed(str(failure)))
                return
        if read is not None or starred is not None:
            self._screen.post_message(FlagsWritten())
