"""Marking the whole view read (``A``) and undoing the last marking action (``u``).

Both run in the flag writes' queue (see :class:`FlagWrites`), so they never race a single
``m`` or ``s`` and undo always meets the actions in the order the keys were pressed.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from biotui.app.messages import MarksChanged, StoreWriteFailed
from biotui.app.queries import view_selection
from biotui.app.scope import Scope
from biotui.errors import BiotuiError
from biotui.store import MarkResult, Store

if TYPE_CHECKING:
    from biotui.app.screens.main import MainScreen


def _articles(count: int) -> str:
    return f"{count:,} article" if count == 1 else f"{count:,} articles"


def describe_undo(result: MarkResult | None) -> str:
    """What ``u`` says it undid (``result`` is :meth:`Store.undo_last`'s)."""
    if result is None:
        return "Nothing to undo"
    done = []
    if result.read is not None:
        done.append("marking read" if result.read else "marking unread")
    if result.starred is not None:
        done.append("starring" if result.starred else "unstarring")
    return f"Undid {' and '.join(done)} of {_articles(result.changed)}"


class BulkMarks:
    """Runs ``A`` and ``u`` for ``screen`` over ``store``; the screen hears
    :class:`MarksChanged` (then reloads the list and the counts) or
    :class:`StoreWriteFailed`."""

    def __init__(self, screen: MainScreen, store: Store) -> None:
        """Mark on behalf of ``screen``."""
        self._screen = screen
        self._store = store

    def mark_view_read(self, filter_text: str, scope: Scope) -> None:
        """Mark read every article the list shows for ``filter_text`` within ``scope``; the
        articles a mute rule hides are never marked all at once (``m`` marks one)."""
        if scope.kind == "muted":
            self._screen.status_line.activity = "Muted articles are not marked all at once"
            return
        job = partial(self._mark_read, filter_text, scope, self._shown_id())
        self._screen.flags.in_order(job, "mark view read")

    def undo(self) -> None:
        """Undo the last marking action (``A``, ``m``, ``s`` or ``biotui mark``)."""
        self._screen.flags.in_order(partial(self._undo, self._shown_id()), "undo marking")

    def done(self, message: MarksChanged) -> None:
        """Say what changed; reload the list, the counts and the article pane's flags."""
        screen = self._screen
        screen.status_line.activity = message.summary
        if not message.changed:
            return
        screen.reload()
        screen.panel.schedule()
        shown, article = message.shown, screen.article_view.article
        if shown is not None and article is not None and article.id == shown.id:
            screen.article_view.set_flags(read=shown.read, starred=shown.starred)

    def _shown_id(self) -> str | None:
        article = self._screen.article_view.article
        return None if article is None else article.id

    def _mark_read(self, filter_text: str, scope: Scope, shown_id: str | None) -> None:
        try:
            result = self._store.mark(view_selection(filter_text, scope), read=True)
            shown = None if shown_id is None else self._store.article(shown_id)
        except BiotuiError as failure:
            self._screen.post_message(StoreWriteFailed(f"Not marked: {failure}"))
            return
        if result.changed:
            summary = f"Marked {_articles(result.changed)} read"
        else:
            summary = "Nothing to mark: every article here is read"
        self._screen.post_message(MarksChanged(summary, bool(result.changed), shown))

    def _undo(self, shown_id: str | None) -> None:
        try:
            result = self._store.undo_last()
            shown = None if shown_id is None else self._store.article(shown_id)
        except BiotuiError as failure:
            self._screen.post_message(StoreWriteFailed(f"Not undone: {failure}"))
            return
        self._screen.post_message(MarksChanged(describe_undo(result), result is not None, shown))
