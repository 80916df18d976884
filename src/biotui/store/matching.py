"""What a filter matches, as sets of articles: full-text expressions, identifiers named, and
their combinations; and the SQL that gives each set's rowids.

A :data:`Match` is an FTS5 MATCH expression (``str``), a :class:`NamedId` (the articles naming
one identifier, looked up through ``identifiers_by_key``), or an :class:`AllOf`,
:class:`AnyOf` or :class:`Without` of matches. :mod:`biotui.search` builds them (keeping every
part without an identifier one FTS5 expression, a single pass over the index); here each
becomes one compound ``SELECT`` of rowids (INTERSECT, UNION, EXCEPT). Every value reaches
SQLite as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

__all__ = ["AllOf", "AnyOf", "Match", "NamedId", "Without", "match_sql", "rowid_condition"]


@dataclass(frozen=True, slots=True)
class NamedId:
    """The articles naming the identifier of comparison form ``key`` (see
    ``biotui.identifiers.normalise``) as any of ``kinds``."""

    kinds: tuple[str, ...]
    key: str


@dataclass(frozen=True, slots=True)
class AllOf:
    """The articles every part matches."""

    parts: tuple[Match, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """The articles any part matches."""

    parts: tuple[Match, ...]


@dataclass(frozen=True, slots=True)
class Without:
    """The articles ``kept`` matches and ``removed`` does not."""

    kept: Match
    removed: Match


Match: TypeAlias = str | NamedId | AllOf | AnyOf | Without
"""A set of articles; a ``str`` is an FTS5 MATCH expression."""

_FTS = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"


def match_sql(match: Match) -> tuple[str, list[object]]:
    """One ``SELECT`` giving the rowids (column ``rowid``) of the articles ``match`` keeps,
    and its parameters."""
    if isinstance(match, str):
        return _FTS, [match]
    if isinstance(match, NamedId):
        kinds = ", ".join("?" * len(match.kinds))
        sql = f"SELECT article AS rowid FROM identifiers WHERE kind IN ({kinds}) AND key = ?"
        return sql, [*match.kinds, match.key]
    if isinstance(match, Without):
        return _compound("EXCEPT", (match.kept, match.removed))
    return _compound("INTERSECT" if isinstance(match, AllOf) else "UNION", match.parts)


def _compound(operator: str, parts: tuple[Match, ...]) -> tuple[str, list[object]]:
    selects: list[str] = []
    params: list[object] = []
    for part in parts:
        sql, part_params = match_sql(part)
        # A nested compound is one operand: SQLite's compound operators have no precedence.
        selects.append(sql if isinstance(part, str | NamedId) else f"SELECT rowid FROM ({sql})")
        params.extend(part_params)
    return f" {operator} ".join(selects), params


def rowid_condition(match: Match, *, negated: bool = False) -> tuple[str, list[object]]:
    """``articles.rowid [NOT] IN (...)`` for the articles ``match`` keeps, and its
    parameters."""
    sql, params = match_sql(match)
    return f"articles.rowid {'NOT IN' if negated else 'IN'} ({sql})", params
