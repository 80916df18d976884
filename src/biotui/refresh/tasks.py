"""What crosses the process boundary of a refresh: typed tasks in, typed results out.

A worker gets a :class:`FeedTask` (a fetched feed's body, waiting in a spool file) or a
:class:`FileTask` (one file of a local feed) and answers :class:`Parsed` or
:class:`Unreadable`; a :class:`PageTask` (an article's fetched page) is answered with a
:class:`~biotui.sources.PageText`. Everything here pickles cheaply; nothing here touches the
store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from biotui.identifiers import Identifier
from biotui.model import Article
from biotui.sources.pagetext import PageText


@dataclass(frozen=True, slots=True)
class FeedTask:
    """Parse the body of feed ``feed`` fetched from ``url``."""

    feed: str
    url: str
    content_type: str | None
    body_path: str | None
    """The spool file holding the body; None for an empty body."""
    known: frozenset[str]
    """Digests of the entries whose articles are stored already (not read again)."""
    reader: str = "feed"
    """Which reader the body needs: ``feed`` (RSS, Atom, JSON Feed), ``trials``
    (ClinicalTrials.gov's JSON) or ``pubmed`` (E-utilities' PubMed XML)."""
    enrich: bool = True
    """Whether the worker also finds the articles' identifiers and story features (see
    :mod:`biotui.refresh.enrichment`)."""


@dataclass(frozen=True, slots=True)
class FileTask:
    """Read one file of local feed ``feed``."""

    feed: str
    path: str
    root: str | None = None
    """The feed's root (``biotui.sources.feed_root``): the file's guid is its path from there."""
    enrich: bool = True
    """As :attr:`FeedTask.enrich`."""


@dataclass(frozen=True, slots=True)
class PageTask:
    """Extract the main text of article ``article``'s page, fetched from ``url``."""

    article: str
    url: str
    content_type: str | None
    body_path: str | None
    """The spool file holding the page; None for an empty body."""


Task = FeedTask | FileTask | PageTask


@dataclass(frozen=True, slots=True)
class Grouping:
    """What grouping articles into stories needs of one parsed article, worked out in the
    worker beside its parse (see :mod:`biotui.refresh.grouping`): its public id and its
    features as text."""

    article: str
    features: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """The articles a task read, and the problems that did not stop it."""

    articles: tuple[Article, ...]
    warnings: tuple[str, ...] = ()
    source_hashes: Mapping[str, str] | None = None
    """Article id -> digest of the entry it was read from (feeds only)."""
    skipped: int = 0
    """Entries not read again because their stored articles are unchanged."""
    groupings: tuple[Grouping, ...] = ()
    """Each article's story features (empty: grouped later, see :mod:`.grouping`)."""
    identifiers: Mapping[str, tuple[Identifier, ...]] | None = None
    """Article id -> the identifiers its title and body name (an id left out names none),
    found by the worker so that the writer does not; None: not looked for (the task was not
    to enrich: the new articles' are found after they are stored)."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    """The task's document could not be read at all: one line naming why."""

    message: str


Read = Parsed | Unreadable
"""What a feed or file task gives."""
Result = Read | PageText


def as_read(result: Result) -> Read:
    """A feed's or file's result (a page's text, which neither gives, as unreadable)."""
    return Unreadable("not a feed") if isinstance(result, PageText) else result
