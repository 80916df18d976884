"""How much of a refresh is enriched as it is read: identifiers found and story features
worked out in the workers, beside the parse.

A refresh enriches the first :data:`INLINE` articles it reads (every usual refresh: its new
articles are far fewer). Past those, its tasks only read: the store keeps the new articles'
identifiers for its backfill (``identifiers_later``) and leaves them ungrouped, and both are
done right after the refresh (the app in the background, ``biotui refresh`` for a bounded
time, ``biotui group`` at once). A first import of a large feed collection so has its
headlines at the speed of reading alone.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from biotui.refresh.tasks import FeedTask, FileTask, Parsed, Result, Task

__all__ = ["INLINE", "Enrichment"]

INLINE = 5_000
"""Articles a refresh enriches as it reads them."""


class Enrichment:
    """Counts the articles read enriched, and says whether the next task enriches: tasks
    sent before the count passes :data:`INLINE` do (the tasks in flight then may add some)."""

    def __init__(self, inline: int = INLINE) -> None:
        self._left = inline
        self._lock = threading.Lock()

    def task(self, task: Task) -> Task:
        """``task`` as it is to be sent now."""
        if isinstance(task, FeedTask | FileTask) and task.enrich and self._left <= 0:
            return replace(task, enrich=False)
        return task

    def read(self, result: Result) -> None:
        """Count the articles of an enriched ``result``."""
        if isinstance(result, Parsed) and result.identifiers is not None:
            with self._lock:
                self._left -= len(result.articles)
