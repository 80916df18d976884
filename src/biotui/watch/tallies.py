"""Each watchlist's counts kept between counts and brought up to date by what changed.

A :class:`Tallies` keeps, per saved search, its matches (mute rules applied) in rowid
order with each one's read state and day. Asked again, it reads what changed since
(:meth:`Store.watch.changes <biotui.store.watchmarks.Watchlists.changes>`): the articles
that arrived are matched on their own (rowids above the highest counted), the articles that
marking actions changed are matched again. Whatever it cannot follow that way makes it count
every match again: a changed search text or mute rule, another day offset, an undo, a full
text or a sync stored, identifiers found for stored articles (for searches naming them), a
refresh whose updates are not known to be none, and store totals that the arrivals and the
logged marks do not explain (a deletion, a mark not logged).
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from biotui.store import Store
from biotui.store.watch_counts import DAY_US, Changes, Matches, StoreState, names_identifiers
from biotui.watch.news import Watchlist
from biotui.watch.trend import DAYS

__all__ = ["Tallies", "WatchCount"]

_EVERYTHING = 1 << 62
"""A marking action above any logged one (asks :meth:`changes` for none)."""


@dataclass(frozen=True, slots=True)
class WatchCount:
    """A watchlist's counts: its unread matches, its matches after the bookmark asked for,
    and its matches on each of the last days, oldest first, today last."""

    unread: int
    new: int
    trend: tuple[int, ...]


@dataclass(slots=True)
class _Tally:
    """One search's matches in rowid order, whether each is unread, and each one's day;
    with the number unread and the matches per day from ``floor`` on."""

    query_key: str
    rowids: array[int]
    unread: bytearray
    days: array[int]
    floor: int
    unread_count: int = 0
    by_day: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, query_key: str, found: Matches, floor: int) -> _Tally:
        tally = cls(query_key, array("q"), bytearray(), array("q"), floor)
        tally.append(found)
        return tally

    def append(self, found: Matches) -> None:
        """Add matches above every one held."""
        self.rowids.extend(found.rowids)
        self.unread.extend(found.unread)
        self.days.extend(found.days)
        self.unread_count += sum(found.unread)
        for day in found.days:
            if day >= self.floor:
                self.by_day[day] = self.by_day.get(day, 0) + 1

    def match_again(self, rowids: Sequence[int], found: Matches) -> None:
        """``found`` is what matches among ``rowids`` now: drop or update those held, add
        the others."""
        now = {rowid: i for i, rowid in enumerate(found.rowids)}
        for rowid in rowids:
            at = bisect_left(self.rowids, rowid)
            held = at < len(self.rowids) and self.rowids[at] == rowid
            if held:
                self._count(at, -1)
                del self.rowids[at], self.unread[at], self.days[at]
            i = now.get(rowid)
            if i is not None:
                self.rowids.insert(at, rowid)
                self.unread.insert(at, found.unread[i])
                self.days.insert(at, found.days[i])
                self._count(at, 1)

    def _count(self, at: int, sign: int) -> None:
        self.unread_count += sign * self.unread[at]
        day = self.days[at]
        if day >= self.floor:
            self.by_day[day] = self.by_day.get(day, 0) + sign

    def count(self, bookmark: int, first: int, today: int) -> WatchCount:
        new = len(self.rowids) - bisect_right(self.rowids, bookmark)
        trend = tuple(self.by_day.get(day, 0) for day in range(first, today + 1))
        return WatchCount(self.unread_count, new, trend)


class Tallies:
    """The watchlists' counts of one process, kept between counts (thread-safe: one count
    at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tallies: dict[str, _Tally] = {}
        self._state: StoreState | None = None
        self._high_id: str | None = None
        self._rules: tuple[str, ...] = ()
        self._offset = 0
        self._updated: int | None = None
        self.full_counts = 0
        """Searches counted whole so far (every match read again)."""

    def refreshed(self, updated: int) -> None:
        """This process's refresh ended having updated ``updated`` stored articles: without
        this, a refresh seen in the store is one whose updates are unknown."""
        with self._lock:
            self._updated = (self._updated or 0) + updated

    def counts(
        self,
        store: Store,
        lists: Sequence[Watchlist],
        rules: tuple[str, ...],
        bookmarks: dict[str, int],
        now: datetime | None = None,
    ) -> dict[str, WatchCount]:
        """The counts of ``lists`` (with the store's mute rules, whose texts are ``rules``),
        their matches after ``bookmarks[name]``, and their days ending today by ``now``
        (aware; default the local time)."""
        now = now or datetime.now().astimezone()
        offset = now.utcoffset()
        offset_us = 0 if offset is None else offset // timedelta(microseconds=1)
        today = (int(now.timestamp() * 1_000_000) + offset_us) // DAY_US
        first = today - DAYS + 1
        with self._lock:
            if rules != self._rules or offset_us != self._offset:
                self._forget()
            self._rules, self._offset = rules, offset_us
            self._update(store, lists, first)
            return {
                watchlist.name: self._tallies[watchlist.name].count(
                    bookmarks.get(watchlist.name, 0), first, today
                )
                for watchlist in lists
            }

    def _forget(self) -> None:
        self._tallies.clear()
        self._state = None

    def _update(self, store: Store, lists: Sequence[Watchlist], first: int) -> None:
        old = self._state
        seen = self._tallies
        if old is None:
            changes = store.watch.changes(0, _EVERYTHING)
        else:
            changes = store.watch.changes(old.high, old.action)
            if not self._follows(old, changes):
                seen = {}
                changes = store.watch.changes(0, _EVERYTHING)
        self._updated = None
        state = changes.state
        kept: dict[str, _Tally] = {}
        for watchlist in lists:
            key = repr(watchlist.query)
            tally = seen.get(watchlist.name)
            if (
                old is None
                or tally is None
                or tally.query_key != key
                or tally.floor > first
                or (names_identifiers(watchlist.query) and old.identifiers != state.identifiers)
                or (names_identifiers(watchlist.query) and state.identifiers[0])
            ):
                found = store.watch.matches(watchlist.query, 0, state.high, self._offset)
                tally = _Tally.of(key, found, first)
                self.full_counts += 1
            else:
                self._bring_up(store, watchlist, tally, old.high, changes)
            kept[watchlist.name] = tally
        self._tallies = kept
        self._state = state
        self._high_id = changes.high_id

    def _follows(self, old: StoreState, changes: Changes) -> bool:
        """True when ``changes`` explain every way the store moved since ``old``."""
        state = changes.state
        return (
            changes.id_at == self._high_id
            and state.action >= old.action
            and state.undone == old.undone
            and state.others == old.others
            and not self._updated
            and (state.refreshed == old.refreshed or self._updated == 0)
            and state.total == old.total + changes.arrived
            and state.unread == old.unread + changes.arrived_unread + changes.unread_change
            and state.starred == old.starred + changes.arrived_starred + changes.starred_change
        )

    def _bring_up(
        self, store: Store, watchlist: Watchlist, tally: _Tally, high: int, changes: Changes
    ) -> None:
        """Match what arrived above ``high`` and again what was marked at or below it."""
        top = changes.state.high
        if top > high:
            tally.append(store.watch.matches(watchlist.query, high, top, self._offset))
        marked = [rowid for rowid in changes.marked if rowid <= high]
        if marked:
            found = store.watch.matches(watchlist.query, marked[0] - 1, marked[-1], self._offset)
            tally.match_again(marked, found)
