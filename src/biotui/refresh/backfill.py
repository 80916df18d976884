"""Giving the articles stored without identifiers theirs (those stored before the store kept
them, and those a large refresh stored past its first, see :mod:`biotui.refresh.enrichment`):
batch after batch of ``Store.identifiers.backfill``, for as long as a caller allows.

The app runs it in a thread worker after its first screen, until done or closed, pausing
between batches so that a refresh's writer and the interface go first. ``biotui refresh``
runs it after the feeds for a share of the refresh's time (at least one batch; at most
:data:`REFRESH_BUDGET_S`, which a refresh with no feed due spends whole: a cron job finishes
them over a few runs), ``biotui group`` to the end; ``list`` and ``show`` never write, so they
run none (``show`` finds such an article's identifiers as it reads it; ``list`` says that
matches may be missing). Each batch is stored with its mark, so stopping anywhere loses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from biotui.store import Store

__all__ = ["BATCH", "REFRESH_BUDGET_S", "BackfillRun", "backfill_identifiers"]

BATCH = 500
"""Articles per batch: each is one short write transaction."""

REFRESH_BUDGET_S = 3.0
"""How long ``biotui refresh`` goes on with the backfill once its feeds are done."""


@dataclass(frozen=True, slots=True)
class BackfillRun:
    """How many articles got their identifiers, and whether none is left."""

    done: int
    finished: bool


def backfill_identifiers(
    store: Store,
    *,
    budget_s: float | None = None,
    pause_s: float = 0.0,
    stop: Callable[[], bool] = lambda: False,
    batch: int = BATCH,
) -> BackfillRun:
    """Run backfill batches until none is left, ``budget_s`` seconds have passed (None: no
    limit) or ``stop()`` is true, sleeping ``pause_s`` between batches. StoreError as the
    store raises it (what was stored before stays)."""
    deadline = None if budget_s is None else time.monotonic() + budget_s
    done = 0
    while not stop():
        progress = store.identifiers.backfill(batch)
        done += progress.done
        if progress.finished:
            return BackfillRun(done, True)
        if deadline is not None and time.monotonic() >= deadline:
            break
        if pause_s > 0:
            time.sleep(pause_s)
    return BackfillRun(done, False)
