"""``biotui group``: find the identifiers of every article stored without them, and group
every stored article not in a story yet into stories, now.

A store upgraded from before stories (or identifiers) holds articles no refresh grouped, and
a large refresh leaves most of what it stored (:mod:`biotui.refresh.enrichment`); each
refresh does some of them for a bounded time, the app all of them in the background, and
this command the rest at once: identifiers newest first, then stories earliest first, a
chunk per transaction. Ctrl-C stops it: what was done stays, and the next run (or refresh)
goes on from there.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_OK

if TYPE_CHECKING:
    from biotui.store import Store

SLICE_S = 1.0
"""How often progress is shown (on a terminal's standard error)."""


def group_stories(store: Store) -> int:
    """Find the identifiers of every article without them and group every stored article
    not grouped yet; print how many."""
    from biotui.refresh.backfill import backfill_identifiers
    from biotui.refresh.grouping import PendingGrouping

    store.check_writable()
    found = backfill_identifiers(store).done
    if found:
        print(f"identifiers found in {found:,} articles stored without them")
    left = store.stories.ungrouped()
    grouping = PendingGrouping(store)
    done = 0
    try:
        while left:
            run = grouping.run(budget_s=SLICE_S)
            done += run.done
            if run.finished or not run.done:  # none could be grouped: no use going on
                break
            if sys.stderr.isatty():
                print(f"\rgrouped {done:,} of {left:,} articles", end="", file=sys.stderr)
    except KeyboardInterrupt:
        _stopped(done, left)
        raise
    if sys.stderr.isatty() and done:
        print(file=sys.stderr)
    noun = "article" if done == 1 else "articles"
    left = store.stories.ungrouped()
    state = "every article is in one" if not left else f"{left:,} could not be grouped"
    print(f"{done:,} {noun} grouped into stories; {state}")
    return EXIT_OK


def _stopped(done: int, left: int) -> None:
    print(
        f"\nstopped: {done:,} of {left:,} articles grouped (the rest next time)",
        file=sys.stderr,
    )
