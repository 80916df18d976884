"""Reading articles and headlines (marking them is :mod:`biotui.store.marks`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from biotui.model import Article, Headline
from biotui.store.fulltexts import with_full_text
from biotui.store.muting import NO_MUTING, Muting
from biotui.store.rows import (
    ARTICLE_COLUMNS,
    HEADLINE_COLUMNS,
    article_from_row,
    headlines_from_rows,
)

__all__ = ["article", "headlines", "newest_headlines"]


def headlines(conn: sqlite3.Connection, rowids: Sequence[int]) -> list[Headline]:
    """The headlines of ``rowids`` in the order given; unknown rowids are skipped.

    The rowids go in as one JSON array joined to ``articles``, and the array's index orders
    the rows, so the query returns them ready to map.
    """
    if not rowids:
        return []
    rows = conn.execute(
        f"SELECT {HEADLINE_COLUMNS} FROM json_each(?) AS wanted"
        " JOIN articles ON articles.rowid = wanted.value ORDER BY wanted.key",
        (json.dumps(list(rowids)),),
    )
    return headlines_from_rows(rows)


def newest_headlines(
    conn: sqlite3.Connection, limit: int, muting: Muting = NO_MUTING
) -> list[Headline]:
    """The first ``limit`` headlines in the newest order, read through the order's index:
    the cost grows with ``limit`` (and the articles ``muting`` hides), not with the store."""
    condition, params = muting.condition()
    where = "" if condition is None else f" WHERE {condition}"
    rows = conn.execute(
        f"SELECT {HEADLINE_COLUMNS} FROM articles INDEXED BY articles_by_time{where}"
        " ORDER BY sort_time DESC, rowid DESC LIMIT ?",
        (*params, max(limit, 0)),
    )
    return headlines_from_rows(rows)


def article(conn: sqlite3.Connection, key: str | int) -> Article | None:
    """The full article by public id (``str``) or rowid (``int``), or None.

    An article whose page was fetched comes with that full text in place of the body its feed
    sent, and a first note saying so (see :mod:`biotui.store.fulltexts`).
    """
    column = "id" if isinstance(key, str) else "rowid"
    row = conn.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE {column} = ?", (key,)
    ).fetchone()
    return None if row is None else with_full_text(conn, row[0], article_from_row(row))
