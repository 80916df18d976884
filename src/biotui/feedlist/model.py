"""The records a feed list is read into."""

from __future__ import annotations

from dataclasses import dataclass

from biotui.errors import BiotuiError


class FeedListError(BiotuiError):
    """A file is not a feed list biotui can read; the message is one line naming it."""


@dataclass(frozen=True, slots=True)
class ImportedFeed:
    """One feed of a list: a display name, an http(s) URL without credentials, its tags."""

    name: str
    url: str
    tags: tuple[str, ...] = ()
    note: str = ""
    """Something the reader should know (credentials left out), or empty."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry of a list that is not imported, with one line saying which and why."""

    reason: str


@dataclass(frozen=True, slots=True)
class FeedList:
    """What a feed list holds, in the file's order: its feeds and the entries skipped."""

    format: str
    """``"opml"`` or ``"urls"``."""
    feeds: tuple[ImportedFeed, ...]
    skipped: tuple[Skipped, ...]
