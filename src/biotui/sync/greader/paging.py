"""The reading list a page at a time (see :mod:`.resume` for the two ways through it),
and the read and starred id sets, followed through their continuations.

A continuation that does not move on (the same one again, the same page again, more pages than
any user has) stops with SyncError naming the server, never a loop.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace

from biotui.sync.backend import ItemPage, RemoteItem, SyncError
from biotui.sync.greader.ids import READ, READING_LIST, canonical_id
from biotui.sync.greader.items import ParsedItem, continuation, ids_page, items_of
from biotui.sync.greader.resume import EDGE_MOST, Position, encode
from biotui.sync.greader.session import Session

__all__ = ["MAX_PAGES", "PAGE", "all_ids", "contents_page", "ids_mode_page"]

PAGE = 100
"""Items asked for a page of the reading list (memory holds one page)."""
ID_PAGE = 10000
"""Ids asked for a page of the read state (servers cap it; the continuation goes on)."""
MAX_PAGES = 20000
"""The most pages one pass or one id set may take before it is called endless."""

Fetch = Callable[[Sequence[str]], list[ParsedItem]]


def _digest(ids: Sequence[str]) -> str:
    return hashlib.sha1("\n".join(sorted(ids)).encode()).hexdigest()[:16]


def _check(server: str, what: str, position: Position, cont: str, last: str) -> None:
    if position.pages + 1 >= MAX_PAGES:
        raise SyncError(f"{server}: {what} did not end after {MAX_PAGES:,} pages; stopped")
    if cont and (cont == position.cont or last == position.last):
        raise SyncError(f"{server}: {what} gives the same page again and again; stopped")


def _kept(parsed: list[ParsedItem], position: Position) -> list[RemoteItem]:
    """The page's items not had before, and (in a first pass) not older than the history."""
    had = {item_id for item_id, _ in position.edge}
    bound = position.since if position.first else None
    kept: list[RemoteItem] = []
    for entry in parsed:
        item = entry.item
        if item.id in had:
            continue
        had.add(item.id)
        if bound is not None and item.published and item.published.timestamp() < bound:
            continue
        kept.append(item)
    return kept


def contents_page(session: Session, position: Position) -> ItemPage | None:
    """The next page through ``stream/contents``; None when the server has no such stream
    (Miniflux answers ``[]``): the reading list must then be read through its ids."""
    query = [("output", "json"), ("n", str(PAGE)), ("ot", str(position.since))]
    if position.cont:
        query.append(("c", position.cont))
    answer = session.call("GET", f"stream/contents/{READING_LIST}", query=query).json(
        session.server
    )
    if answer == []:
        return None
    parsed = list(items_of(answer, session.server))
    cont = continuation(answer)
    last = _digest([entry.item.id for entry in parsed])
    _check(session.server, "the reading list", position, cont, last)
    items = _kept(parsed, position)
    top = max([position.top, *(entry.crawled_ms // 1000 for entry in parsed)])
    seen = [*position.edge, *((entry.item.id, entry.crawled_ms // 1000) for entry in parsed)]
    near = tuple(pair for pair in seen if pair[1] >= top - 1)[-EDGE_MOST:]
    if cont and parsed:
        following = replace(position.next_page(cont, last), top=top, edge=near)
        return ItemPage(tuple(items), encode(following), done=False)
    since = max(position.since, top - 1)
    finished = Position(mode="contents", since=since, first=False, top=top, edge=near)
    return ItemPage(tuple(items), encode(finished), done=True)


def ids_mode_page(session: Session, position: Position, fetch: Fetch) -> ItemPage:
    """The next page through ``stream/items/ids`` and ``stream/items/contents``."""
    query = [("output", "json"), ("s", READING_LIST), ("n", str(PAGE))]
    if position.first and position.since:
        query.append(("ot", str(position.since)))
    if position.cont:
        query.append(("c", position.cont))
    raw, cont = ids_page(
        session.call("GET", "stream/items/ids", query=query).json(session.server), session.server
    )
    _check(session.server, "the reading list", position, cont, _digest(raw))
    numbers: list[int] = []
    for value in raw:
        number = _number(value)
        if number is None:
            raise SyncError(
                f"{session.server}: the reading list's ids are not numbers: {value[:40]!r}"
            )
        numbers.append(number)
    wanted = [
        value
        for value, number in zip(raw, numbers, strict=True)
        if number > position.floor and (position.low < 0 or number < position.low)
    ]
    items = _kept(fetch(wanted), position) if wanted else []
    low = min([*numbers, position.low] if position.low >= 0 else numbers, default=position.low)
    top = max([position.top, *numbers])
    if cont and numbers and min(numbers) > position.floor:
        following = replace(position.next_page(cont, _digest(raw)), top=top, low=low)
        return ItemPage(tuple(items), encode(following), done=False)
    finished = Position(mode="ids", first=False, top=top, floor=max(top, position.floor))
    return ItemPage(tuple(items), encode(finished), done=True)


def _number(value: str) -> int | None:
    if value.isascii() and value.isdigit() and len(value) < 20:
        return int(value)
    return None


def all_ids(session: Session, stream: str, *, unread: bool = False) -> frozenset[str]:
    """Every id of ``stream`` (only the unread ones when asked), in the canonical form."""
    what = "the unread ids" if unread else "the starred ids"
    found: set[str] = set()
    position = Position()
    while True:
        query = [("output", "json"), ("s", stream), ("n", str(ID_PAGE))]
        if unread:
            query.append(("xt", READ))
        if position.cont:
            query.append(("c", position.cont))
        answer = session.call("GET", "stream/items/ids", query=query).json(session.server)
        raw, cont = ids_page(answer, session.server)
        before = len(found)
        found.update(canonical_id(value) for value in raw)
        if not cont or not raw:
            return frozenset(found)
        if position.pages + 1 >= MAX_PAGES:
            raise SyncError(
                f"{session.server}: {what} did not end after {MAX_PAGES:,} pages; stopped"
            )
        if cont == position.cont or len(found) == before:
            raise SyncError(f"{session.server}: {what} give the same page again and again; stopped")
        position = position.next_page(cont, "")
