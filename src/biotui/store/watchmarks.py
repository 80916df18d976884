"""Watchlists' bookmarks (``watch_marks``, schema 8) and the daily counts of their trends.

A saved search read as a watchlist has a bookmark per reader (the app, ``biotui list
--new``): the highest ``articles.rowid`` that reader has seen of it. An article arrives with
a rowid above every stored one, so "new since the bookmark" is "rowid above it", a cheap and
exact test that no clock can upset. The one exception, the newest article deleted (its rowid
would be given again), is seen to by a trigger that lowers the bookmarks (see
:mod:`biotui.store.schema`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from biotui.store import watch_counts
from biotui.store.connections import Connections
from biotui.store.query import IndexQuery
from biotui.store.watch_counts import Changes, Matches

__all__ = ["DAY_US", "Watchlists"]

DAY_US = 86_400_000_000
"""A day in the microseconds of ``sort_time``."""

_CHUNK = 1_000
"""Rowids whose times are read per statement while counting a trend's days."""

_DAYS = f"""
SELECT (sort_time + ?) / {DAY_US}, count(*) FROM articles
WHERE rowid IN (SELECT value FROM json_each(?)) GROUP BY 1
"""


class Watchlists:
    """The bookmarks of ``db``'s watchlists, the days their matches fall on, and what
    keeping their counts up to date reads (:mod:`.watch_counts`)."""

    def __init__(self, db: Connections, mute: tuple[IndexQuery, ...] = ()) -> None:
        """Work on the store's connections ``db``, with the store's mute rules ``mute``."""
        self._db = db
        self._mute = mute

    def changes(self, after: int, action: int) -> Changes:
        """The store's state, what arrived above rowid ``after`` and what the marking actions
        after ``action`` changed, in one snapshot (see :func:`.watch_counts.changes`)."""
        with self._db.errors("cannot read what changed") as conn:
            return watch_counts.changes(conn, after, action)

    def matches(self, query: IndexQuery | None, low: int, high: int, offset_us: int = 0) -> Matches:
        """``query``'s matches with a rowid in ``(low, high]``, less what the mute rules hide,
        in rowid order, with each one's read state and day (see :func:`.watch_counts.matches`)."""
        with self._db.errors("cannot count a watchlist") as conn:
            return watch_counts.matches(conn, query, self._mute, low, high, offset_us)

    def high_water(self) -> int:
        """The highest rowid stored (0 for an empty store): what a bookmark set now holds."""
        with self._db.errors("cannot read articles") as conn:
            return int(conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0])

    def bookmarks(self, reader: str) -> dict[str, int]:
        """``search -> highest rowid seen`` for every watchlist ``reader`` has a bookmark of."""
        with self._db.errors("cannot read watchlist bookmarks") as conn:
            rows = conn.execute("SELECT search, seen FROM watch_marks WHERE reader = ?", (reader,))
            return {search: int(seen) for search, seen in rows}

    def start(self, reader: str, searches: Sequence[str]) -> dict[str, int]:
        """Give each of ``searches`` that ``reader`` has no bookmark of one at the highest
        rowid stored (nothing stored so far is new to it), in one transaction, and return
        ``reader``'s bookmarks of ``searches``."""
        with self._db.write("cannot save watchlist bookmarks") as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO watch_marks (search, reader, seen)"
                " SELECT ?, ?, coalesce(max(rowid), 0) FROM articles",
                [(search, reader) for search in searches],
            )
            rows = conn.execute("SELECT search, seen FROM watch_marks WHERE reader = ?", (reader,))
            wanted = set(searches)
            return {search: int(seen) for search, seen in rows if search in wanted}

    def set_bookmark(self, reader: str, search: str, seen: int) -> None:
        """Remember that ``reader`` has seen ``search``'s matches up to rowid ``seen``."""
        with self._db.write("cannot save a watchlist bookmark") as conn:
            conn.execute(
                "INSERT INTO watch_marks (search, reader, seen) VALUES (?, ?, ?)"
                " ON CONFLICT (search, reader) DO UPDATE SET seen = excluded.seen",
                (search, reader, seen),
            )

    def days(self, rowids: Sequence[int], first_day: int, offset_us: int = 0) -> dict[int, int]:
        """How many of ``rowids`` (newest first, as a listing gives them) fall on each day
        from day number ``first_day`` on, by ``sort_time`` (the publication time, or the time
        stored when there is none): ``day number -> count``. An article's day number is
        ``(sort_time + offset_us) // DAY_US``, ``offset_us`` being the local time's offset
        from UTC.

        Reads the times a chunk at a time and stops after the first chunk reaching back
        before ``first_day``: the cost follows the recent matches, not every match."""
        counts: dict[int, int] = {}
        with self._db.errors("cannot count a watchlist's days") as conn:
            for start in range(0, len(rowids), _CHUNK):
                chunk = json.dumps(list(rowids[start : start + _CHUNK]))
                reached_back = False
                for day, count in conn.execute(_DAYS, (offset_us, chunk)):
                    if int(day) >= first_day:
                        counts[int(day)] = counts.get(int(day), 0) + int(count)
                    else:
                        reached_back = True
                if reached_back:
                    break
        return counts
