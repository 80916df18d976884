"""An in-memory feed server behind the :class:`~biotui.sync.backend.Backend` interface: feeds,
items in arrival order served a page at a time, the unread and starred id sets, and switches
to fail at a given page, to refuse the credentials, and to fail marking. It records what it
served and the marks it received."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from biotui.sync.backend import (
    ItemPage,
    ReadState,
    RemoteFeed,
    RemoteItem,
    SyncAuthError,
    SyncError,
    Unsupported,
)

SERVER = "fake.example"
NOW = datetime.now(UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@dataclass
class Mark:
    ids: tuple[str, ...]
    read: bool | None
    starred: bool | None


@dataclass
class FakeBackend:
    feeds_list: list[RemoteFeed] = field(default_factory=list)
    arrived: list[RemoteItem] = field(default_factory=list)
    """Items in the order the server got them (the resume string is a position in it)."""
    unread: set[str] = field(default_factory=set)
    starred_ids: set[str] = field(default_factory=set)
    page_size: int = 2
    fail_at_page: int | None = None
    """The items() call (1-based, counted over the backend's life) that fails."""
    refuse_auth: bool = False
    fail_marks: bool = False
    before_read_state: Callable[[], None] | None = None
    """Run when the read state is asked for (a mark made in biotui while the sync runs)."""
    server: str = SERVER
    can_subscribe: bool = False
    served: list[str] = field(default_factory=list)
    """Every item id handed out, by items() or items_by_id(), in order."""
    marks: list[Mark] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    item_calls: int = 0

    # -- the server's side ----------------------------------------------------------------

    def add_feed(self, feed_id: str, title: str, url: str = "", tags: Sequence[str] = ()) -> None:
        self.feeds_list.append(RemoteFeed(feed_id, title, url, tags=tuple(tags)))

    def add_item(
        self,
        item_id: str,
        feed_id: str,
        *,
        title: str = "",
        html: str = "<p>Body</p>",
        published: datetime | None = None,
        read: bool = False,
        starred: bool = False,
        url: str = "",
    ) -> None:
        item = RemoteItem(
            item_id,
            feed_id,
            title or f"Item {item_id}",
            html=html,
            url=url or f"https://news.example/{item_id}",
            published=published or NOW,
        )
        self.arrived.append(item)
        if not read:
            self.unread.add(item_id)
        if starred:
            self.starred_ids.add(item_id)

    def _flags(self, item: RemoteItem) -> RemoteItem:
        return replace(item, read=item.id not in self.unread, starred=item.id in self.starred_ids)

    # -- the Backend interface -------------------------------------------------------------

    def login(self) -> None:
        self.calls.append("login")
        if self.refuse_auth:
            raise SyncAuthError(f"{self.server}: HTTP 401: the server refused the credentials")

    def feeds(self) -> list[RemoteFeed]:
        self.calls.append("feeds")
        return list(self.feeds_list)

    def items(self, resume: str | None, oldest: datetime) -> ItemPage:
        self.calls.append("items")
        self.item_calls += 1
        if self.fail_at_page is not None and self.item_calls == self.fail_at_page:
            raise SyncError(f"{self.server}: HTTP 503: service unavailable")
        if resume is None:
            position, since = 0, oldest.timestamp()
        else:
            position, since = json.loads(resume)
        page: list[RemoteItem] = []
        while position < len(self.arrived) and len(page) < self.page_size:
            item = self.arrived[position]
            position += 1
            if item.published is None or item.published.timestamp() >= since:
                page.append(self._flags(item))
        self.served.extend(item.id for item in page)
        done = position >= len(self.arrived)
        return ItemPage(tuple(page), json.dumps([position, since]), done)

    def items_by_id(self, ids: Sequence[str]) -> list[RemoteItem]:
        self.calls.append("items_by_id")
        wanted = set(ids)
        found = [self._flags(item) for item in self.arrived if item.id in wanted]
        self.served.extend(item.id for item in found)
        return found

    def read_state(self) -> ReadState:
        self.calls.append("read_state")
        if self.before_read_state is not None:
            self.before_read_state()
        return ReadState(frozenset(self.unread), frozenset(self.starred_ids))

    def mark(self, ids: Sequence[str], *, read: bool | None, starred: bool | None) -> None:
        self.calls.append("mark")
        if self.fail_marks:
            raise SyncError(f"{self.server}: HTTP 500: internal server error")
        self.marks.append(Mark(tuple(ids), read, starred))
        for item in ids:
            if read is True:
                self.unread.discard(item)
            elif read is False:
                self.unread.add(item)
            if starred is True:
                self.starred_ids.add(item)
            elif starred is False:
                self.starred_ids.discard(item)

    def subscribe(self, url: str, title: str, tags: Sequence[str]) -> RemoteFeed:
        raise Unsupported(f"{self.server}: no subscribe call")

    def unsubscribe(self, feed_id: str) -> None:
        raise Unsupported(f"{self.server}: no unsubscribe call")

    def close(self) -> None:
        self.calls.append("close")
