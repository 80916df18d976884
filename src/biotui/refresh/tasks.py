"""What crosses the process boundary of a refresh: typed tasks in, typed results out.

A worker gets a :class:`FeedTask` (a fetched feed's body, waiting in a spool file) or a
:class:`FileTask` (one file of a local feed) and answers :class:`Parsed` or
:class:`Unreadable`. Everything here pickles cheaply; nothing here touches the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from biotui.identifiers import Identifier
from biotui.model import Article


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


@dataclass(frozen=True, slots=True)
class FileTask:
    """Read one file of local feed ``feed``."""

    feed: str
    path: str
    root: str | None = None
    """The feed's root (``biotui.sources.feed_root``): the file's guid is its path from there."""


Task = FeedTask | FileTask


@dataclass(frozen=True, slots=True)
class Parsed:
    """The articles a task read, and the problems that did not stop it."""

    articles: tuple[Article, ...]
    warnings: tuple[str, ...] = ()
    source_hashes: Mapping[str, str] | None = None
    """Article id -> digest of the entry it was read from (feeds only)."""
    skipped: int = 0
    """Entries not read again because their stored articles are unchanged."""
    identifiers: Mapping[str, tuple[Identifier, ...]] | None = None
    """Article id -> the identifiers its title and body name (an id left out names none),
    found by the worker so that the writer does not; None: not looked for."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    """The task's document could not be read at all: one line naming why."""

    message: str


Result = Parsed | Unreadable
