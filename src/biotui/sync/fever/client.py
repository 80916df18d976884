"""The Fever API (FreshRSS, Miniflux, Coldsweat) as a :class:`~biotui.sync.backend.Backend`.

Every call is a form POST to ``{url}?api&<command>`` carrying ``api_key``, the md5 of
``username:password``: computed in memory when first needed, never written, logged or put in
an error. A refused key still answers HTTP 200, with ``{"auth": 0}``: that is a
:class:`SyncAuthError`. One command a request (Miniflux answers only the first it knows).
Fever has no subscribe call (the server's own pages add feeds) and marks one item and one
flag a request. How items are paged is in :mod:`.paging`; how answers are read, in
:mod:`.answers`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from biotui.sync.backend import (
    ItemPage,
    ReadState,
    RemoteFeed,
    RemoteItem,
    SyncError,
    Unsupported,
)
from biotui.sync.fever.answers import (
    MAX_ID,
    fever_object,
    read_feeds,
    read_id,
    read_id_list,
    read_items,
)
from biotui.sync.fever.paging import PAGE, Position, check_range, kept, order_of, recent
from biotui.sync.transport import Transport, server_name

__all__ = ["FeverBackend"]

_NO_SUBSCRIBE = "Fever cannot subscribe: add the feed on the server"
_NO_UNSUBSCRIBE = "Fever cannot unsubscribe: remove the feed on the server"


class FeverBackend:
    """A Fever server at ``url`` (the endpoint: ``https://host/api/fever.php``,
    ``https://host/fever/``, Coldsweat's ``http://host:port/fever/``); ``password`` is called
    once, when the first request needs the key."""

    can_subscribe = False

    def __init__(
        self,
        url: str,
        username: str,
        password: Callable[[], str],
        *,
        timeout: float = 30.0,
    ) -> None:
        parts = urlsplit(url)
        self._endpoint = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        self.server = server_name(url)
        self._username = username
        self._password = password
        self._key = ""
        self._transport = Transport(self.server, timeout=timeout)

    def _api_key(self) -> str:
        if not self._key:
            secret = f"{self._username}:{self._password()}"
            self._key = hashlib.md5(secret.encode(), usedforsecurity=False).hexdigest()
        return self._key

    def _call(
        self,
        *command: str,
        query: Mapping[str, str] | None = None,
        form: Sequence[tuple[str, str]] = (),
        gone: bool = False,
    ) -> Mapping[str, Any] | None:
        """One request; its answer, or None when ``gone`` and the server answered 404 (an
        item it no longer holds)."""
        answer = self._transport.request(
            "POST",
            f"{self._endpoint}?{'&'.join(('api', *command))}",
            query=query,
            form=[("api_key", self._api_key()), *form],
            ok=(200, 404) if gone else (200,),
        )
        if answer.status == 404:
            return None
        return fever_object(answer.json(self.server), self.server)

    def _answer(self, *command: str, query: Mapping[str, str] | None = None) -> Mapping[str, Any]:
        answer = self._call(*command, query=query)
        assert answer is not None  # only a call allowing 404 answers None
        return answer

    def login(self) -> None:
        """Check the key (Fever sends it with every request: no session to open)."""
        self._answer()

    def feeds(self) -> list[RemoteFeed]:
        """Every feed, its groups as tags (two requests: groups, then feeds)."""
        groups = self._answer("groups")
        return read_feeds(self._answer("feeds"), groups, self.server)

    def items(self, resume: str | None, oldest: datetime) -> ItemPage:
        """The next page of at most 50 items (see :mod:`.paging`)."""
        position = Position.decode(resume)
        if position.mode == "back":
            return self._walk_back(position, oldest)
        return self._forward(position, oldest if position.mode == "scan" else None)

    def _page(self, name: str, number: int) -> list[RemoteItem]:
        answer = self._answer("items", query={name: str(number)})
        return read_items(answer, self.server)

    def _walk_back(self, position: Position, oldest: datetime) -> ItemPage:
        got = self._page("max_id", position.below)
        numbers = check_range(got, self.server, below=position.below)
        order = order_of(numbers) if position.below == MAX_ID else position.order
        if order == "unordered":
            return ItemPage((), Position("scan", order=order).encode(), done=False)
        if order_of(numbers) == "unordered":
            raise SyncError(f"{self.server}: the server answered items out of order")
        top = max([position.since, *numbers])
        if len(got) < PAGE or not any(recent(item, oldest) for item in got):
            after = Position("next", top, order=order)
        else:
            after = Position("back", top, min(numbers), order)
        return ItemPage(kept(got, oldest), after.encode(), done=False)

    def _forward(self, position: Position, oldest: datetime | None) -> ItemPage:
        since, order = position.since, position.order
        got = self._page("since_id", since)
        numbers = check_range(got, self.server, above=since)
        if len(got) >= PAGE and order == "unknown":
            order = order_of(check_range(self._page("max_id", MAX_ID), self.server))
        if len(got) >= PAGE and order != "ordered":
            window = range(since + 1, since + PAGE + 1)
            got = self._with_ids(str(number) for number in window)
            check_range(got, self.server, above=since, below=window.stop)
            last, done = window[-1], False
        else:
            last, done = max([since, *numbers]), len(got) < PAGE
        mode = "next" if done or position.mode == "next" else position.mode
        after = Position(mode, last, order=order)
        return ItemPage(kept(got, oldest), after.encode(), done=done)

    def _with_ids(self, ids: Iterable[str]) -> list[RemoteItem]:
        joined = ",".join(ids)
        return read_items(self._answer("items", query={"with_ids": joined}), self.server)

    def items_by_id(self, ids: Sequence[str]) -> list[RemoteItem]:
        """The items of ``ids``, 50 a request; ids the server does not hold are left out."""
        wanted = list(dict.fromkeys(_valid_ids(ids)))
        found: dict[str, RemoteItem] = {}
        for start in range(0, len(wanted), PAGE):
            chunk = wanted[start : start + PAGE]
            for item in self._with_ids(chunk):
                if item.id in chunk:
                    found.setdefault(item.id, item)
        return list(found.values())

    def _id_set(self, name: str) -> frozenset[str]:
        answer = self._answer(name)
        if name not in answer:
            raise SyncError(f"{self.server}: the answer's {name!r} is missing")
        return read_id_list(answer[name], self.server, name)

    def read_state(self) -> ReadState:
        """The unread and the saved ids (two requests, each the full list)."""
        return ReadState(self._id_set("unread_item_ids"), self._id_set("saved_item_ids"))

    def mark(self, ids: Sequence[str], *, read: bool | None, starred: bool | None) -> None:
        """Set the flags on ``ids``: one request per flag for the server's current set, then
        one request per item whose flag differs (Fever marks one item a request; Miniflux
        toggles a star, so an item already as asked must not be sent). An item the server no
        longer holds (404) is skipped."""
        wanted = list(dict.fromkeys(_valid_ids(ids)))
        if not wanted:
            return
        if read is not None:
            unread = self._id_set("unread_item_ids")
            changed = [i for i in wanted if (i in unread) == read]
            self._mark_each(changed, "read" if read else "unread")
        if starred is not None:
            saved = self._id_set("saved_item_ids")
            changed = [i for i in wanted if (i in saved) != starred]
            self._mark_each(changed, "saved" if starred else "unsaved")

    def _mark_each(self, ids: Iterable[str], status: str) -> None:
        for item_id in ids:
            self._call(form=[("mark", "item"), ("as", status), ("id", item_id)], gone=True)

    def subscribe(self, url: str, title: str, tags: Sequence[str]) -> RemoteFeed:
        """Fever has no subscribe call."""
        raise Unsupported(f"{self.server}: {_NO_SUBSCRIBE}")

    def unsubscribe(self, feed_id: str) -> None:
        """Fever has no unsubscribe call."""
        raise Unsupported(f"{self.server}: {_NO_UNSUBSCRIBE}")

    def close(self) -> None:
        """Close the connections."""
        self._transport.close()


def _valid_ids(ids: Iterable[str]) -> Iterable[str]:
    """The ids that are Fever ids (others cannot be on the server)."""
    for item_id in ids:
        try:
            yield read_id(item_id, "")
        except SyncError:
            continue
