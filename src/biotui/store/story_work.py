"""One grouping transaction as its caller sees it (:meth:`biotui.store.stories.Stories.assign`):
the articles to group, the grouped articles it may read (by time range or by shared keys),
new story ids, and the records of what it decided."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = [
    "BY_KEYS",
    "StoryBatch",
    "StoryMember",
    "StoryPlacement",
    "StoryPlacer",
    "StoryTarget",
    "StoryWork",
]


@dataclass(frozen=True, slots=True)
class StoryTarget:
    """A stored article to group: its rowid, its public id, its headline time
    (microseconds)."""

    rowid: int
    article: str
    sort_time: int


class StoryMember(NamedTuple):
    """A grouped article: its rowid, its story, its time (microseconds) and its features
    (text only the grouping reads). A named tuple: a window of them is read at once."""

    article: int
    story: int
    sort_time: int
    features: str


@dataclass(frozen=True, slots=True)
class StoryPlacement:
    """An article placed in a story: its rowid, its story, its time, its features, and the
    keys it is found by in the store (:meth:`StoryWork.members_by_keys`)."""

    article: int
    story: int
    sort_time: int
    features: str
    keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryBatch:
    """What a transaction writes: the placed articles, and the stories merged into others
    (old id -> the id it becomes; the placements name the ids stories end with)."""

    placements: Sequence[StoryPlacement]
    merged: Mapping[int, int] = field(default_factory=dict)


class StoryWork:
    """The caller's view of one grouping transaction (:meth:`Stories.assign`)."""

    def __init__(self, conn: sqlite3.Connection, targets: list[StoryTarget]) -> None:
        self._conn = conn
        self._last: int | None = None
        self.given: list[int] = []
        """The story ids :meth:`new_story` gave (written with the batch)."""
        self.targets = targets
        """The articles to group (stored, not grouped yet), earliest first."""
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        self.token = (id(conn), int(version))
        """Equal to the previous transaction's when nothing but that transaction's own
        connection has written the store since."""

    def members(self, start: int, end: int) -> list[StoryMember]:
        """The grouped articles whose time is within ``start``..``end`` (microseconds)."""
        rows = self._conn.execute(_MEMBERS, (start, end)).fetchall()
        return list(map(StoryMember._make, rows))

    def count(self, start: int, end: int) -> int:
        """How many grouped articles have a time within ``start``..``end``."""
        return int(self._conn.execute(_COUNT, (start, end)).fetchone()[0])

    def members_by_keys(
        self, keys: Sequence[Sequence[str]], start: int, end: int
    ) -> list[StoryMember]:
        """For each article's ``keys``, the grouped articles within ``start``..``end``
        sharing two word keys (``w:…``) or an identifier key (``i:…``) with it (at most
        :data:`BY_KEYS` of them, those sharing the most), and the other articles of their
        stories within that time; in one query, read through ``story_keys`` (the cost
        follows the matches, not the articles in that time)."""
        wanted = json.dumps([[number, key] for number, each in enumerate(keys) for key in each])
        rows = self._conn.execute(_BY_KEYS, (wanted, start, end, start, end))
        return list(map(StoryMember._make, rows.fetchall()))

    def new_story(self) -> int:
        """A story id never given before (the transaction writes it in ``stories``)."""
        if self._last is None:
            row = self._conn.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'stories'), 0),"
                " coalesce((SELECT max(story) FROM stories), 0))"
            ).fetchone()
            self._last = int(row[0])
        self._last += 1
        self.given.append(self._last)
        return self._last


StoryPlacer = Callable[[StoryWork], StoryBatch]
"""``place(work)``: where the articles of ``work.targets`` go (those left out stay
ungrouped)."""


_MEMBERS = """
SELECT m.article, m.story, m.sort_time, m.features
FROM articles INDEXED BY articles_by_time JOIN story_members AS m ON m.article = articles.rowid
WHERE articles.sort_time BETWEEN ? AND ?
"""
"""Grouped articles by time, read through the articles' time index."""
_COUNT = """
SELECT count(*)
FROM articles INDEXED BY articles_by_time JOIN story_members AS m ON m.article = articles.rowid
WHERE articles.sort_time BETWEEN ? AND ?
"""
BY_KEYS = 50
"""At most this many grouped articles are read for one article by its keys."""
_BY_KEYS = f"""
WITH wanted AS (
    SELECT json_extract(value, '$[0]') AS target, json_extract(value, '$[1]') AS key
    FROM json_each(?)
), shared AS (
    SELECT wanted.target, k.article, count(*) AS n
    FROM wanted JOIN story_keys AS k ON k.key = wanted.key
    WHERE k.sort_time BETWEEN ? AND ?
    GROUP BY wanted.target, k.article HAVING count(*) >= 2 OR max(k.key LIKE 'i:%')
), near AS (
    SELECT DISTINCT article FROM (
        SELECT article, row_number() OVER (PARTITION BY target ORDER BY n DESC) AS rank
        FROM shared
    ) WHERE rank <= {BY_KEYS}
), found AS (
    SELECT DISTINCT m.story FROM near JOIN story_members AS m ON m.article = near.article
)
SELECT m.article, m.story, m.sort_time, m.features
FROM found JOIN story_members AS m INDEXED BY story_members_by_story ON m.story = found.story
WHERE m.sort_time BETWEEN ? AND ?
"""
