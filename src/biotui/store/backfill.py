"""Finding the identifiers of the articles stored without them: in batches, highest rowids
(the newest articles, mostly) first, resumable.

Two kinds of articles wait: those a large refresh stored past its first (rows of
``identifiers_later``, taken first, and deleted as their identifiers are stored) and those
stored before the store kept identifiers. The upgrade to schema 10 leaves a row
``('identifiers', below)`` in ``backfills``: every article with a rowid below ``below`` still
needs its identifiers (a new store has no row).
A batch reads up to ``limit`` articles just below the mark (title, body, full text), finds
their identifiers outside any transaction, then in one short write transaction stores them and
lowers the mark; an article changed in between (another content digest or full text) is read
and searched again inside it. Since the mark moves with the batch, a backfill interrupted at
any point resumes after its last stored batch; when nothing is left, the row goes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biotui.store.connections import Connections
from biotui.store.identifiers import FEED_TEXT, FULL_TEXT, find, replace_found
from biotui.store.muted import evaluate_rowids

if TYPE_CHECKING:
    from biotui.identifiers import Identifier

__all__ = ["NAME", "BackfillProgress", "backfill_batch", "is_waiting", "left", "left_below"]

NAME = "identifiers"
"""The backfill's row in ``backfills``."""

_READ = (
    "SELECT articles.rowid, articles.title, articles.body, articles.content_hash,"
    " full_texts.body, full_texts.fetched"
    " FROM articles LEFT JOIN full_texts ON full_texts.article = articles.rowid"
)
_Row = tuple[int, str, str, str, str | None, int | None]


@dataclass(frozen=True, slots=True)
class BackfillProgress:
    """What one batch did: how many articles it gave their identifiers, and whether any
    older article is still left without them."""

    done: int
    finished: bool


def left_below(conn: sqlite3.Connection) -> int | None:
    """The rowid below which articles still need their identifiers; None when none do."""
    row = conn.execute("SELECT below FROM backfills WHERE name = ?", (NAME,)).fetchone()
    return None if row is None else int(row[0])


def left(conn: sqlite3.Connection) -> bool:
    """Whether any article still waits for its identifiers."""
    later = conn.execute("SELECT 1 FROM identifiers_later LIMIT 1").fetchone()
    return later is not None or left_below(conn) is not None


def is_waiting(conn: sqlite3.Connection, rowid: int) -> bool:
    """Whether article ``rowid`` still waits for its identifiers."""
    below = left_below(conn)
    if below is not None and rowid < below:
        return True
    found = conn.execute("SELECT 1 FROM identifiers_later WHERE article = ?", (rowid,))
    return found.fetchone() is not None


def backfill_batch(db: Connections, limit: int) -> BackfillProgress:
    """Give up to ``limit`` articles still without identifiers theirs (see the module)."""
    later = _later_batch(db, limit)
    if later is not None:
        return later
    with db.errors("cannot read articles for their identifiers") as conn:
        below = left_below(conn)
        if below is None:
            return BackfillProgress(0, True)
        rows: list[_Row] = conn.execute(
            f"{_READ} WHERE articles.rowid < ? ORDER BY articles.rowid DESC LIMIT ?",
            (below, limit),
        ).fetchall()
    found = {row[0]: (row, _find(row)) for row in rows}
    with db.write("cannot store the identifiers of older articles") as conn:
        if left_below(conn) != below:  # another backfill took this batch
            return BackfillProgress(0, left_below(conn) is None)
        _store(conn, found)
        if len(rows) < limit:
            conn.execute("DELETE FROM backfills WHERE name = ?", (NAME,))
            return BackfillProgress(len(found), True)
        conn.execute("UPDATE backfills SET below = ? WHERE name = ?", (rows[-1][0], NAME))
        return BackfillProgress(len(found), False)


def _later_batch(db: Connections, limit: int) -> BackfillProgress | None:
    """Give up to ``limit`` articles a refresh left theirs; None when it left none."""
    with db.errors("cannot read articles for their identifiers") as conn:
        rows: list[_Row] = conn.execute(
            f"{_READ} WHERE articles.rowid IN"
            " (SELECT article FROM identifiers_later ORDER BY article DESC LIMIT ?)",
            (limit,),
        ).fetchall()
    if not rows:
        return None
    found = {row[0]: (row, _find(row)) for row in rows}
    with db.write("cannot store the identifiers of articles") as conn:
        _store(conn, found)
        conn.execute(
            "DELETE FROM identifiers_later WHERE article IN (SELECT value FROM json_each(?))",
            (json.dumps(list(found)),),
        )
        return BackfillProgress(len(found), not left(conn))


def _find(row: _Row) -> tuple[tuple[Identifier, ...], tuple[Identifier, ...]]:
    """The identifiers of an article's title and body, and of its full text."""
    _, title, body, _, full_text, _ = row
    return find(title, body), (find("", full_text) if full_text else ())


def _store(
    conn: sqlite3.Connection,
    found: dict[int, tuple[_Row, tuple[tuple[Identifier, ...], tuple[Identifier, ...]]]],
) -> None:
    """Store what was found for each article still as it was read; read and search again
    those changed since (those deleted since are left out)."""
    current: Sequence[_Row] = conn.execute(
        f"{_READ} WHERE articles.rowid IN (SELECT value FROM json_each(?))",
        (json.dumps(list(found)),),
    ).fetchall()
    feed_text: list[tuple[int, Sequence[Identifier]]] = []
    full_text: list[tuple[int, Sequence[Identifier]]] = []
    for row in current:
        was, identifiers = found[row[0]]
        if (was[3], was[5]) != (row[3], row[5]):
            identifiers = _find(row)
        feed_text.append((row[0], identifiers[0]))
        full_text.append((row[0], identifiers[1]))
    replace_found(conn, FEED_TEXT, feed_text)
    replace_found(conn, FULL_TEXT, full_text)
    evaluate_rowids(conn, [rowid for rowid, _ in feed_text], named=True)
