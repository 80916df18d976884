"""Merging a local article stored under its old absolute-path guid into its relative-path one.

A local file's guid is its path relative to its feed's root, so that it keeps its id when the
folder moves or is reached through another configuration. Stores written before held the
file's absolute path as its guid, sometimes twice (one per path the folder was reached by).
The store cannot know the configuration, so the merge happens when the new id is stored: an
older article of the same feed with a ``file:`` link whose guid is an absolute path ending
in ``/`` plus the new guid is the same article. It is deleted, and the new article keeps the
union of their marks (read if either was, starred if either was) and the earliest first-seen
and sort time. Its entries in the marks log follow it, so that undo still finds it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from biotui.model import Article

__all__ = ["is_relative_local", "legacy_guids", "merge_moved"]

_LEGACY = """
SELECT id, guid, read, starred, first_seen, sort_time FROM articles
WHERE feed = ? AND link LIKE 'file:%' AND (guid LIKE '/%' OR guid GLOB '[A-Za-z]:[\\/]*')
"""
"""The articles of a feed that may hold an absolute-path guid of a local file."""

_UNITE = """
UPDATE articles SET read = max(read, ?), starred = max(starred, ?),
    first_seen = min(first_seen, ?), sort_time = min(sort_time, ?)
WHERE id = ?
"""


def is_relative_local(article: Article) -> bool:
    """Whether ``article`` was read from a local file and has a relative-path guid."""
    guid = article.guid
    absolute = guid.startswith(("/", "\\")) or (len(guid) > 2 and guid[1] == ":")
    return article.link.startswith("file:") and bool(guid) and not absolute


def legacy_guids(conn: sqlite3.Connection, feed: str) -> frozenset[str]:
    """The absolute-path guids (``/`` separators) of ``feed``'s local articles not yet
    merged: a refresh reads their files again even when unchanged, so that they merge."""
    rows = conn.execute(_LEGACY, (feed,))
    return frozenset(str(guid).replace("\\", "/") for _, guid, *_ in rows)


def merge_moved(conn: sqlite3.Connection, feed: str, articles: Iterable[Article]) -> int:
    """Merge into each of ``articles`` (stored already, local, relative guids) the older
    articles of ``feed`` stored under an absolute path ending with its guid; return how many
    older articles were merged away. Inside the caller's write transaction."""
    by_guid = {article.guid: article.id for article in articles if is_relative_local(article)}
    if not by_guid:
        return 0
    merged = 0
    for old_id, guid, read, starred, first_seen, sort_time in conn.execute(
        _LEGACY, (feed,)
    ).fetchall():
        new_id = _match(str(guid).replace("\\", "/"), by_guid)
        if new_id is None or new_id == old_id:
            continue
        conn.execute(_UNITE, (read, starred, first_seen, sort_time, new_id))
        conn.execute(
            "UPDATE OR IGNORE mark_changes SET article = ? WHERE article = ?", (new_id, old_id)
        )
        conn.execute("DELETE FROM articles WHERE id = ?", (old_id,))
        merged += 1
    return merged


def _match(path: str, by_guid: dict[str, str]) -> str | None:
    """The id of the longest relative guid that ``path`` ends with after a ``/``, or None."""
    start = path.find("/")
    while start != -1:
        found = by_guid.get(path[start + 1 :])
        if found is not None:
            return found
        start = path.find("/", start + 1)
    return None
