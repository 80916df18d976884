"""Rowids of the articles a filter keeps, in display order, and how many there are.

Everything is SQL. A full-text query is asked of the index once; its matches go to the
connection's temporary tables (:mod:`biotui.store.match_tables`), which the listing and its
count then read. In the newest order SQLite reads the matches by rowid and sorts them, or,
for many matches and a ``limit`` (the first rows only), walks the newest-first index and
stops at the limit, so that cost does not grow with the store (:data:`SQL_SORT_LIMIT`).
Exclusions alone keep nearly every article: the index is walked.

Relevance order is bm25 in SQL over every match; ``rank_limit`` lets a caller skip it when
there are too many matches. A query naming identifiers has no full-text rank: newest first.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from biotui.store import feeds
from biotui.store.connections import Connection
from biotui.store.match_tables import MATCHED, Matches, find
from biotui.store.muted import muted_among, muted_count
from biotui.store.muting import KEPT_ALL, Muting
from biotui.store.query import (
    FeedFilter,
    IndexQuery,
    Order,
    count_sql,
    newest_among_sql,
    newest_sql,
    relevance_sql,
)

__all__ = [
    "SQL_SORT_LIMIT",
    "Listing",
    "count_ids",
    "list_ids",
]

SQL_SORT_LIMIT = 20_000
"""Above this many full-text matches, the first rows of a listing come sooner from a walk of
the newest-first index than from sorting every match."""

_Filters = tuple[bool, bool, FeedFilter, Muting]
"""unread_only, starred_only, feed, and what mute rules hide (or keep alone)."""


@dataclass(frozen=True, slots=True)
class Listing:
    """Rowids in display order, and whether that order is relevance (else newest first)."""

    ids: array[int]
    ranked: bool
    listed: int | None = None
    """How many articles pass the filter, folded ones included (when asked for)."""


def list_ids(
    conn: Connection,
    query: IndexQuery | None,
    filters: _Filters,
    order: Order,
    rank_limit: int | None,
    limit: int | None = None,
    folded: bool = False,
    counted: bool = False,
) -> Listing:
    """The rowids passing ``query`` and ``filters`` (see :meth:`Store.list_ids`), the first
    ``limit`` of them (None: all); ``folded``: each story once, as its earliest listed
    article (in SQL, never through a whole newest-first list); ``counted``: with how many
    articles pass (``Listing.listed``, as :func:`count_ids` says, from the same matches)."""
    if order not in ("newest", "relevance"):
        raise ValueError(f"unknown order {order!r}")
    if query is None or (query.match is None and query.exclude is None):
        listed = count_ids(conn, None, filters) if counted else None
        ids = _ids(conn, *newest_sql(*filters, limit=limit, folded=folded))
        return Listing(ids, False, listed)
    matches = find(conn, query.match, query.exclude) if counted or rank_limit is not None else None
    listed = _count_matches(conn, matches, filters) if matches is not None and counted else None
    ranks = rank_limit is None or matches is None or (matches.found or 0) <= rank_limit
    if order == "relevance" and isinstance(query.match, str) and ranks:  # bm25 ranks matches
        sql, params = relevance_sql(query, *filters, limit=limit, folded=folded)
        return Listing(_ids(conn, sql, params), True, listed)
    if matches is None:
        matches = find(conn, query.match, query.exclude)
    return Listing(_in_sql(conn, matches, filters, limit, folded=folded), False, listed)


def _in_sql(
    conn: Connection,
    matches: Matches,
    filters: _Filters,
    limit: int | None,
    *,
    folded: bool = False,
) -> array[int]:
    """The rowids of ``matches`` passing ``filters``, newest first (the first ``limit``), all
    in SQL; ``folded`` as in :func:`list_ids`."""
    walk = _walks(matches, limit)
    sql, params = newest_among_sql(
        matches.matched, matches.excluding, *filters, walk=walk, limit=limit, folded=folded
    )
    return _ids(conn, sql, params)


def _walks(matches: Matches, limit: int | None) -> bool:
    """Whether SQLite should walk the newest-first index, keeping the matches (rather than
    read the matches and sort them): for exclusions, and for many matches when it may stop
    at a limit (without one, the walk would read the whole store)."""
    if matches.found is None:
        return True
    return limit is not None and matches.found > SQL_SORT_LIMIT


def count_ids(conn: Connection, query: IndexQuery | None, filters: _Filters) -> int:
    """How many rowids :func:`list_ids` gives; without a full-text condition, from the
    counts table."""
    if query is None or (query.match is None and query.exclude is None):
        unread_only, starred_only, feed, muting = filters
        if muting.only and muting.kept == KEPT_ALL:  # a starred article is never muted
            return 0 if starred_only else muted_count(conn, unread_only, feed)
        if muting.only:
            sql, params = count_sql(False, False, *filters)
            return int(conn.execute(sql, params).fetchone()[0])
        total = feeds.count(conn, unread_only=unread_only, starred_only=starred_only, feed=feed)
        if muting.rules and not starred_only and muting.kept == KEPT_ALL:
            total -= muted_count(conn, unread_only, feed)
        elif muting.rules and not starred_only:
            sql, params = count_sql(False, False, unread_only, False, feed, muting.hidden())
            total -= int(conn.execute(sql, params).fetchone()[0])
        return total
    return _count_matches(conn, find(conn, query.match, query.exclude), filters)


def _count_matches(conn: Connection, matches: Matches, filters: _Filters) -> int:
    """How many of ``matches`` pass ``filters``."""
    muting = filters[3]
    if (
        matches.found is not None
        and not matches.excluding
        and filters[:3] == (False, False, None)
        and not muting.only
    ):
        # Every match counts but the muted ones: those are the few to look up.
        if not muting.active:
            return matches.found
        if muting.kept:
            return matches.found - muted_among(conn, MATCHED, muting.kept)
    sql, params = count_sql(matches.matched, matches.excluding, *filters)
    return int(conn.execute(sql, params).fetchone()[0])


_BATCH = 4096
"""Rows of a listing read at once."""


ROWIDS = "i"
"""The type of a listing's rowid array: four bytes a row while every rowid fits (a store
would need two billion articles stored over its life to pass it), then eight."""


def _ids(conn: Connection, sql: str, params: list[object]) -> array[int]:
    """The rowids of a query that gives one a row, read a batch at a time."""
    ids: array[int] = array(ROWIDS)
    cursor = conn.execute(sql, params)
    while rows := cursor.fetchmany(_BATCH):
        batch = [rowid for (rowid,) in rows]
        held = len(ids)
        try:
            ids.extend(batch)
        except OverflowError:  # the rows before the one too big were added: not twice
            ids = array("q", ids[:held])
            ids.extend(batch)
    return ids
