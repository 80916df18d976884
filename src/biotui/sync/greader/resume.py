"""Where a Google Reader sync goes on: the opaque ``resume`` string of an
:class:`~biotui.sync.backend.ItemPage`, within a pass over the reading list (its continuation)
and from one pass to the next (where the next pass starts).

Two ways through the reading list, one per server kind:

- ``contents`` (FreshRSS, Inoreader, The Old Reader, BazQux): ``stream/contents`` newest first
  from ``ot`` = ``since`` (seconds, crawl time). The next pass starts a second before the newest
  crawl seen, and ``edge`` holds the ids already had from that second on, so that nothing comes
  twice and nothing crawled during a pass is missed.
- ``ids`` (Miniflux, which has no ``stream/contents``): ``stream/items/ids`` newest first, whose
  ids are increasing numbers: a pass stops at ``floor``, the newest id of the passes before, and
  keeps below ``low`` (the oldest of this pass) so that items shifted by an offset continuation
  do not come twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from biotui.sync.backend import SyncError

__all__ = ["Position", "decode", "encode"]

EDGE_MOST = 5000
"""The most ids an edge holds (a server crawls no more in two seconds for one user)."""


@dataclass(frozen=True, slots=True)
class Position:
    """Where the next page of the reading list starts. ``first`` marks the first pass (its
    items are kept only when published after ``since``); ``pages`` and ``last`` (a digest of
    the last page's ids) bound a pass whose continuation never ends."""

    mode: str = "contents"
    since: int = 0
    cont: str = ""
    first: bool = True
    pages: int = 0
    last: str = ""
    top: int = 0
    edge: tuple[tuple[str, int], ...] = ()
    floor: int = -1
    low: int = -1

    def next_page(self, cont: str, last: str) -> Position:
        return replace(self, cont=cont, pages=self.pages + 1, last=last)


def encode(position: Position) -> str:
    return json.dumps(
        {
            "m": position.mode,
            "s": position.since,
            "c": position.cont,
            "f": position.first,
            "p": position.pages,
            "l": position.last,
            "t": position.top,
            "e": [list(pair) for pair in position.edge],
            "fl": position.floor,
            "lo": position.low,
        },
        separators=(",", ":"),
    )


def decode(resume: str, server: str) -> Position:
    """The position a ``resume`` string holds; SyncError naming ``server`` when it is not one
    this backend made."""
    try:
        data: Any = json.loads(resume)
        edge = tuple((str(i), int(s)) for i, s in data["e"])
        position = Position(
            mode=data["m"],
            since=int(data["s"]),
            cont=str(data["c"]),
            first=bool(data["f"]),
            pages=int(data["p"]),
            last=str(data["l"]),
            top=int(data["t"]),
            edge=edge,
            floor=int(data["fl"]),
            low=int(data["lo"]),
        )
    except (ValueError, TypeError, KeyError, RecursionError):
        position = Position(mode="")
    if position.mode not in ("contents", "ids"):
        raise SyncError(f"{server}: the stored sync position is not one this version made")
    return position
