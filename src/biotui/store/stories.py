"""Stories: which articles report one event. The store keeps each grouped article's story
and records the grouping's decisions; the decisions themselves are the caller's (a
``place`` callable, see :mod:`biotui.refresh.grouping`), so the store knows nothing of how
articles are compared.

A story's id is given once (table ``stories``) and kept: when an article joins two stories,
they become one under the older (smaller) id. A story shows as its earliest article.
:meth:`Stories.assign` runs one write transaction: it finds the articles to group, lets the
caller read the grouped articles near them and take new story ids, and writes what the
caller decided. The caller reads either every grouped article of a time range
(:meth:`StoryWork.members`: when it groups many articles there) or only those sharing keys
with its articles (:meth:`StoryWork.members_by_keys`, through ``story_keys``: when a few
articles join a busy range). It may keep what it read between transactions:
:attr:`StoryWork.token` changes whenever another connection has written the store since
(``PRAGMA data_version``), which is when what it kept may be out of date.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from biotui.store.connections import Connections
from biotui.store.follower_schema import RELEAD
from biotui.store.story_work import (
    StoryBatch,
    StoryMember,
    StoryPlacement,
    StoryPlacer,
    StoryTarget,
    StoryWork,
)

__all__ = [
    "Pending",
    "Stories",
    "StoryBatch",
    "StoryMember",
    "StoryPlacement",
    "StorySummary",
    "StoryTarget",
    "StoryWork",
]


@dataclass(frozen=True, slots=True)
class Pending:
    """A stored article not grouped yet, with what grouping reads of it (the start of the
    body only)."""

    rowid: int
    id: str
    feed: str
    title: str
    body_start: str
    sort_time: int


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story as ``list --stories`` prints it: its id, its earliest article's rowid and how
    many articles it holds."""

    story: int
    first: int
    size: int


_BODY_START = 1200
"""Characters of a body read for grouping (its lede is in its first sentences)."""

_TARGETS = """
SELECT articles.rowid, articles.id, articles.sort_time
FROM json_each(?) AS wanted JOIN articles ON articles.id = wanted.value
WHERE NOT EXISTS (SELECT 1 FROM story_members WHERE article = articles.rowid)
"""


class Stories:
    """The stories of a store (:attr:`Store.stories`)."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    def assign(self, ids: Sequence[str], place: StoryPlacer) -> int:
        """Group the articles of ``ids`` not grouped yet (unknown ids are skipped) in one
        transaction: ``place`` decides, the store writes. Returns how many were grouped."""
        if not ids:
            return 0
        with self._db.write("cannot group articles into stories") as conn:
            found = conn.execute(_TARGETS, (json.dumps(list(dict.fromkeys(ids))),)).fetchall()
            targets = sorted((StoryTarget(*row) for row in found), key=_earliest)
            if not targets:
                return 0
            work = StoryWork(conn, targets)
            batch = place(work)
            conn.executemany("INSERT INTO stories (story) VALUES (?)", [(s,) for s in work.given])
            conn.executemany(
                "UPDATE story_members SET story = ? WHERE story = ?",
                [(new, old) for old, new in batch.merged.items()],
            )
            placements = batch.placements
            conn.executemany(
                "INSERT INTO story_members (article, story, sort_time, features, keys)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (p.article, p.story, p.sort_time, p.features, json.dumps(p.keys))
                    for p in placements
                ],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO story_keys (key, sort_time, article) VALUES (?, ?, ?)",
                [(key, p.sort_time, p.article) for p in placements for key in p.keys],
            )
            touched = {p.story for p in placements} | set(batch.merged.values())
            conn.execute(RELEAD, (json.dumps(sorted(touched)),))
            return len(placements)

    def pending(self, after: tuple[int, int] | None, limit: int) -> list[Pending]:
        """At most ``limit`` articles not grouped yet, earliest first, after ``after`` (the
        last one's (sort_time, rowid) of the previous call)."""
        start = after or (-(2**62), 0)
        with self._db.errors("cannot read articles to group") as conn:
            rows = conn.execute(
                "SELECT rowid, id, feed, title, substr(body, 1, ?), sort_time"
                " FROM articles INDEXED BY articles_by_time"
                " WHERE (sort_time, rowid) > (?, ?) AND NOT EXISTS"
                " (SELECT 1 FROM story_members WHERE article = articles.rowid)"
                " ORDER BY sort_time, rowid LIMIT ?",
                (_BODY_START, *start, limit),
            ).fetchall()
        return [Pending(*row) for row in rows]

    def ungrouped(self) -> int:
        """How many stored articles are not grouped yet."""
        with self._db.errors("cannot count articles to group") as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM story_members)"
            ).fetchone()
        return int(row[0])

    def story_of(self, rowids: Sequence[int]) -> dict[int, int]:
        """The story of each grouped article among ``rowids``."""
        if not rowids:
            return {}
        with self._db.errors("cannot read stories") as conn:
            rows = conn.execute(
                "SELECT article, story FROM story_members"
                " WHERE article IN (SELECT value FROM json_each(?))",
                (json.dumps(list(rowids)),),
            )
            return dict(rows.fetchall())

    def members(self, story: int) -> list[int]:
        """The rowids of a story's articles, earliest first."""
        with self._db.errors("cannot read a story") as conn:
            rows = conn.execute(
                "SELECT article FROM story_members WHERE story = ? ORDER BY sort_time, article",
                (story,),
            )
            return [rowid for (rowid,) in rows]

    def followers(self, rowids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """The grouped articles among ``rowids`` that are not their story's earliest: rowid
        -> (the earliest article's rowid, its place in the story, 1 for the second article).
        Read by index: for a list's first pages."""
        with self._db.errors("cannot read stories") as conn:
            rows = conn.execute(_FOLLOWERS_OF, (json.dumps(list(rowids)),)).fetchall()
        return {article: (lead, place) for article, lead, place in rows if place}

    def sizes(self, rowids: Sequence[int]) -> dict[int, int]:
        """How many articles the story of each article among ``rowids`` holds, for those
        whose story holds more than one."""
        if not rowids:
            return {}
        with self._db.errors("cannot read stories") as conn:
            rows = conn.execute(_SIZES, (json.dumps(list(rowids)),)).fetchall()
        return {article: size for article, size in rows if size > 1}

    def summaries(self, rowids: Sequence[int]) -> list[StorySummary]:
        """The stories of ``rowids``, in the order of their first article among them, each
        with its earliest stored article and its size; an article not grouped yet is a
        story of its own (id 0)."""
        stories = self.story_of(rowids)
        order: dict[int, int] = {}
        for rowid in rowids:
            story = stories.get(rowid)
            order.setdefault(-rowid if story is None else story, rowid)
        grouped = [story for story in order if story > 0]
        with self._db.errors("cannot read stories") as conn:
            found = {
                story: (first, size)
                for story, first, size in conn.execute(_SUMMARY, (json.dumps(grouped),))
            }
        return [
            StorySummary(story, *found[story]) if story > 0 else StorySummary(0, -story, 1)
            for story in order
        ]


_FOLLOWERS_OF = """
SELECT m.article,
       (SELECT e.article FROM story_members AS e WHERE e.story = m.story
        ORDER BY e.sort_time, e.article LIMIT 1),
       (SELECT count(*) FROM story_members AS e WHERE e.story = m.story
        AND (e.sort_time, e.article) < (m.sort_time, m.article))
FROM story_members AS m WHERE m.article IN (SELECT value FROM json_each(?))
"""

_SIZES = """
SELECT m.article, (SELECT count(*) FROM story_members AS s WHERE s.story = m.story)
FROM story_members AS m WHERE m.article IN (SELECT value FROM json_each(?))
"""

_SUMMARY = """
SELECT wanted.value,
       (SELECT article FROM story_members WHERE story = wanted.value
        ORDER BY sort_time, article LIMIT 1),
       (SELECT count(*) FROM story_members WHERE story = wanted.value)
FROM json_each(?) AS wanted
"""


def _earliest(target: StoryTarget) -> tuple[int, int]:
    return target.sort_time, target.rowid
