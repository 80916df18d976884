"""The identifiers each article names, kept per article: for the filter fields, ``show`` and
the app.

Table ``identifiers`` (schema 10): per article, what its title and body name (origin
:data:`FEED_TEXT`) and what its full text names (origin :data:`FULL_TEXT`), each list in the
recogniser's order, by kind, comparison form (``key``, what a filter field looks up through
``identifiers_by_key``) and the spelling shown. The ingest writes the feed text's for new and
changed articles, a saved full text its own, and the delete trigger removes an article's rows
with it. Links are not kept: ``biotui.identifiers.identifier`` makes them again when read.

Whoever parses the articles should find their identifiers too (the refresh does, in its
parsing processes): an ingest given none finds them itself. The recogniser is imported when
first needed, so that listing never loads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from biotui.store.connections import Connections
from biotui.store.rows import to_us

if TYPE_CHECKING:
    from biotui.identifiers import Identifier
    from biotui.store.backfill import BackfillProgress

__all__ = [
    "FEED_TEXT",
    "FULL_TEXT",
    "Found",
    "StoredIdentifiers",
    "find",
    "identifiers_of",
    "replace_found",
    "weekly_counts",
]

FEED_TEXT = 0
"""Origin of the identifiers of an article's title and body (what its feed sent)."""
FULL_TEXT = 1
"""Origin of the identifiers of an article's full text (fetched from its page)."""

Found = Mapping[str, Sequence["Identifier"]]
"""Article id -> the identifiers found in its title and body (an id left out: none)."""

_INSERT = (
    "INSERT INTO identifiers (article, origin, seq, kind, key, shown) VALUES (?, ?, ?, ?, ?, ?)"
)
_WEEK_US = 7 * 24 * 3600 * 1_000_000


def find(title: str, body: str) -> tuple[Identifier, ...]:
    """The identifiers named in ``title`` and ``body`` (the recogniser, imported on first
    use)."""
    from biotui.identifiers import find_identifiers

    return find_identifiers(title, body)


def replace_found(
    conn: sqlite3.Connection,
    origin: int,
    found: Iterable[tuple[int, Sequence[Identifier]]],
    *,
    fresh: bool = False,
) -> None:
    """Make each ``(rowid, identifiers)`` of ``found`` the identifiers of origin ``origin``
    of the article ``rowid``, inside the caller's transaction. ``fresh``: the articles are new,
    with nothing to replace."""
    pairs = list(found)
    if not fresh:
        conn.executemany(
            "DELETE FROM identifiers WHERE article = ? AND origin = ?",
            [(rowid, origin) for rowid, _ in pairs],
        )
    conn.executemany(
        _INSERT,
        [
            (rowid, origin, seq, ident.kind, ident.key, ident.id)
            for rowid, identifiers in pairs
            for seq, ident in enumerate(identifiers)
        ],
    )


def identifiers_of(conn: sqlite3.Connection, rowid: int) -> tuple[Identifier, ...]:
    """The identifiers article ``rowid`` names (its text's, then its full text's new ones),
    each once, grouped by kind in the order of ``biotui.identifiers.KINDS``. An older article
    the backfill has not reached yet has them found as it is read."""
    from biotui.identifiers import KINDS, identifier
    from biotui.store.backfill import is_waiting

    if is_waiting(conn, rowid):
        rows = _found_now(conn, rowid)
    else:
        rows = conn.execute(
            "SELECT kind, key, shown FROM identifiers WHERE article = ? ORDER BY origin, seq",
            (rowid,),
        ).fetchall()
    seen: set[tuple[str, str]] = set()
    found: list[Identifier] = []
    for kind, key, shown in rows:
        if kind in KINDS and (kind, key) not in seen:
            seen.add((kind, key))
            found.append(identifier(kind, shown))
    order = {kind: index for index, kind in enumerate(KINDS)}
    return tuple(sorted(found, key=lambda ident: order[ident.kind]))


def _found_now(conn: sqlite3.Connection, rowid: int) -> list[tuple[str, str, str]]:
    """``(kind, key, shown)`` of what article ``rowid``'s text and full text name, found now."""
    row = conn.execute(
        "SELECT title, articles.body, full_texts.body FROM articles"
        " LEFT JOIN full_texts ON full_texts.article = articles.rowid WHERE articles.rowid = ?",
        (rowid,),
    ).fetchone()
    if row is None:
        return []
    title, body, full_text = row
    found = (*find(title, body), *(find("", full_text) if full_text else ()))
    return [(ident.kind, ident.key, ident.id) for ident in found]


def weekly_counts(
    conn: sqlite3.Connection, kinds: Sequence[str], key: str, weeks: int, now: datetime
) -> tuple[int, ...]:
    """How many articles named the identifier ``key`` (of any of ``kinds``) in each of the
    last ``weeks`` weeks up to ``now``, oldest first, by their headline time (published, or
    first stored): one grouped query over the identifiers' index."""
    end = to_us(now)
    assert end is not None
    start = end - weeks * _WEEK_US
    rows = conn.execute(
        "SELECT (articles.sort_time - ?) / ? AS week, count(DISTINCT articles.rowid)"
        " FROM identifiers JOIN articles ON articles.rowid = identifiers.article"
        " WHERE identifiers.kind IN (SELECT value FROM json_each(?)) AND identifiers.key = ?"
        " AND articles.sort_time >= ? AND articles.sort_time < ? GROUP BY week",
        (start, _WEEK_US, json.dumps(list(kinds)), key, start, end),
    )
    counts = [0] * weeks
    for week, count in rows:
        if 0 <= week < weeks:
            counts[int(week)] = int(count)
    return tuple(counts)


class StoredIdentifiers:
    """The identifiers of the store's articles, as ``Store.identifiers``: each call its own
    transaction."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    def of(self, key: str | int) -> tuple[Identifier, ...]:
        """The identifiers the article of public id (``str``) or rowid (``int``) ``key``
        names (see :func:`identifiers_of`); none for an unknown article."""
        with self._db.errors("cannot read the article's identifiers") as conn:
            if isinstance(key, str):
                row = conn.execute("SELECT rowid FROM articles WHERE id = ?", (key,)).fetchone()
                if row is None:
                    return ()
                key = int(row[0])
            return identifiers_of(conn, key)

    def weekly(
        self, kinds: Sequence[str], key: str, *, weeks: int = 26, now: datetime | None = None
    ) -> tuple[int, ...]:
        """Articles naming ``key`` per week, oldest first (see :func:`weekly_counts`)."""
        with self._db.errors("cannot count the identifier's articles") as conn:
            return weekly_counts(conn, kinds, key, weeks, now or datetime.now(UTC))

    def backfill(self, limit: int = 500) -> BackfillProgress:
        """Give up to ``limit`` articles still without identifiers theirs
        (:mod:`.backfill`)."""
        from biotui.store.backfill import backfill_batch

        return backfill_batch(self._db, limit)

    def backfill_left(self) -> bool:
        """Whether articles are still without their identifiers."""
        from biotui.store.backfill import left

        with self._db.errors("cannot read the store's state") as conn:
            return left(conn)
