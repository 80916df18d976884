"""Where a Fever sync goes on: the ``resume`` string of an :class:`~biotui.sync.backend.
ItemPage`, and the checks that keep paging honest whatever order a server answers in.

FreshRSS and Miniflux answer ``max_id`` newest first and ``since_id`` oldest first: a first
sync walks back from the newest item until a page holds only items older than the history
bound, then goes forward from the highest id it saw. Coldsweat orders neither (it answers feed
by feed, so a full ``since_id`` page may leave out lower ids of another feed): the first
``max_id`` page tells which kind a server is. On a server out of order a first sync goes
forward from the start, leaving out old items, and a full page is replaced by the next 50 ids
asked by number (``with_ids``): nothing is missed, nothing given twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Literal

from biotui.sync.backend import RemoteItem, SyncError
from biotui.sync.fever.answers import MAX_ID, id_number

__all__ = ["PAGE", "Position", "check_range", "kept", "order_of", "recent"]

PAGE = 50
"""The most items a Fever server answers at a time."""

Mode = Literal["back", "scan", "next"]
Order = Literal["ordered", "unordered", "unknown"]
_PREFIX = "fever"
_ORDERS: dict[str, Order] = {"o": "ordered", "u": "unordered", "?": "unknown"}
_MARKS = {order: mark for mark, order in _ORDERS.items()}


@dataclass(frozen=True, slots=True)
class Position:
    """``back``: walking back below ``below``, forward later from ``since`` (the highest id
    seen); ``scan``: a first sync going forward from ``since``, leaving out old items;
    ``next``: forward from ``since``, every item. ``order``: whether the server answers in
    id order (see the module's docstring)."""

    mode: Mode
    since: int = 0
    below: int = MAX_ID
    order: Order = "unknown"

    def encode(self) -> str:
        """The opaque ``resume`` string."""
        return f"{_PREFIX}:{self.mode}:{self.since}:{self.below}:{_MARKS[self.order]}"

    @staticmethod
    def decode(resume: str | None) -> Position:
        """The position ``resume`` names; a first sync's start for None or for a string this
        backend did not make (a store kept from another server starts over)."""
        start = Position("back")
        if not resume:
            return start
        parts = resume.split(":")
        if len(parts) != 5 or parts[0] != _PREFIX or not all(p.isdigit() for p in parts[2:4]):
            return start
        since, below, order = int(parts[2]), int(parts[3]), _ORDERS.get(parts[4])
        if since > MAX_ID or below > MAX_ID or order is None:
            return start
        if parts[1] == "back":
            return Position("back", since, below, order)
        if parts[1] in ("scan", "next"):
            return Position("scan" if parts[1] == "scan" else "next", since, MAX_ID, order)
        return start


def check_range(
    items: Sequence[RemoteItem], server: str, *, above: int = 0, below: int = MAX_ID + 1
) -> list[int]:
    """The items' id numbers, each of which must lie strictly between ``above`` and
    ``below`` (a server answering outside what was asked, or the same page again, would
    never end)."""
    numbers = [id_number(item.id) for item in items]
    if any(not above < number < below for number in numbers):
        raise SyncError(f"{server}: the server answered items outside the range asked for")
    return numbers


def order_of(newest_first: Sequence[int]) -> Order:
    """What the ids of a first ``max_id`` page say of the server's order."""
    if len(newest_first) < 2:
        return "unknown"
    return "ordered" if all(b < a for a, b in pairwise(newest_first)) else "unordered"


def recent(item: RemoteItem, oldest: datetime) -> bool:
    """Whether ``item`` is within the history (undated items are)."""
    return item.published is None or item.published >= oldest


def kept(items: Iterable[RemoteItem], oldest: datetime | None) -> tuple[RemoteItem, ...]:
    """The items of a page to give: all of them, or (``oldest`` set) the recent and the
    starred ones, each id once."""
    seen: set[str] = set()
    result = []
    for item in items:
        if item.id in seen or (oldest is not None and not (item.starred or recent(item, oldest))):
            continue
        seen.add(item.id)
        result.append(item)
    return tuple(result)
