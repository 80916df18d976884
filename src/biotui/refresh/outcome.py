"""What refreshing one feed did, as the CLI and the app show it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from biotui.model import IngestCounts


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What refreshing one feed did."""

    feed: str
    counts: IngestCounts = field(default_factory=IngestCounts)
    error: str | None = None
    """Why the feed could not be refreshed, one line; None on success."""
    warnings: tuple[str, ...] = ()
    """Problems that did not stop the feed: a skipped file, entity declarations removed, ..."""
    not_modified: bool = False
    skipped: bool = False
    """True when the feed was not fetched at all (the server asked us to wait, or its
    password command failed)."""
    done: int = 0
    total: int = 0


ProgressCallback = Callable[[FeedOutcome], None]

StoredCallback = Callable[[Sequence[FeedOutcome]], None]
"""Called once every feed of a refresh is stored, with their outcomes, before the pages of
``full_text`` feeds are looked for."""
