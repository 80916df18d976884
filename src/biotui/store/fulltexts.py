"""An article's full text, fetched from its page, kept apart from the body its feed sends.

A row of ``full_texts`` per article tried (see :mod:`biotui.store.schema`): the ingest never
writes it, so a feed sending its teaser again never loses a full text, and a failed fetch
never drops one stored before. The index sees an article's body followed by its full text
through triggers; reading an article (:func:`biotui.store.articles.article`) gives the full
text in place of the body, with a note saying so. A full text saved brings its identifiers
(:mod:`.identifiers`, origin ``FULL_TEXT``), found before the write transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from biotui.model import FULL_TEXT_NOTE, Article, FullText
from biotui.plaintext import clean_text
from biotui.store.connections import Connections
from biotui.store.identifiers import FULL_TEXT, find, replace_found
from biotui.store.muted import evaluate_rowids
from biotui.store.rows import from_us, to_us

if TYPE_CHECKING:
    from biotui.identifiers import Identifier

__all__ = [
    "FetchedPage",
    "FullTexts",
    "PageToFetch",
    "full_text",
    "pages_to_fetch",
    "record_failure",
    "save_full_text",
    "with_full_text",
]

_COLUMNS = ", ".join(
    f"full_texts.{name}" for name in ("body", "notes", "fetched", "attempts", "last_error")
)


@dataclass(frozen=True, slots=True)
class PageToFetch:
    """An article whose page a refresh should fetch: its public id, its link and title."""

    article: str
    link: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """What fetching an article's page gave, to store: its full text ``body`` (with
    ``notes``), or, when ``body`` is empty, the failure ``error``."""

    article: str
    body: str = ""
    notes: tuple[str, ...] = ()
    error: str = ""


def pages_to_fetch(
    conn: sqlite3.Connection, feed: str, max_attempts: int, limit: int
) -> list[PageToFetch]:
    """The newest ``limit`` articles of ``feed`` with a web link, no full text and fewer than
    ``max_attempts`` failed fetches."""
    rows = conn.execute(
        "SELECT articles.id, articles.link, articles.title"
        " FROM articles INDEXED BY articles_by_feed"
        " LEFT JOIN full_texts ON full_texts.article = articles.rowid"
        " WHERE articles.feed = ? AND full_texts.body IS NULL"
        " AND coalesce(full_texts.attempts, 0) < ?"
        " AND (articles.link LIKE 'http://%' OR articles.link LIKE 'https://%')"
        " ORDER BY articles.sort_time DESC, articles.rowid DESC LIMIT ?",
        (feed, max_attempts, limit),
    )
    return [PageToFetch(article, link, title or "") for article, link, title in rows]


def _rowid(conn: sqlite3.Connection, article_id: str) -> int | None:
    row = conn.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
    return None if row is None else int(row[0])


def save_full_text(
    conn: sqlite3.Connection,
    article_id: str,
    body: str,
    notes: Sequence[str] = (),
    now: datetime | None = None,
    identifiers: Sequence[Identifier] = (),
) -> bool:
    """Store ``body`` as the full text of ``article_id`` (replacing one stored before; the
    failures counted so far are cleared), with the ``identifiers`` it names. False when no
    such article is stored."""
    rowid = _rowid(conn, article_id)
    if rowid is None:
        return False
    moment = to_us(now or datetime.now(UTC))
    conn.execute(
        "INSERT INTO full_texts (article, body, notes, fetched, attempts, tried, last_error)"
        " VALUES (?, ?, ?, ?, 0, ?, NULL) ON CONFLICT (article) DO UPDATE SET"
        " body = excluded.body, notes = excluded.notes, fetched = excluded.fetched,"
        " attempts = 0, tried = excluded.tried, last_error = NULL",
        (rowid, body, json.dumps(list(notes), ensure_ascii=False), moment, moment),
    )
    replace_found(conn, FULL_TEXT, [(rowid, identifiers)])
    evaluate_rowids(conn, [rowid])  # the mute rules match the full text too
    return True


def record_failure(
    conn: sqlite3.Connection, article_id: str, error: str, now: datetime | None = None
) -> bool:
    """Count one failed fetch of ``article_id``'s page, ``error`` its one line; a full text
    stored before stays. False when no such article is stored."""
    rowid = _rowid(conn, article_id)
    if rowid is None:
        return False
    conn.execute(
        "INSERT INTO full_texts (article, attempts, tried, last_error) VALUES (?, 1, ?, ?)"
        " ON CONFLICT (article) DO UPDATE SET attempts = attempts + 1,"
        " tried = excluded.tried, last_error = excluded.last_error",
        (rowid, to_us(now or datetime.now(UTC)), clean_text(error)[:500]),
    )
    return True


def full_text(conn: sqlite3.Connection, article_id: str) -> FullText | None:
    """What is stored of ``article_id``'s page, or None when it was never tried."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM full_texts"
        " JOIN articles ON articles.rowid = full_texts.article WHERE articles.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    body, notes, fetched, attempts, last_error = row
    return FullText(
        article=article_id,
        body=body or "",
        notes=tuple(json.loads(notes)),
        fetched=from_us(fetched),
        attempts=int(attempts),
        last_error=last_error,
    )


def with_full_text(conn: sqlite3.Connection, rowid: int, article: Article) -> Article:
    """``article`` (stored at ``rowid``) with its full text in place of its body and a note
    first saying so, when it has one; else as it is."""
    row = conn.execute(
        "SELECT body, notes, fetched FROM full_texts WHERE article = ? AND body IS NOT NULL",
        (rowid,),
    ).fetchone()
    if row is None:
        return article
    body, notes, fetched = row
    when = from_us(fetched)
    note = FULL_TEXT_NOTE + (f" on {when:%Y-%m-%d %H:%M} UTC" if when else "")
    return replace(article, body=body, notes=(note, *json.loads(notes), *article.notes))


class FullTexts:
    """The store's full texts, as ``Store.full_texts``: each call its own transaction."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    def save(self, article_id: str, body: str, notes: Sequence[str] = ()) -> bool:
        """Store ``body`` as the full text of ``article_id`` (see :func:`save_full_text`), with
        the identifiers it names."""
        found = find("", body)
        with self._db.write("cannot save the full text") as conn:
            return save_full_text(conn, article_id, body, notes, identifiers=found)

    def failed(self, article_id: str, error: str) -> bool:
        """Count a failed fetch of ``article_id``'s page (see :func:`record_failure`)."""
        with self._db.write("cannot save the full text's failure") as conn:
            return record_failure(conn, article_id, error)

    def record(self, pages: Sequence[FetchedPage]) -> list[bool]:
        """Store each of ``pages`` (its full text, or one more failure) in one transaction;
        for each, False when its article is no longer stored."""
        with self._db.write("cannot save the full texts") as conn:
            return [
                save_full_text(conn, page.article, page.body, page.notes)
                if page.body
                else record_failure(conn, page.article, page.error)
                for page in pages
            ]

    def get(self, article_id: str) -> FullText | None:
        """What is stored of ``article_id``'s page, or None when it was never tried."""
        with self._db.errors("cannot read the full text") as conn:
            return full_text(conn, article_id)

    def to_fetch(self, feed: str, max_attempts: int, limit: int) -> list[PageToFetch]:
        """The articles of ``feed`` whose page a refresh should fetch (see
        :func:`pages_to_fetch`)."""
        with self._db.errors("cannot read the full texts") as conn:
            return pages_to_fetch(conn, feed, max_attempts, limit)
