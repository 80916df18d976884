"""What keeping a watchlist's counts up to date reads: the store's state in a few cheap
figures, what changed since a rowid and a marking action, and a saved search's matches
within a range of rowids.

A watchlist's counts (its unread matches, its matches after a bookmark, its matches per
day) change only when articles arrive (rowids above every counted one), are marked (the log
of :mod:`biotui.store.marks` says which), are updated or deleted, or when a full text, an
identifier or a sync changes what they hold. :class:`StoreState` holds figures that move
with each of these, so that a caller can tell what it cannot follow and count again.
Matching within a range of rowids asks the full-text index for that range only, so counting
what arrived costs in proportion to what arrived.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from biotui.store.connections import Connection
from biotui.store.matching import AnyOf, Match, NamedId, Without
from biotui.store.query import IndexQuery

__all__ = ["Changes", "Matches", "StoreState", "changes", "matches", "names_identifiers"]

DAY_US = 86_400_000_000
"""A day in the microseconds of ``sort_time``."""


@dataclass(frozen=True, slots=True)
class StoreState:
    """Figures of the store that move with every kind of change a count must follow."""

    high: int
    """The highest rowid stored (0: none)."""
    total: int
    unread: int
    starred: int
    """Articles, unread and starred ones, from the counts table."""
    action: int
    """The last marking action logged (0: none)."""
    undone: int
    """Marking actions undone."""
    refreshed: tuple[float, ...]
    """Moves with every feed status saved (every refresh, by any process)."""
    others: tuple[float, ...]
    """Moves with every full text stored and every sync."""
    identifiers: tuple[float, ...]
    """Moves while identifiers are found for articles stored before them."""


@dataclass(frozen=True, slots=True)
class Changes:
    """What :func:`changes` found: the state now, the articles that arrived after the rowid
    asked for (how many, unread, starred), the public ids now at that rowid and at the
    highest one, and the rowids
    of the articles marked by the actions after the one asked for, with the net change to
    the store's unread and starred articles that those actions logged."""

    state: StoreState
    arrived: int
    arrived_unread: int
    arrived_starred: int
    id_at: str | None
    high_id: str | None
    marked: tuple[int, ...]
    unread_change: int
    starred_change: int


@dataclass(frozen=True, slots=True)
class Matches:
    """A saved search's matches (mute rules applied) in rowid order: their rowids, whether
    each is unread (1) or read (0), and each one's day number (``(sort_time + offset) //
    DAY_US``)."""

    rowids: array[int]
    unread: bytes
    days: array[int]


_STATE = """
SELECT (SELECT coalesce(max(rowid), 0) FROM articles),
       (SELECT total(total) FROM feed_counts), (SELECT total(unread) FROM feed_counts),
       (SELECT total(starred) FROM feed_counts),
       (SELECT coalesce(max(action), 0) FROM mark_actions),
       (SELECT count(undone) FROM mark_actions),
       (SELECT count(*) FROM feeds), (SELECT total(last_checked) FROM feeds),
       (SELECT total(last_success) FROM feeds),
       (SELECT count(*) FROM full_texts), (SELECT total(fetched) FROM full_texts),
       (SELECT total(attempts) FROM full_texts),
       (SELECT total(synced) FROM sync_accounts), (SELECT total(pushed) FROM sync_accounts),
       (SELECT total(undone) FROM sync_accounts),
       (SELECT count(*) FROM identifiers_later), (SELECT total(below) FROM backfills)
"""

_ARRIVED = """
SELECT count(*), total(read = 0), total(starred) FROM articles WHERE rowid > ? AND rowid <= ?
"""

_MARKED = """
SELECT articles.rowid, changes.was_read, changes.was_starred, actions.read, actions.starred
FROM mark_changes AS changes JOIN mark_actions AS actions ON actions.action = changes.action
JOIN articles ON articles.id = changes.article
WHERE changes.action > ? AND changes.action <= ?
"""


def changes(conn: Connection, after: int, action: int) -> Changes:
    """The store's state, what arrived above rowid ``after`` and what the marking actions
    after ``action`` changed, read in one read transaction (one snapshot)."""
    conn.execute("BEGIN")
    try:
        row = conn.execute(_STATE).fetchone()
        state = StoreState(
            int(row[0]),
            int(row[1]),
            int(row[2]),
            int(row[3]),
            int(row[4]),
            int(row[5]),
            tuple(row[6:9]),
            tuple(row[9:15]),
            tuple(row[15:17]),
        )
        if after <= 0:  # everything arrived: the counts table says how much, at any size
            arrived, arrived_unread, arrived_starred = state.total, state.unread, state.starred
        else:
            arrived, arrived_unread, arrived_starred = conn.execute(
                _ARRIVED, (after, state.high)
            ).fetchone()
        ids = [
            conn.execute("SELECT id FROM articles WHERE rowid = ?", (rowid,)).fetchone()
            for rowid in (after, state.high)
        ]
        marked: list[int] = []
        unread_change = starred_change = 0
        for rowid, was_read, was_starred, read, starred in conn.execute(
            _MARKED, (action, state.action)
        ):
            marked.append(int(rowid))
            if was_read is not None and read is not None:
                unread_change += (read == 0) - (was_read == 0)
            if was_starred is not None and starred is not None:
                starred_change += starred - was_starred
    finally:
        conn.execute("COMMIT")
    return Changes(
        state,
        int(arrived),
        int(arrived_unread),
        int(arrived_starred),
        None if ids[0] is None else str(ids[0][0]),
        None if ids[1] is None else str(ids[1][0]),
        tuple(sorted(set(marked))),
        unread_change,
        starred_change,
    )


def names_identifiers(query: IndexQuery | None) -> bool:
    """True when ``query`` names an identifier (its matches then change as identifiers are
    found for stored articles)."""
    if query is None:
        return False
    return any(_names(part) for part in (query.match, query.exclude) if part is not None)


def _names(match: Match) -> bool:
    if isinstance(match, str):
        return False
    if isinstance(match, NamedId):
        return True
    parts = (match.kept, match.removed) if isinstance(match, Without) else match.parts
    return any(_names(part) for part in parts)


def matches(
    conn: Connection,
    query: IndexQuery | None,
    rules: Sequence[IndexQuery],
    low: int,
    high: int,
    offset_us: int,
) -> Matches:
    """The matches of ``query`` (None: every article) with a rowid above ``low`` and up to
    ``high``, less what the mute ``rules`` hide (an unstarred article a rule matches), as
    every listing keeps them."""
    hits, params = _bounded_query(query, low, high)
    sql = (
        f"SELECT rowid, read = 0, (sort_time + ?) / {DAY_US} FROM articles WHERE rowid IN ({hits})"
    )
    params = [offset_us, *params]
    if rules:
        muted: list[str] = []
        for rule in rules:
            rule_sql, rule_params = _bounded_query(rule, low, high)
            muted.append(f"SELECT rowid FROM ({rule_sql})")
            params.extend(rule_params)
        sql += f" AND NOT (starred = 0 AND rowid IN ({' UNION '.join(muted)}))"
    rowids: array[int] = array("q")
    days: array[int] = array("q")
    unread = bytearray()
    for rowid, is_unread, day in conn.execute(sql + " ORDER BY rowid", params):
        rowids.append(rowid)
        unread.append(is_unread)
        days.append(day)
    return Matches(rowids, bytes(unread), days)


def _bounded_query(query: IndexQuery | None, low: int, high: int) -> tuple[str, list[object]]:
    """One ``SELECT`` of the rowids in ``(low, high]`` that ``query`` keeps."""
    params: list[object]
    if query is None or query.match is None:
        sql, params = "SELECT rowid FROM articles WHERE rowid > ? AND rowid <= ?", [low, high]
    else:
        sql, params = _bounded(query.match, low, high)
    if query is not None and query.exclude is not None:
        excluded, excluded_params = _bounded(query.exclude, low, high)
        sql = f"SELECT rowid FROM ({sql}) EXCEPT SELECT rowid FROM ({excluded})"
        params = [*params, *excluded_params]
    return sql, params


def _bounded(match: Match, low: int, high: int) -> tuple[str, list[object]]:
    """``match`` as one ``SELECT`` of rowids (column ``rowid``) in ``(low, high]``: each
    full-text part asks the index for that range only."""
    if isinstance(match, str):
        return (
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
            " AND rowid > ? AND rowid <= ?",
            [match, low, high],
        )
    if isinstance(match, NamedId):
        kinds = ", ".join("?" * len(match.kinds))
        return (
            f"SELECT article AS rowid FROM identifiers WHERE kind IN ({kinds}) AND key = ?"
            " AND article > ? AND article <= ?",
            [*match.kinds, match.key, low, high],
        )
    parts: tuple[Match, ...]
    if isinstance(match, Without):
        operator, parts = "EXCEPT", (match.kept, match.removed)
    else:
        operator, parts = ("UNION" if isinstance(match, AnyOf) else "INTERSECT"), match.parts
    selects: list[str] = []
    params: list[object] = []
    for part in parts:
        sql, part_params = _bounded(part, low, high)
        selects.append(f"SELECT rowid FROM ({sql})")
        params.extend(part_params)
    return f" {operator} ".join(selects), params
