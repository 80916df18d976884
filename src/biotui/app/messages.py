"""Messages that thread workers post back to the main screen.

Widget messages live nested in their widgets (``HeadlineList.Highlighted`` and so on); these
carry the results of slow work done off the event loop.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from biotui.app.queries import Headlines
from biotui.app.scope import Count, Order, Scope
from biotui.model import Article, Headline
from biotui.store import SyncedFeed
from biotui.watch.news import WatchNews

if TYPE_CHECKING:
    from biotui.identifiers import Identifier


@dataclass
class HeadlineRequest:
    """What the list should show: the filter, the side panel's scope and the order."""

    filter_text: str
    scope: Scope
    order: Order
    keep_rowid: int | None = None
    """Keep the cursor on this article if it is still in the list."""
    to_top: bool = False
    """Put the cursor on the first row (a new order or scope) instead of keeping it."""


@dataclass
class HeadlinesLoaded(Message):
    """The ordered rowids for a request are ready."""

    request: HeadlineRequest
    headlines: Headlines


@dataclass
class FirstHeadlinesShown(Message):
    """The main screen drew its first list (or why there is none): start-up is over."""


@dataclass
class RestOfList(Message):
    """Every row of the list whose first rows were shown for ``request`` (see
    :func:`~biotui.app.queries.read_rest`); ``generation`` tells whether it is still the list
    asked for last."""

    request: HeadlineRequest
    ids: array[int]
    generation: int


@dataclass
class QuerySuperseded(Message):
    """A newer request stopped the query for ``request`` before it ended."""

    request: HeadlineRequest


@dataclass
class FilterFailed(Message):
    """The filter is malformed or the store failed; the list stays as it was."""

    request: HeadlineRequest
    error: str


@dataclass
class CountsLoaded(Message):
    """The side panel's counts are ready."""

    counts: dict[Scope, Count]


@dataclass
class CountsFailed(Message):
    """Counting for the side panel failed."""

    error: str


@dataclass
class ArticleLoaded(Message):
    """The full article for a rowid was read (``None`` if it is gone)."""

    rowid: int
    article: Article | None
    error: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    """The identifiers the article names."""
    others: tuple[Headline, ...] = ()
    """The other articles of its story, earliest first (the pane lists them)."""


@dataclass
class RefreshProgress(Message):
    """One feed finished during a refresh."""

    feed: str
    done: int
    total: int
    error: str | None = None
    changed: bool = False
    """The feed brought new or updated articles."""
    new: int = 0
    """New articles so far in this refresh, every feed done included."""


@dataclass
class SyncProgressed(Message):
    """A step of the sync that starts a refresh when ``[sync]`` is set: ``line`` says
    where it is, ``new`` counts the articles it stored so far."""

    line: str
    new: int = 0


@dataclass
class SyncFinished(Message):
    """The sync ended (the refresh of the local feeds follows): ``summary`` says what it did,
    ``error`` why it stopped; ``feeds`` are the server's feeds as now stored."""

    summary: str
    new: int = 0
    updated: int = 0
    error: str | None = None
    feeds: tuple[SyncedFeed, ...] = ()


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
    pages_follow: bool = False
    """The pages of ``full_text`` feeds' articles are fetched next: the refresh runs on
    until :class:`PagesFinished`."""
    watch: list[WatchNews] = field(default_factory=list)
    """The watchlists with matches the refresh stored."""


@dataclass
class StoriesGrouped(Message):
    """The background work grouped stored articles into stories (those an upgraded store or
    a large refresh left): the list folds them once it is read again."""


@dataclass
class PageArrived(Message):
    """During a refresh, the page of ``article`` (a public id) was stored: its full text,
    or (``error``) why there is none; ``done`` of ``total`` pages are."""

    article: str
    done: int
    total: int
    error: str | None = None


@dataclass
class PagesFinished(Message):
    """A refresh's pages are done: how many gave a full text and how many failed, or
    ``error`` when the refresh failed meanwhile."""

    fetched: int = 0
    failed: int = 0
    error: str | None = None


@dataclass
class FlagsWritten(Message):
    """Read or starred flags, or a watchlist's bookmark, were saved (the side panel's counts
    are out of date)."""


@dataclass
class StoreWriteFailed(Message):
    """Saving a read or star flag failed."""

    error: str


@dataclass
class MarksChanged(Message):
    """Marking a whole view, or undoing, is done: ``summary`` says what changed; ``shown``
    is the article pane's article as it is now stored (its flags may have changed)."""

    summary: str
    changed: bool
    shown: Article | None = None
