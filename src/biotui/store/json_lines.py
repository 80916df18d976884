"""Headlines as the JSON lines of ``biotui list --json``, built by SQLite.

``list --json`` may print every match of a filter at a million articles; building each line
in SQL costs a fraction of what a :class:`~biotui.model.Headline` and a dict per row cost in
Python. Each line is byte for byte what :mod:`biotui.cli.records` builds for a headline and
its story (``tests/cli/test_cli_records.py`` holds the two together): its keys in that
order, Python's separators, strings escaped as :mod:`json` escapes them with
``ensure_ascii=False`` (``json_quote`` escapes the same characters the same way), times in
ISO 8601 with the offset and with microseconds only when there are some.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from biotui.store.connections import Connection

__all__ = ["JSON_LINES_SQL", "json_lines"]

_MICRO = "((articles.published % 1000000) + 1000000) % 1000000"
"""The microseconds of the publication time (microseconds since 1970 in UTC), from 0 to
999,999 before 1970 too."""

_PUBLISHED = (
    "CASE WHEN articles.published IS NULL THEN 'null' ELSE '\"' || strftime("
    f"'%Y-%m-%dT%H:%M:%S', (articles.published - {_MICRO}) / 1000000, 'unixepoch')"
    f" || CASE WHEN {_MICRO} THEN printf('.%06d', {_MICRO}) ELSE '' END || '+00:00\"' END"
)
"""The publication time as a JSON string, or null."""

_FIELDS = (
    ("id", "json_quote(articles.id)"),
    ("title", "json_quote(articles.title)"),
    ("source", "json_quote(articles.source)"),
    ("feed", "json_quote(articles.feed)"),
    ("published", _PUBLISHED),
    ("link", "json_quote(articles.link)"),
    ("read", "CASE WHEN articles.read THEN 'true' ELSE 'false' END"),
    ("starred", "CASE WHEN articles.starred THEN 'true' ELSE 'false' END"),
    ("story", "coalesce(story_members.story, 'null')"),
)
"""Each key of a line, in order, and the SQL of its JSON value."""

JSON_LINES_SQL = (
    "SELECT articles.rowid, '{' || "
    + " || ', ' || ".join(f"'\"{key}\": ' || {value}" for key, value in _FIELDS)
    + " || '}' FROM articles LEFT JOIN story_members ON story_members.article = articles.rowid"
    " WHERE articles.rowid IN (SELECT value FROM json_each(?))"
)
"""The rowid and JSON line of each article of a JSON array of rowids, in rowid order."""


def json_lines(conn: Connection, rowids: Sequence[int]) -> list[str]:
    """The JSON lines of the articles ``rowids``, in that order (unknown rowids skipped)."""
    lines = dict(conn.execute(JSON_LINES_SQL, (json.dumps(list(rowids)),)).fetchall())
    return [lines[rowid] for rowid in rowids if rowid in lines]
