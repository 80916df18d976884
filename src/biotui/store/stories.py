"""Stories: which articles report one event. The store keeps each grouped article's story,
finds a new article's candidates by index and records the decision; the decision itself is
the caller's (a ``choose`` callable, see :mod:`biotui.stories`), so the store knows nothing
of how articles are compared.

A story's id is given once (table ``stories``) and kept: when an article joins two stories,
they become one under the older (smaller) id. A story shows as its earliest article.
Candidates are the grouped articles sharing an identifier or two title words (keys) with the
new article within ``window`` microseconds of its time, at most :data:`CANDIDATES` of them,
read through ``story_keys``' order; the cost of grouping an article does not grow with the
store.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from biotui.store.connections import Connections

__all__ = [
    "CANDIDATES",
    "Pending",
    "Stories",
    "StoryCandidate",
    "StoryChooser",
    "StoryEntry",
    "StorySummary",
]

CANDIDATES = 50
"""At most this many stored articles are compared with a new one: those sharing the most
keys with it."""


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """An article to group: its public id, the keys it is found by, its features (text only
    the chooser reads)."""

    article: str
    keys: tuple[str, ...]
    features: str


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    """A grouped article near a new one: its story, its time (microseconds), its features."""

    story: int
    sort_time: int
    features: str


StoryChooser = Callable[[StoryEntry, int, Sequence[StoryCandidate]], Sequence[int]]
"""``choose(entry, its time, candidates)``: the stories the entry joins, oldest first (none:
it starts its own)."""


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
SELECT articles.rowid, articles.sort_time, story_members.story, articles.id
FROM json_each(?) AS wanted JOIN articles ON articles.id = wanted.value
LEFT JOIN story_members ON story_members.article = articles.rowid
"""
_CANDIDATES = f"""
SELECT m.article, m.story, m.sort_time, m.features
FROM (
    SELECT k.article FROM story_keys AS k
    WHERE k.key IN (SELECT value FROM json_each(?)) AND k.sort_time BETWEEN ? AND ?
      AND k.article != ?
    GROUP BY k.article HAVING count(*) >= 2 OR max(k.key LIKE 'i:%')
    ORDER BY count(*) DESC LIMIT {CANDIDATES}
) AS near JOIN story_members AS m ON m.article = near.article
"""
"""The grouped articles near a new one that share an identifier or two title words with
it (a single common word brings too many to compare)."""


class Stories:
    """The stories of a store (:attr:`Store.stories`)."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    def assign(self, entries: Sequence[StoryEntry], choose: StoryChooser, *, window: int) -> int:
        """Group the articles of ``entries`` not grouped yet, earliest first, in one
        transaction; unknown ids are skipped. Returns how many were grouped."""
        if not entries:
            return 0
        with self._db.write("cannot group articles into stories") as conn:
            return _assign(conn, entries, choose, window)

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

    def followers(self, rowids: Sequence[int] | None = None) -> dict[int, tuple[int, int]]:
        """Every grouped article that is not its story's earliest: its rowid -> (the
        earliest article's rowid, its place in the story, 1 for the second article). What a
        list shows folded under its stories' first rows.

        With ``rowids``, only those among them (read by index: for a list's first pages);
        without, all of them, remembered by the thread's connection until the data changes
        (see :meth:`remembered_followers`)."""
        with self._db.errors("cannot read stories") as conn:
            if rowids is not None:
                rows = conn.execute(_FOLLOWERS_OF, (json.dumps(list(rowids)),)).fetchall()
                return {article: (lead, place) for article, lead, place in rows if place}
            state = conn.state()
            flat = array("q")
            story = lead = place = 0
            for member_of, article in conn.execute(_FOLLOWERS):
                if member_of != story:
                    story, lead, place = member_of, article, 0
                    continue
                place += 1
                flat.extend((article, lead, place))
            conn.remembered[_FOLLOWERS_KEY] = (state, flat)
        return _unflatten(flat)

    def remembered_followers(self) -> dict[int, tuple[int, int]] | None:
        """What :meth:`followers` gave last on this thread's connection if the data has not
        changed since (None otherwise): no read of the stories at all."""
        with self._db.errors("cannot read stories") as conn:
            kept = conn.remembered.get(_FOLLOWERS_KEY)
            if kept is None or kept[0] != conn.state():
                return None
        return _unflatten(kept[1])

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


_FOLLOWERS = """
SELECT m.story, m.article FROM story_members AS m INDEXED BY story_members_by_story
WHERE m.story IN (SELECT story FROM story_members GROUP BY story HAVING count(*) > 1)
ORDER BY m.story, m.sort_time, m.article
"""
"""The members of every story of more than one article, story by story, earliest first."""

_FOLLOWERS_OF = """
SELECT m.article,
       (SELECT e.article FROM story_members AS e WHERE e.story = m.story
        ORDER BY e.sort_time, e.article LIMIT 1),
       (SELECT count(*) FROM story_members AS e WHERE e.story = m.story
        AND (e.sort_time, e.article) < (m.sort_time, m.article))
FROM story_members AS m WHERE m.article IN (SELECT value FROM json_each(?))
"""

_FOLLOWERS_KEY = "story-followers"
"""The key under which a connection remembers :data:`_FOLLOWERS` (flat triples)."""


def _unflatten(flat: array[int]) -> dict[int, tuple[int, int]]:
    return {flat[i]: (flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3)}


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


def _assign(
    conn: sqlite3.Connection, entries: Sequence[StoryEntry], choose: StoryChooser, window: int
) -> int:
    by_id = {entry.article: entry for entry in entries}
    targets = conn.execute(_TARGETS, (json.dumps(list(by_id)),)).fetchall()
    order = sorted(
        (sort_time, rowid, article_id)
        for rowid, sort_time, story, article_id in targets
        if story is None
    )
    for sort_time, rowid, article_id in order:
        entry = by_id[article_id]
        rows = conn.execute(
            _CANDIDATES,
            (json.dumps(list(entry.keys)), sort_time - window, sort_time + window, rowid),
        ).fetchall()
        candidates = [StoryCandidate(story, time, features) for _, story, time, features in rows]
        joined = list(choose(entry, sort_time, candidates)) if candidates else []
        if joined:
            story = joined[0]
            for other in joined[1:]:
                conn.execute("UPDATE story_members SET story = ? WHERE story = ?", (story, other))
        else:
            story = int(conn.execute("INSERT INTO stories DEFAULT VALUES").lastrowid or 0)
        conn.execute(
            "INSERT INTO story_members (article, story, sort_time, features, keys)"
            " VALUES (?, ?, ?, ?, ?)",
            (rowid, story, sort_time, entry.features, json.dumps(list(entry.keys))),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO story_keys (key, sort_time, article) VALUES (?, ?, ?)",
            [(key, sort_time, rowid) for key in entry.keys],
        )
    return len(order)
