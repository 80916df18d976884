"""Mute rules in SQL: the condition that takes muted articles out of listings and counts, or
keeps only them.

A rule is an :class:`~biotui.store.IndexQuery` (compiled by :mod:`biotui.search` from the
rule's text). An article is muted when it matches any rule and is not starred: a starred
article is never hidden. A muting either matches the rules in each query, or reads the kept
set of the articles they match (``kept``, see :mod:`biotui.store.muted`) when that set was
worked out for them; either way a changed rule applies at once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biotui.store.matching import rowid_condition

if TYPE_CHECKING:
    from biotui.store.query import IndexQuery

__all__ = ["KEPT_ALL", "NO_MUTING", "Muting", "muting_for", "without_muted"]

KEPT_ALL = -1
"""``Muting.kept`` for the whole kept set (what any of the store's rules matches)."""


@dataclass(frozen=True, slots=True)
class Muting:
    """What a listing does with muted articles: with ``only`` False it hides what ``rules``
    mute; with ``only`` True it keeps nothing else (the articles a rule hides, for showing
    them). Hashable: part of the key under which a connection remembers a listing.

    ``kept`` says where the muted articles are read from: 0, matched by the rules in the
    query; :data:`KEPT_ALL`, the kept set (worked out for exactly ``rules``); a bit mask, the
    kept set's articles of those rule bits (``rules`` being one of the store's rules)."""

    rules: tuple[IndexQuery, ...] = ()
    only: bool = False
    kept: int = 0

    @property
    def active(self) -> bool:
        """True when this changes what a listing keeps."""
        return self.only or bool(self.rules)

    def condition(self) -> tuple[str | None, list[object]]:
        """The SQL condition on ``articles`` (None: no condition) and its parameters."""
        if not self.active:
            return None, []
        muted, params = _kept(self.kept) if self.kept else _muted(self.rules)
        return (muted if self.only else f"NOT ({muted})"), params

    def unmuted(self, column: str) -> tuple[str, list[object]] | None:
        """A cheap condition that the article of rowid ``column`` is in no muted set (so a
        listing with no other filter keeps it), and its parameters; None when it cannot be
        told without the article (only the muted listed, or no kept set yet)."""
        if self.only:
            return None
        if not self.rules:
            return "1", []
        if self.kept == KEPT_ALL:
            return f"{column} NOT IN (SELECT article FROM muted)", []
        if self.kept:
            return f"{column} NOT IN (SELECT article FROM muted WHERE rules & ? != 0)", [self.kept]
        return None

    def hidden(self) -> Muting:
        """The articles this muting hides (``only``), with the same rules."""
        return Muting(self.rules, only=True, kept=self.kept)


NO_MUTING = Muting()
"""Nothing hidden."""


def muting_for(rules: tuple[IndexQuery, ...], muted: bool | IndexQuery) -> Muting:
    """The muting of a listing asked for with ``muted`` in a store muting with ``rules``:
    False hides what the rules mute; True keeps only that; one rule keeps only what it mutes."""
    if muted is False:
        return Muting(rules)
    if muted is True:
        return Muting(rules, only=True)
    return Muting((muted,), only=True)


def _kept(kept: int) -> tuple[str, list[object]]:
    """``articles.starred = 0 AND (in the kept set)``, as SQL and parameters."""
    if kept == KEPT_ALL:
        return "articles.starred = 0 AND articles.rowid IN (SELECT article FROM muted)", []
    bits = "articles.rowid IN (SELECT article FROM muted WHERE rules & ? != 0)"
    return f"articles.starred = 0 AND {bits}", [kept]


def _muted(rules: tuple[IndexQuery, ...]) -> tuple[str, list[object]]:
    """``articles.starred = 0 AND (a rule matches)``, as SQL and parameters.

    Rules that are one FTS5 expression each are joined into one (one pass over the index);
    any other rule (only an exclusion, or naming identifiers) is its own condition.
    """
    if not rules:
        return "0", []
    parts: list[str] = []
    params: list[object] = []
    plain = [rule.match for rule in rules if isinstance(rule.match, str) and rule.exclude is None]
    if plain:
        condition, condition_params = rowid_condition(" OR ".join(f"({m})" for m in plain))
        parts.append(condition)
        params.extend(condition_params)
    for rule in rules:
        if isinstance(rule.match, str) and rule.exclude is None:
            continue
        both: list[str] = []
        for match, negated in ((rule.match, False), (rule.exclude, True)):
            if match is not None:
                condition, condition_params = rowid_condition(match, negated=negated)
                both.append(condition)
                params.extend(condition_params)
        parts.append("(" + " AND ".join(both or ["1"]) + ")")
    return f"articles.starred = 0 AND ({' OR '.join(parts)})", params


def without_muted(
    conn: sqlite3.Connection, counts: dict[str, tuple[int, int]], rules: tuple[IndexQuery, ...]
) -> dict[str, tuple[int, int]]:
    """``counts`` (``feed -> (total, unread)``, from the counts table) less the articles
    ``rules`` mute in each feed."""
    if not rules:
        return counts
    muted, params = _muted(rules)
    rows = conn.execute(
        f"SELECT feed, count(*), total(read = 0) FROM articles WHERE {muted} GROUP BY feed",
        params,
    )
    for feed, hidden, hidden_unread in rows:
        if feed in counts:
            total, unread = counts[feed]
            counts[feed] = (total - int(hidden), unread - int(hidden_unread))
    return counts
