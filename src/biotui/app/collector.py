"""Full garbage collections in the pauses between keys, not in the middle of a keystroke.

Python's cyclic collector runs its full (oldest-generation) pass whenever its counters say so.
With the app's objects in memory that pass is long enough to be felt, and it landed inside filter
keystrokes: the frame that should show the new count waited for it. While the app runs, the
automatic full pass is made rare and :class:`IdleCollector` runs it instead once nobody has
pressed a key or moved the mouse for a moment. The young generations keep collecting on their
own (each is short), so garbage never piles up while someone types.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_AFTER = 1.0
"""Seconds without input after which a pending full collection runs."""
YOUNG_PASSES_PER_FULL = 10
"""Middle-generation passes after which a full pass is due (Python's own default cadence)."""
RARE_FULL = 100
"""Python's threshold for the oldest generation while the app runs (default 10): the automatic
full pass still comes if the app is never idle, ten times less often."""


class IdleCollector:
    """Decides when the full garbage collection runs while the app is open.

    Call :meth:`start` once the app is up, :meth:`input_seen` at every key press or mouse
    event, :meth:`tick` from a timer (every half second or so) and :meth:`stop` on exit. The
    automatic collection does nothing when garbage collection was switched off to begin with;
    :meth:`collect` runs one whenever asked.
    """

    def __init__(
        self,
        *,
        idle_after: float = IDLE_AFTER,
        clock: Callable[[], float] = time.monotonic,
        collect: Callable[[], object] = gc.collect,
    ) -> None:
        """Collect after ``idle_after`` seconds without input, by ``clock``, with ``collect``."""
        self._idle_after = idle_after
        self._clock = clock
        self._collect = collect
        self._last_input = clock()
        self._saved: tuple[int, int, int] | None = None
        self._young_passes_at_full = _middle_passes()

    @property
    def active(self) -> bool:
        """True between :meth:`start` and :meth:`stop` (with garbage collection on)."""
        return self._saved is not None

    def start(self) -> None:
        """Make the automatic full collection rare (the idle one takes over)."""
        if self._saved is not None or not gc.isenabled():
            return
        self._saved = gc.get_threshold()
        young, middle, _old = self._saved
        gc.set_threshold(young, middle, RARE_FULL)
        self._young_passes_at_full = _middle_passes()

    def stop(self) -> None:
        """Give Python its own thresholds back."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        """A key press or mouse event: someone is using the app."""
        self._last_input = self._clock()

    def quiet_for(self) -> float:
        """Seconds since the last key press or mouse event."""
        return self._clock() - self._last_input

    def collect(self) -> None:
        """Run the full collection now (the next automatic one is then due later)."""
        self._collect()
        self._young_passes_at_full = _middle_passes()

    def due(self) -> bool:
        """True when a full collection is pending and the app has been idle long enough."""
        if self._saved is None or not gc.isenabled():
            return False
        if self._clock() - self._last_input < self._idle_after:
            return False
        return _middle_passes() - self._young_passes_at_full >= YOUNG_PASSES_PER_FULL

    def tick(self) -> bool:
        """Run the full collection if it is due; True if it ran."""
        if not self.due():
            return False
        self.collect()
        return True


def _middle_passes() -> int:
    """How many middle-generation (and fuller) collections have run in this process."""
    stats = gc.get_stats()
    return int(stats[1]["collections"]) + int(stats[2]["collections"])
