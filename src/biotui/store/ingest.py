"""Storing a feed's articles: new ones inserted, changed ones updated, unchanged ones left.

An article is compared with the stored one by its content digest (:mod:`biotui.store.digest`):
a changed article is updated in place and keeps its rowid, its first-seen time and its read
and starred state; an unchanged one costs no write (but for a new entry digest, see
:func:`entry_digests`). The columns written come from the row mapping of
:mod:`biotui.store.rows`. An article removed on purpose (a tombstone of
:mod:`biotui.store.removals`) is skipped and not counted, and its tombstone renewed
(:mod:`biotui.store.tombstones`).

New rows reach the counts table in one statement per ingest rather than through a trigger
per row. Two ways of writing keep the full-text index in few segments: SQLite's FTS5 flushes its
pending index data at every statement savepoint, and a statement that fires an indexing
trigger per row opens one per row. So new rows are inserted with rowids above every stored
one and then indexed by ONE statement, and changed rows are loaded into a scratch table and
applied by ONE ``UPDATE ... FROM`` (whose index trigger then runs inside that one statement).

The identifiers of new and changed articles are stored with them (:mod:`.identifiers`): those
the request brings, or, when it brings none, those the ingest finds itself (or, if asked, the
new articles are left to the backfill: ``identifiers_later``). The kept set of muted articles
is kept current for new and changed articles (:mod:`.muted`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from biotui.model import Article, FeedStatus, FileSignature, IngestCounts
from biotui.store.digest import content_digest
from biotui.store.feeds import save_files, save_statuses
from biotui.store.identifiers import FEED_TEXT, Found, find, replace_found
from biotui.store.muted import evaluate_new, evaluate_rowids
from biotui.store.removals import tombstoned
from biotui.store.rows import CONTENT, STORED_COLUMNS, content_values, to_us
from biotui.store.schema import FTS_COLUMNS
from biotui.store.tombstones import offered_digests, seen_again

if TYPE_CHECKING:
    from biotui.identifiers import Identifier

__all__ = ["IngestRequest", "Prepared", "entry_digests", "ingest_into", "prepare"]


@dataclass(frozen=True, slots=True)
class IngestRequest:
    """One feed's part of :meth:`Store.ingest_batch`: the arguments of :meth:`Store.ingest`."""

    feed: str
    articles: Sequence[Article]
    status: FeedStatus | None = None
    files: Sequence[FileSignature] = ()
    source_hashes: Mapping[str, str] | None = None
    identifiers: Found | None = None
    """The identifiers of the articles' titles and bodies, by article id (an id left out names
    none), found by whoever parsed them; None: the ingest finds them itself."""
    identifiers_later: bool = False
    """With no ``identifiers``: the new articles' are found after they are stored, by the
    backfill (a large refresh's); a changed article's are still found at once."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article to store, with its publication time (microseconds) and content digest."""

    article: Article
    published: int | None
    digest: str


_LATER = "INSERT INTO identifiers_later (article) SELECT rowid FROM articles WHERE rowid > ?"
"""The articles just inserted (rowids above the last before them) are left to the backfill."""

_COLUMNS = ("id", "feed", *(column.name for column in CONTENT), *STORED_COLUMNS)
"""Every column an ingest writes, in the order of :func:`_row`."""

_INSERT = (
    f"INSERT INTO articles (rowid, {', '.join(_COLUMNS)})"
    f" VALUES (?, {', '.join('?' * len(_COLUMNS))})"
)
_INDEX_NEW = (
    f"INSERT INTO articles_fts (rowid, {', '.join(FTS_COLUMNS)})"
    f" SELECT rowid, {', '.join(FTS_COLUMNS)} FROM articles WHERE rowid > ?"
)
_LAST_ROWID = "SELECT coalesce(max(rowid), 0) FROM articles"
_COUNT_NEW = """
INSERT INTO feed_counts (feed, total, unread) VALUES (?, ?, ?)
ON CONFLICT (feed) DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread
"""
"""Adds an ingest's new rows to the feed's counts: they are all unread and not starred (an
ingest never sets either)."""

_STAGE_TABLE = f"""
CREATE TEMP TABLE IF NOT EXISTS ingest_stage (seq INTEGER PRIMARY KEY, {", ".join(_COLUMNS)})
"""
"""Per-connection scratch table for the changed rows of one ingest."""

_STAGE_ROW = (
    f"INSERT INTO temp.ingest_stage ({', '.join(_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(_COLUMNS))})"
)
_UPDATE = (
    "UPDATE articles SET "
    + ", ".join(f"{c} = u.{c}" for c in _COLUMNS if c not in ("id", "feed", "first_seen"))
    + " FROM temp.ingest_stage AS u WHERE articles.id = u.id"
)

_LOOKUP_CHUNK = 5_000
"""Ids looked up per statement (passed as one JSON array)."""


def prepare(request: IngestRequest) -> list[Prepared]:
    """What storing ``request`` needs, worked out before its transaction: the last article of
    each id only, in reverse (a feed lists its newest item first, and among articles of the
    same sort time the highest rowid shows first). ValueError if an article belongs to
    another feed."""
    latest: dict[str, Article] = {}
    for article in request.articles:
        if article.feed != request.feed:
            raise ValueError(
                f"article {article.id} belongs to feed {article.feed!r}, not {request.feed!r}"
            )
        latest[article.id] = article
    return [
        Prepared(article, to_us(article.published), content_digest(article))
        for article in reversed(latest.values())
    ]


def ingest_into(
    conn: sqlite3.Connection, request: IngestRequest, prepared: Sequence[Prepared]
) -> IngestCounts:
    """Store one prepared request inside the caller's write transaction."""
    now = to_us(datetime.now(UTC))
    assert now is not None
    hashes = request.source_hashes or {}
    feed = request.feed
    conn.execute("INSERT INTO feeds (name) VALUES (?) ON CONFLICT DO NOTHING", (feed,))
    if request.status is not None:
        save_statuses(conn, [request.status])
    gone = tombstoned(conn, feed, [p.article.id for p in prepared])
    if gone:  # removed on purpose: never stored again (see biotui.store.removals)
        prepared = [p for p in prepared if p.article.id not in gone]
        seen_again(conn, feed, gone, now)
    known = _known(conn, [p.article.id for p in prepared]) if _holds_feed(conn, feed) else {}
    fresh: list[tuple[object, ...]] = []
    changed: list[tuple[object, ...]] = []
    rehashed: list[tuple[str, str]] = []
    fresh_articles: list[Article] = []
    changed_rowids: list[tuple[int, Article]] = []
    for item in prepared:
        source_hash = hashes.get(item.article.id)
        stored = known.get(item.article.id)
        if stored is None:
            fresh.append(_row(item, now, source_hash))
            fresh_articles.append(item.article)
        elif stored[0] != item.digest:
            changed.append(_row(item, stored[1], source_hash))
            changed_rowids.append((stored[3], item.article))
        elif source_hash is not None and stored[2] != source_hash:
            rehashed.append((source_hash, item.article.id))
    if fresh:
        last = conn.execute(_LAST_ROWID).fetchone()[0]
        conn.executemany(_INSERT, [(last + n, *row) for n, row in enumerate(fresh, start=1)])
        conn.execute(_INDEX_NEW, (last,))
        conn.execute(_COUNT_NEW, (feed, len(fresh), len(fresh)))
        if request.identifiers is None and request.identifiers_later:
            conn.execute(_LATER, (last,))
        else:
            numbered = enumerate(fresh_articles, start=last + 1)
            replace_found(conn, FEED_TEXT, _found(request.identifiers, numbered), fresh=True)
        evaluate_new(conn, last)
    if changed:
        conn.execute(_STAGE_TABLE)
        conn.execute("DELETE FROM temp.ingest_stage")
        conn.executemany(_STAGE_ROW, changed)
        conn.execute(_UPDATE)
        conn.execute("DELETE FROM temp.ingest_stage")
        replace_found(conn, FEED_TEXT, _found(request.identifiers, changed_rowids))
        evaluate_rowids(conn, [rowid for rowid, _ in changed_rowids])
    # Only the entry digest changes (no indexed column): no full-text work.
    conn.executemany("UPDATE articles SET source_hash = ? WHERE id = ?", rehashed)
    save_files(conn, feed, request.files)
    unchanged = len(prepared) - len(fresh) - len(changed)
    return IngestCounts(new=len(fresh), updated=len(changed), unchanged=unchanged)


def entry_digests(conn: sqlite3.Connection, feed: str) -> frozenset[str]:
    """The digests of the feed entries the stored articles of ``feed`` were read from, and
    those of its recent tombstones (see :mod:`biotui.store.tombstones`)."""
    rows = conn.execute(
        "SELECT source_hash FROM articles WHERE feed = ? AND source_hash IS NOT NULL", (feed,)
    )
    now = to_us(datetime.now(UTC))
    assert now is not None
    return frozenset(digest for (digest,) in rows) | offered_digests(conn, feed, now)


def _found(
    given: Found | None, articles: Iterable[tuple[int, Article]]
) -> Iterator[tuple[int, Sequence[Identifier]]]:
    """Each ``(rowid, article)``'s rowid with the identifiers of its title and body: those
    ``given``, or found here when none were."""
    for rowid, article in articles:
        if given is None:
            yield rowid, find(article.title, article.body)
        else:
            yield rowid, given.get(article.id, ())


def _row(item: Prepared, first_seen: int, source_hash: str | None) -> tuple[object, ...]:
    """One row of ``articles``: :data:`_COLUMNS` in order."""
    article, published = item.article, item.published
    sort_time = first_seen if published is None else min(published, first_seen)
    return (
        article.id,
        article.feed,
        *content_values(article),
        sort_time,
        first_seen,
        item.digest,
        source_hash,
    )


def _holds_feed(conn: sqlite3.Connection, feed: str) -> bool:
    """Whether any article of ``feed`` is stored: a feed's first ingest (every feed of a new
    store) then looks none of its ids up."""
    found = conn.execute("SELECT 1 FROM articles WHERE feed = ? LIMIT 1", (feed,)).fetchone()
    return found is not None


_Stored = tuple[str, int, str | None, int]
"""What an ingest compares a stored article by: content digest, first seen, entry digest; and
its rowid."""


def _known(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, _Stored]:
    """Map each stored id among ``ids`` to what an ingest compares it by."""
    return {
        article_id: (digest, seen, entry, rowid)
        for article_id, digest, seen, entry, rowid in _rows(conn, ids)
    }


def _rows(
    conn: sqlite3.Connection, ids: Sequence[str]
) -> Iterator[tuple[str, str, int, str | None, int]]:
    """(id, content digest, first seen, entry digest, rowid) of the stored articles among
    ``ids``."""
    sql = (
        "SELECT id, content_hash, first_seen, source_hash, rowid FROM articles"
        " WHERE id IN (SELECT value FROM json_each(?))"
    )
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        yield from conn.execute(sql, (json.dumps(list(ids[start : start + _LOOKUP_CHUNK])),))
