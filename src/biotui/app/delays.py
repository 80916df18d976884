"""The waits the interface makes on purpose: debounces and coalescing timers.

They are grouped in one frozen dataclass handed to the app, so that tests can run with
:data:`NO_DELAYS` and wait on events instead of sleeping past a timer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Delays:
    """Seconds the interface waits before doing something that would otherwise repeat at
    every keystroke or every arriving feed."""

    reload: float = 0.5
    """Between reloads of the list while a refresh brings articles in."""
    counts: float = 0.5
    """Quiet (after read/star changes or arriving articles) before the side panel recounts."""
    preview: float = 0.12
    """The cursor's rest on a headline before the wide layout shows its article."""
    typing_pause: float = 0.35
    """A pause in typing a filter: what would hold typing up (the article, its marks, a
    filter's error message) waits for it."""
    due_check: float = 60.0
    """Between looks at which feeds are due for a refresh by themselves."""
    collect: float = 0.25
    """The rest of the keys after an article is shown before the blocks it replaced are
    collected (a full garbage collection, a few tens of milliseconds on a large store)."""
    backfill_pause: float = 0.05
    """Between two batches of the backfill of older articles' identifiers: a refresh's
    writer and the interface go first."""


NO_DELAYS = Delays(
    reload=0.0, counts=0.0, preview=0.0, typing_pause=0.0, collect=0.0, backfill_pause=0.0
)
"""Everything at once (for tests)."""
