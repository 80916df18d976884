"""The one mapping between table rows and model records.

Times are stored as integer microseconds since the Unix epoch (UTC) and come back as
timezone-aware UTC datetimes; a naive datetime given to the store is taken as UTC. Tuples of
strings are stored as JSON arrays.

An article's content fields map to columns through :data:`CONTENT`: a new field of
:class:`~biotui.model.Article` needs one entry there and its column in the schema; the insert,
update and select lists of the store are all derived from it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import attrgetter
from typing import Any

from biotui.model import Article, FeedStatus, Headline

__all__ = [
    "ARTICLE_COLUMNS",
    "CONTENT",
    "HEADLINE_COLUMNS",
    "STATUS_COLUMNS",
    "STORED_COLUMNS",
    "Column",
    "article_from_row",
    "content_values",
    "from_us",
    "headlines_from_rows",
    "status_from_row",
    "status_values",
    "to_us",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def to_us(moment: datetime | None) -> int | None:
    """Datetime -> integer microseconds since the epoch (naive datetimes taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND


def from_us(value: int | None) -> datetime | None:
    """Integer microseconds since the epoch -> aware UTC datetime."""
    if value is None:
        return None
    return _EPOCH + timedelta(0, 0, value)


_LIST_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _json_list(items: tuple[str, ...]) -> str:
    return _LIST_ENCODER.encode(list(items)) if items else "[]"


def _tuple(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class Column:
    """One content field of :class:`Article` and how its column holds it."""

    name: str
    """The field's name, which is also its column's name."""
    to_sql: Callable[[Any], object] = _same
    from_sql: Callable[[Any], Any] = _same


CONTENT: tuple[Column, ...] = (
    Column("guid"),
    Column("title"),
    Column("link"),
    Column("author"),
    Column("published", to_us, from_us),
    Column("source"),
    Column("source_title"),
    Column("section"),
    Column("place"),
    Column("credits", _json_list, _tuple),
    Column("body"),
    Column("notes", _json_list, _tuple),
)
"""The article's content columns, besides its keys ``id`` and ``feed`` and its state ``read``
and ``starred`` (which an ingest never writes)."""

STORED_COLUMNS = ("sort_time", "first_seen", "content_hash", "source_hash")
"""Columns the store works out itself: the headline order's time, when the article was first
stored, its content digest and the digest of the feed entry it was read from."""

ARTICLE_COLUMNS = ", ".join(["rowid", "id", "feed", *(c.name for c in CONTENT), "read", "starred"])
"""What :func:`article_from_row` reads, in its order."""


def article_from_row(row: Sequence[Any]) -> Article:
    """The article of a row of :data:`ARTICLE_COLUMNS`."""
    values = row[3 : 3 + len(CONTENT)]
    content = {c.name: c.from_sql(value) for c, value in zip(CONTENT, values, strict=True)}
    return Article(
        id=row[1],
        feed=row[2],
        read=bool(row[-2]),
        starred=bool(row[-1]),
        **content,
    )


_GET_CONTENT = attrgetter(*(c.name for c in CONTENT))
_CONVERTED = tuple((n, c.to_sql) for n, c in enumerate(CONTENT) if c.to_sql is not _same)


def content_values(article: Article) -> list[object]:
    """The values of :data:`CONTENT`'s columns for ``article``, in their order."""
    values: list[object] = list(_GET_CONTENT(article))
    for number, convert in _CONVERTED:
        values[number] = convert(values[number])
    return values


HEADLINE_COLUMNS = ", ".join(
    f"articles.{name}"
    for name in ("rowid", "id", "feed", "title", "source", "published", "read", "starred", "link")
)
"""What :func:`headlines_from_rows` reads, in its order; qualified by table so that a query
may join ``articles`` to a table of its own."""


def headlines_from_rows(rows: Iterable[Sequence[Any]]) -> list[Headline]:
    """The headlines of rows of :data:`HEADLINE_COLUMNS`, in their order.

    One comprehension over unpacked rows, passing :class:`Headline`'s fields by position in
    their declared order, since a listing builds a headline for every match.
    """
    return [
        Headline(
            rowid,
            article_id,
            feed,
            title,
            source,
            None if published is None else _EPOCH + timedelta(0, 0, published),
            read != 0,
            starred != 0,
            link,
        )
        for rowid, article_id, feed, title, source, published, read, starred, link in rows
    ]


STATUS_COLUMNS = (
    "name, location, etag, last_modified, last_checked, last_success, last_error, retry_after"
)
"""The columns of ``feeds``, in the order of :func:`status_values` and
:func:`status_from_row`."""


def status_values(status: FeedStatus) -> tuple[object, ...]:
    """A feed status as the values of :data:`STATUS_COLUMNS`."""
    return (
        status.name,
        status.location,
        status.etag,
        status.last_modified,
        to_us(status.last_checked),
        to_us(status.last_success),
        status.last_error,
        to_us(status.retry_after),
    )


def status_from_row(row: Sequence[Any]) -> FeedStatus:
    """The feed status of a row of :data:`STATUS_COLUMNS`."""
    return FeedStatus(
        name=row[0],
        location=row[1],
        etag=row[2],
        last_modified=row[3],
        last_checked=from_us(row[4]),
        last_success=from_us(row[5]),
        last_error=row[6],
        retry_after=from_us(row[7]),
    )
