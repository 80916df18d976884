"""Messages that thread workers post back to the main screen.

Widget messages live nested in their widgets (``HeadlineList.Highlighted`` and so on); these
carry the results of slow work done off the event loop.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from textual.message import Message

from biotui.model import Article


@dataclass
class HeadlinesLoaded(Message):
    """The ordered rowids for a filter are ready."""

    ids: array[int]
    filter_text: str
    error: str | None = None
    """A parse or store problem to show near the filter input (the ids may still be usable)."""
    total: int | None = None
    """Articles in the whole store, when the worker counted them."""
    keep_rowid: int | None = None
    """Keep the cursor on this article if it is still in the list."""


@dataclass
class FilterFailed(Message):
    """The filter could not be turned into a query; the list stays as it was."""

    filter_text: str
    error: str


@dataclass
class ArticleLoaded(Message):
    """The full article for a rowid was read (``None`` if it is gone)."""

    rowid: int
    article: Article | None
    error: str | None = None


@dataclass
class RefreshProgress(Message):
    """One feed finished during a refresh."""

    feed: str
    done: int
    total: int
    error: str | None = None
    changed: bool = False
    """The feed brought new or updated articles."""


@dataclass
class RefreshFinished(Message):
    """A refresh ended: counts over all feeds, and the feeds that failed."""

    feeds: int = 0
    new: int = 0
    updated: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    """``(feed, error)`` pairs."""
    error: str | None = None
    """The refresh as a whole failed (no per-feed results)."""


@dataclass
class StoreWriteFailed(Message):
    """Saving a read or star flag failed."""

    error: str
