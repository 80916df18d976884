"""The Google Reader API backend: FreshRSS (``https://host/api/greader.php``), Miniflux
(``https://host``), Inoreader (``https://www.inoreader.com``, with ``app_id`` and ``app_key``),
The Old Reader and BazQux.

Item ids are compared in one form (:func:`~biotui.sync.greader.ids.canonical_id`: the long
form as contents give it, short decimals converted), and sent in the form the server takes:
the long one until a server refuses it, then the short one for the rest of the session.
Session and action tokens live in :mod:`.session`, paging in :mod:`.paging`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from biotui.sync.backend import (
    ItemPage,
    ReadState,
    RemoteFeed,
    RemoteItem,
    SyncError,
)
from biotui.sync.greader.ids import READ, READING_LIST, STARRED, short_id
from biotui.sync.greader.items import ParsedItem, items_of, subscriptions
from biotui.sync.greader.paging import all_ids, contents_page, ids_mode_page
from biotui.sync.greader.resume import Position, decode
from biotui.sync.greader.session import Session
from biotui.sync.transport import Answer, server_name

__all__ = ["CHUNK", "GReaderBackend"]

CHUNK = 250
"""Item ids sent in one request (``edit-tag``, ``stream/items/contents``)."""


class GReaderBackend:
    """A Google Reader API server at ``url`` (the API root), through
    :class:`~biotui.sync.transport.Transport`. ``password()`` is called only when a login is
    needed; ``token_file`` keeps the session token between processes (mode 0600)."""

    can_subscribe = True

    def __init__(
        self,
        url: str,
        username: str,
        password: Callable[[], str],
        *,
        app_id: str = "",
        app_key: str = "",
        token_file: Path | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.server = server_name(url)
        self._session = Session(
            url.rstrip("/"),
            self.server,
            username,
            password,
            app_id=app_id,
            app_key=app_key,
            token_file=token_file,
            timeout=timeout,
        )
        self._short_ids = False
        self._ids_mode = False

    def login(self) -> None:
        self._session.login()

    def close(self) -> None:
        self._session.close()

    def feeds(self) -> list[RemoteFeed]:
        answer = self._session.call("GET", "subscription/list", query={"output": "json"})
        return subscriptions(answer.json(self.server), self.server)

    def items(self, resume: str | None, oldest: datetime) -> ItemPage:
        if resume is None:
            position = Position(
                mode="ids" if self._ids_mode else "contents", since=int(oldest.timestamp())
            )
        else:
            position = decode(resume, self.server)
        if position.mode == "contents":
            page = contents_page(self._session, position)
            if page is not None:
                return page
            self._ids_mode = True
            position = Position(
                mode="ids", since=position.since if position.first else 0, first=position.first
            )
        return ids_mode_page(self._session, position, self._contents)

    def items_by_id(self, ids: Sequence[str]) -> list[RemoteItem]:
        return [entry.item for entry in self._contents(ids)]

    def _contents(self, ids: Sequence[str]) -> list[ParsedItem]:
        found: list[ParsedItem] = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            answer = self._with_ids("stream/items/contents", chunk, [], query={"output": "json"})
            found.extend(items_of(answer.json(self.server), self.server))
        return found

    def read_state(self) -> ReadState:
        unread = all_ids(self._session, READING_LIST, unread=True)
        starred = all_ids(self._session, STARRED)
        return ReadState(unread=unread, starred=starred)

    def mark(self, ids: Sequence[str], *, read: bool | None, starred: bool | None) -> None:
        changes = [
            (flag, tag) for flag, tag in ((read, READ), (starred, STARRED)) if flag is not None
        ]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            for flag, tag in changes:
                # One tag a request: FreshRSS reads a single ``a`` and a single ``r``.
                self._with_ids("edit-tag", chunk, [("a" if flag else "r", tag)])

    def _with_ids(
        self,
        path: str,
        ids: Sequence[str],
        form: list[tuple[str, str]],
        *,
        query: dict[str, str] | None = None,
    ) -> Answer:
        """A write naming items: in the long form until the server refuses it (HTTP 400), then
        again, and from then on, in the short form."""
        answer = self._session.write(
            path, [*(("i", self._sent(i)) for i in ids), *form], query=query, ok=(200, 400)
        )
        if answer.status == 400 and not self._short_ids and any(short_id(i) != i for i in ids):
            self._short_ids = True
            answer = self._session.write(
                path, [*(("i", self._sent(i)) for i in ids), *form], query=query, ok=(200, 400)
            )
        if answer.status == 400:
            raise SyncError(f"{self.server}: HTTP 400: the server refused the item ids")
        return answer

    def _sent(self, item_id: str) -> str:
        return short_id(item_id) if self._short_ids else item_id

    def subscribe(self, url: str, title: str, tags: Sequence[str]) -> RemoteFeed:
        form = [("ac", "subscribe"), ("s", f"feed/{url}")]
        if title:
            form.append(("t", title))
        if tags:
            # FreshRSS and Miniflux put a feed in one category: the first tag.
            form.append(("a", f"user/-/label/{tags[0]}"))
        self._session.write("subscription/edit", form)
        for feed in self.feeds():
            if feed.url == url or feed.id == f"feed/{url}":
                return feed
        raise SyncError(
            f"{self.server}: subscribed to {url[:200]}, but the server lists no such feed"
        )

    def unsubscribe(self, feed_id: str) -> None:
        self._session.write("subscription/edit", [("ac", "unsubscribe"), ("s", feed_id)])
