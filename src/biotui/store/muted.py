"""The kept set of muted articles: which articles the mute rules match, worked out once and
kept current, so that listings and counts do not match the rules again at every call.

The set is worked out for one list of rules (``muted_for``, see
:mod:`biotui.store.mute_schema`): :meth:`KeptMutes.rebuild` works it out again when the
store's rules differ, in one transaction. The ingest, a full text stored and identifiers
found later evaluate the rules the set was worked out for on just the articles they change
(:func:`evaluate_new`, :func:`evaluate_rowids`). A listing or count uses the set only while
it was worked out for the store's rules; otherwise the rules are matched per query
(:mod:`biotui.store.muting`), so the answer is always right, also where the store cannot be
written.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import replace

from biotui.store.connections import Connections
from biotui.store.matching import AllOf, AnyOf, Match, NamedId, Without
from biotui.store.muting import KEPT_ALL, Muting, muting_for, without_muted
from biotui.store.query import FeedFilter, IndexQuery

__all__ = [
    "RULE_BITS",
    "KeptMutes",
    "decode",
    "encode",
    "evaluate_new",
    "evaluate_rowids",
    "muted_count",
]

RULE_BITS = 62
"""Rules that get a bit of their own in ``muted.rules`` (later ones share the last bit, and
listing what one of them mutes matches it per query)."""

_FTS = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
_IDS = "SELECT article AS rowid FROM identifiers WHERE kind IN ({}) AND key = ?"
_Bound = tuple[str, list[object]]
"""A condition on a ``{}`` column (``rowid > ?``), and its parameters; ("", []) for none."""

_UNBOUNDED: _Bound = ("", [])

_ADD = """
INSERT INTO muted (article, rules) SELECT rowid, ? FROM articles WHERE {}
ON CONFLICT (article) DO UPDATE SET rules = rules | excluded.rules
"""

_COUNT = """
UPDATE feed_counts SET muted = muted + ? * c.total, muted_unread = muted_unread + ? * c.unread
FROM (
    SELECT feed, total(starred = 0) AS total, total(starred = 0 AND read = 0) AS unread
    FROM articles WHERE rowid IN (SELECT article FROM muted WHERE {}) GROUP BY feed
) AS c WHERE feed_counts.feed = c.feed
"""
"""Adds (sign 1) or takes off (sign -1) the articles of ``muted`` passing a condition."""


def encode(rules: Sequence[IndexQuery]) -> str:
    """``rules`` as the JSON text kept in ``muted_for`` (equal rules, equal text)."""
    return json.dumps([[_match(rule.match), _match(rule.exclude)] for rule in rules])


def decode(text: str) -> tuple[IndexQuery, ...]:
    """The rules :func:`encode` wrote; ValueError (or KeyError) for another text."""
    return tuple(
        IndexQuery(_unmatch(match), _unmatch(exclude)) for match, exclude in json.loads(text)
    )


def _match(match: Match | None) -> object:
    if match is None or isinstance(match, str):
        return match
    if isinstance(match, NamedId):
        return {"id": [list(match.kinds), match.key]}
    if isinstance(match, Without):
        return {"without": [_match(match.kept), _match(match.removed)]}
    key = "all" if isinstance(match, AllOf) else "any"
    return {key: [_match(part) for part in match.parts]}


def _unmatch(data: object) -> Match | None:
    if data is None or isinstance(data, str):
        return data
    assert isinstance(data, dict)
    ((key, value),) = data.items()
    if key == "id":
        kinds, named = value
        return NamedId(tuple(kinds), named)
    parts = tuple(_part(part) for part in value)
    if key == "without":
        return Without(*parts)
    return AllOf(parts) if key == "all" else AnyOf(parts)


def _part(data: object) -> Match:
    match = _unmatch(data)
    if match is None:
        raise ValueError("a part of a match is missing")
    return match


def _bounded_sql(match: Match, bound: _Bound) -> tuple[str, list[object]]:
    """One ``SELECT`` of the rowids ``match`` keeps among those passing ``bound`` (each
    full-text or identifier lookup bounded itself: the index seeks, it does not scan)."""
    condition, bound_params = bound
    params: list[object] = []
    if isinstance(match, str | NamedId):
        if isinstance(match, str):
            sql, column = _FTS, "rowid"
            params.append(match)
        else:
            sql, column = _IDS.format(", ".join("?" * len(match.kinds))), "article"
            params.extend([*match.kinds, match.key])
        if condition:
            sql += " AND " + condition.format(column)
            params.extend(bound_params)
        return sql, params
    parts = (match.kept, match.removed) if isinstance(match, Without) else match.parts
    operator = {Without: "EXCEPT", AllOf: "INTERSECT", AnyOf: "UNION"}[type(match)]
    selects: list[str] = []
    for part in parts:
        part_sql, part_params = _bounded_sql(part, bound)
        compound = not isinstance(part, str | NamedId)
        selects.append(f"SELECT rowid FROM ({part_sql})" if compound else part_sql)
        params.extend(part_params)
    return f" {operator} ".join(selects), params


def _evaluate(conn: sqlite3.Connection, rules: Sequence[IndexQuery], bound: _Bound) -> None:
    """Add the articles passing ``bound`` that ``rules`` match to ``muted`` (none of them is
    in it), and count them in."""
    condition, bound_params = bound
    for number, rule in enumerate(rules):
        where = [condition.format("articles.rowid")] if condition else []
        params: list[object] = [1 << min(number, RULE_BITS), *bound_params]
        for match, negated in ((rule.match, False), (rule.exclude, True)):
            if match is not None:
                sql, match_params = _bounded_sql(match, bound)
                where.append(f"articles.rowid {'NOT IN' if negated else 'IN'} ({sql})")
                params.extend(match_params)
        conn.execute(_ADD.format(" AND ".join(where or ["1"])), params)
    counted = condition.format("article") if condition else "1"
    conn.execute(_COUNT.format(counted), [1, 1, *bound_params])


def kept_rules(conn: sqlite3.Connection) -> str:
    """The encoded rules the kept set was worked out for."""
    row = conn.execute("SELECT rules FROM muted_for").fetchone()
    return "[]" if row is None else str(row[0])


def _kept_decoded(conn: sqlite3.Connection) -> tuple[IndexQuery, ...]:
    text = kept_rules(conn)
    return () if text == "[]" else decode(text)


def evaluate_new(conn: sqlite3.Connection, above: int) -> None:
    """Keep the set current for the articles just inserted, those of rowids above ``above``."""
    rules = _kept_decoded(conn)
    if rules:
        _evaluate(conn, rules, ("{} > ?", [above]))


def evaluate_rowids(
    conn: sqlite3.Connection, rowids: Sequence[int], *, named: bool = False
) -> None:
    """Keep the set current for the articles of ``rowids``, whose indexed text (or, with
    ``named``, only the identifiers they name) changed: evaluated again."""
    rules = _kept_decoded(conn)
    if named:
        rules = rules if any(map(_names, (m for r in rules for m in (r.match, r.exclude)))) else ()
    if not rules or not rowids:
        return
    among = json.dumps(list(rowids))
    conn.execute(_COUNT.format("article IN (SELECT value FROM json_each(?))"), [-1, -1, among])
    conn.execute("DELETE FROM muted WHERE article IN (SELECT value FROM json_each(?))", [among])
    _evaluate(conn, rules, ("{} IN (SELECT value FROM json_each(?))", [among]))


def _names(match: Match | None) -> bool:
    """Whether ``match`` names an identifier anywhere."""
    if match is None or isinstance(match, str):
        return False
    if isinstance(match, NamedId):
        return True
    return any(
        map(_names, (match.kept, match.removed) if isinstance(match, Without) else match.parts)
    )


def muted_count(conn: sqlite3.Connection, unread_only: bool, feed: FeedFilter) -> int:
    """How many unstarred articles (``unread_only``: unread) of ``feed`` the kept set holds."""
    sql = f"SELECT total({'muted_unread' if unread_only else 'muted'}) FROM feed_counts"
    params: list[object] = []
    if isinstance(feed, tuple):
        sql += " WHERE feed IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(feed)))
    elif feed is not None:
        sql += " WHERE feed = ?"
        params.append(feed)
    return int(conn.execute(sql, params).fetchone()[0])


def muted_among(conn: sqlite3.Connection, table: str, kept: int) -> int:
    """How many unstarred articles of the rowids of ``table`` the kept set holds (for the
    rules of the bits ``kept``, or all with ``KEPT_ALL``): each rowid looked up in the set,
    less the starred ones, which are few and read from their own index (asking the articles
    whether each muted match is starred cost as much as finding them)."""
    rules, params = ("", []) if kept == KEPT_ALL else (" AND muted.rules & ? != 0", [kept])
    held = f"SELECT count(*) FROM {table} AS hit CROSS JOIN muted ON muted.article = hit.rowid"
    held += rules
    starred = (
        "SELECT count(*) FROM articles INDEXED BY articles_starred"
        " CROSS JOIN muted ON muted.article = articles.rowid"
        f" WHERE articles.starred = 1 AND articles.rowid IN {table}{rules}"
    )
    row = conn.execute(f"SELECT ({held}) - ({starred})", params + params).fetchone()
    return int(row[0])


def rebuild(conn: sqlite3.Connection, rules: Sequence[IndexQuery]) -> None:
    """Work the whole set out again for ``rules``."""
    conn.execute("DELETE FROM muted")
    conn.execute("UPDATE feed_counts SET muted = 0, muted_unread = 0")
    if rules:
        _evaluate(conn, rules, _UNBOUNDED)
    conn.execute("INSERT OR REPLACE INTO muted_for (only, rules) VALUES (0, ?)", (encode(rules),))


class KeptMutes:
    """The store's mute rules (:meth:`Store.set_mute`) and the kept set of what they mute."""

    def __init__(self, db: Connections) -> None:
        self._db = db
        self.rules: tuple[IndexQuery, ...] = ()
        self._encoded = encode(())

    def set(self, rules: Sequence[IndexQuery]) -> None:
        """Mute with ``rules`` from now on (the kept set is used once worked out for them)."""
        self.rules = tuple(rules)
        self._encoded = encode(self.rules)

    def stale(self) -> bool:
        """Whether the kept set was worked out for other rules than the store's."""
        with self._db.errors("cannot read the muted articles") as conn:
            return kept_rules(conn) != self._encoded

    def rebuild(self) -> bool:
        """Work the kept set out for the store's rules, in one transaction, unless it already
        is; True when it was. StoreError when the store cannot be written."""
        if not self.stale():  # no write transaction (nor error) for nothing to do
            return False
        with self._db.write("cannot work out the muted articles") as conn:
            if kept_rules(conn) == self._encoded:
                return False
            rebuild(conn, self.rules)
            return True

    def muting(self, conn: sqlite3.Connection, muted: bool | IndexQuery) -> Muting:
        """The muting of a listing asked for with ``muted`` (see
        :func:`~biotui.store.muting.muting_for`), reading the kept set when it serves."""
        muting = muting_for(self.rules, muted)
        if not muting.active or kept_rules(conn) != self._encoded:
            return muting
        if muting.rules == self.rules:
            return replace(muting, kept=KEPT_ALL)
        number = self.rules.index(muting.rules[0]) if muting.rules[0] in self.rules else RULE_BITS
        return muting if number >= RULE_BITS else replace(muting, kept=1 << number)

    def less_muted(
        self, conn: sqlite3.Connection, counts: dict[str, tuple[int, int]]
    ) -> dict[str, tuple[int, int]]:
        """``counts`` (``feed -> (total, unread)``) less the articles the rules mute."""
        if not self.rules:
            return counts
        if kept_rules(conn) != self._encoded:
            return without_muted(conn, counts, self.rules)
        rows = conn.execute("SELECT feed, muted, muted_unread FROM feed_counts WHERE muted > 0")
        for feed, hidden, hidden_unread in rows:
            if feed in counts:
                total, unread = counts[feed]
                counts[feed] = (total - int(hidden), unread - int(hidden_unread))
        return counts
