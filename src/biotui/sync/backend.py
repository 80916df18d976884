"""What a sync backend is: the records it gives (feeds, items, the read and starred sets) and
the small interface each protocol implements (:class:`Backend`), so that a new protocol is
one module more.

Every id is the exact string the server gave (Google Reader servers disagree on id forms, The
Old Reader uses 24-hex ids): a backend never rewrites one it will send back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from biotui.errors import BiotuiError

__all__ = [
    "Backend",
    "ItemPage",
    "ReadState",
    "RemoteFeed",
    "RemoteItem",
    "SyncAuthError",
    "SyncError",
    "Unsupported",
]


class SyncError(BiotuiError):
    """A sync failed: one line naming the server, never a password, key or token."""


class SyncAuthError(SyncError):
    """The server refused the credentials (a wrong password, a revoked token)."""


class Unsupported(SyncError):
    """The protocol cannot do what was asked (Fever has no subscribe call)."""


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A feed the server fetches for the user.

    ``id`` is the server's (``feed/https://…`` for Google Reader, a number for Fever); ``url``
    the feed's own address when the server tells it ("" otherwise); ``tags`` its categories
    (Google Reader labels, Fever groups)."""

    id: str
    title: str
    url: str = ""
    site_url: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """An article as the server gives it, not yet sanitized: ``html`` is the server's content
    (HTML), every other text field as sent. ``published`` is timezone-aware (UTC)."""

    id: str
    feed_id: str
    title: str
    html: str = ""
    url: str = ""
    author: str = ""
    published: datetime | None = None
    read: bool = False
    starred: bool = False


@dataclass(frozen=True, slots=True)
class ItemPage:
    """One page of items and where the next page starts.

    ``resume`` is opaque to everyone but the backend that made it; the engine keeps the last
    one stored, and gives it back to :meth:`Backend.items` to go on (in this sync or the
    next). ``done`` is True when the page is the last one available now: the next call with
    its ``resume`` asks only for items that arrive later."""

    items: tuple[RemoteItem, ...]
    resume: str
    done: bool


@dataclass(frozen=True, slots=True)
class ReadState:
    """The server's ids of the unread items and of the starred ones (neither protocol has a
    change feed for them: they are compared each sync)."""

    unread: frozenset[str]
    starred: frozenset[str]


class Backend(Protocol):
    """One feed server's protocol. Every method raises :class:`SyncError` (one line naming the
    server) on failure and :class:`SyncAuthError` when the credentials are refused."""

    server: str
    """How errors and the status line name the server (its URL without credentials)."""
    can_subscribe: bool
    """Whether :meth:`subscribe` and :meth:`unsubscribe` exist (Google Reader: yes; Fever:
    no, they raise :class:`Unsupported`)."""

    def login(self) -> None:
        """Authenticate (a no-op for protocols that send credentials with every request)."""

    def feeds(self) -> list[RemoteFeed]:
        """Every subscription, with its categories."""

    def items(self, resume: str | None, oldest: datetime) -> ItemPage:
        """The next page of items: from ``resume`` (an earlier page's), or, when None, the
        first page of a first sync, going back no further than ``oldest``."""

    def items_by_id(self, ids: Sequence[str]) -> list[RemoteItem]:
        """The items of ``ids`` (ids the server named in its read state that are not stored,
        such as starred items older than the history); unknown ids are left out."""

    def read_state(self) -> ReadState:
        """The server's unread and starred id sets, as they are now."""

    def mark(self, ids: Sequence[str], *, read: bool | None, starred: bool | None) -> None:
        """Set read and/or starred (None: leave it) on the items ``ids``, in as few requests
        as the protocol allows."""

    def subscribe(self, url: str, title: str, tags: Sequence[str]) -> RemoteFeed:
        """Subscribe to the feed at ``url`` on the server."""

    def unsubscribe(self, feed_id: str) -> None:
        """Unsubscribe from the server's feed ``feed_id``."""

    def close(self) -> None:
        """Close the connections."""
