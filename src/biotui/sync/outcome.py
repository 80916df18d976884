"""What a sync reports: its progress as it goes (:class:`SyncProgress`) and its end
(:class:`SyncOutcome`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["ProgressCallback", "SyncOutcome", "SyncProgress"]


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a running sync is: ``stage`` (``login``, ``feeds``, ``items``, ``starred``,
    ``marks``), the pages of items stored so far, the items they held and the articles new to
    the store."""

    stage: str
    pages: int = 0
    items: int = 0
    new: int = 0

    @property
    def line(self) -> str:
        """One line for a status line or a log."""
        if self.stage in ("items", "starred"):
            what = "items" if self.stage == "items" else "starred items"
            return f"Syncing {what}: {self.pages} pages, {self.items} items, {self.new} new"
        return {
            "login": "Syncing: logging in",
            "feeds": "Syncing: feeds",
            "marks": "Syncing read and starred marks",
        }.get(self.stage, f"Syncing: {self.stage}")


ProgressCallback = Callable[[SyncProgress], None]


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What a sync did: the server's feeds, the articles new to the store and updated, the
    pages of items stored, the articles whose marks came from the server (``pulled``) and the
    items whose marks went to it (``pushed``); ``error`` is the one line that stopped it (what
    was stored before is kept, the next sync goes on from there), ``cancelled`` says it was
    stopped on request."""

    server: str
    feeds: int = 0
    new: int = 0
    updated: int = 0
    pages: int = 0
    pulled: int = 0
    pushed: int = 0
    error: str | None = None
    cancelled: bool = False

    @property
    def summary(self) -> str:
        """One line saying what the sync did (its ``error`` is a line of its own)."""
        done = (
            f"{self.server}: {self.feeds} feeds, {self.new} new articles, {self.updated} updated,"
            f" {self.pushed} marks sent, {self.pulled} marks taken"
        )
        if self.error is not None:
            return f"{done} (stopped)"
        return f"{done} (cancelled)" if self.cancelled else done
