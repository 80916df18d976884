"""A watchlist's matches per day over the last days, and the sparkline the side panel shows.

Days are local calendar days (the local time's offset from UTC now), an article's day that
of its publication time, or of the time it was stored when it has none (``sort_time``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from biotui.store import Store
from biotui.store.watchmarks import DAY_US
from biotui.watch.news import Watchlist

__all__ = ["BLOCKS", "DAYS", "SPARK_CELLS", "daily_counts", "sparkline", "trend_days"]

DAYS = 30
"""The days a trend covers, today included."""

SPARK_CELLS = 15
"""Characters of the side panel's sparkline: two days a character (the panel is narrow)."""

BLOCKS = "▁▂▃▄▅▆▇█"
"""The sparkline's levels, lowest (no match) to highest."""


def daily_counts(
    store: Store,
    watchlist: Watchlist,
    *,
    days: int = DAYS,
    now: datetime | None = None,
    rowids: Sequence[int] | None = None,
) -> tuple[int, ...]:
    """``watchlist``'s matches on each of the last ``days`` days, oldest first, today last;
    ``now`` (aware; default the local time) says which day is today and the offset of its
    days from UTC. ``rowids``: the watchlist's listing (newest first) when already read."""
    now = now or datetime.now().astimezone()
    offset = now.utcoffset()
    offset_us = 0 if offset is None else offset // timedelta(microseconds=1)
    today = (int(now.timestamp() * 1_000_000) + offset_us) // DAY_US
    first = today - days + 1
    if rowids is None:
        rowids = store.headline_ids(watchlist.query)
    counts = store.watch.days(rowids, first, offset_us)
    return tuple(counts.get(day, 0) for day in range(first, today + 1))


def trend_days(now: datetime | None = None, days: int = DAYS) -> list[date]:
    """The dates of :func:`daily_counts`' days, oldest first."""
    today = (now or datetime.now().astimezone()).date()
    return [today - timedelta(days=back) for back in range(days - 1, -1, -1)]


def sparkline(counts: Sequence[int], cells: int = SPARK_CELLS) -> str:
    """``counts`` drawn in ``cells`` block characters (consecutive counts summed per cell,
    the oldest cell taking any remainder): the lowest block for none, any match at least
    the second, the busiest cell the full block."""
    if not counts or cells <= 0:
        return ""
    per_cell = -(-len(counts) // cells)
    sums: list[int] = []
    end = len(counts)
    while end > 0:
        sums.append(sum(counts[max(0, end - per_cell) : end]))
        end -= per_cell
    sums.reverse()
    top = max(sums)
    if top == 0:
        return BLOCKS[0] * len(sums)
    levels = len(BLOCKS) - 1
    return "".join(BLOCKS[0] if n == 0 else BLOCKS[max(1, -(-n * levels // top))] for n in sums)
