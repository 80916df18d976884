"""Full-text conditions on articles and the SQL that lists, counts and orders what they keep.

A listing is a query of rowids, one row each, which :mod:`biotui.store.listing` reads a
batch at a time into an ``array``: its memory stays that of the array (one string of every
rowid, as an aggregate would give, took several times as much on the way). The matches of a
full-text query are read from the connection's temporary tables
(:mod:`biotui.store.match_tables`). Which statement serves which filter is decided in
:mod:`biotui.store.listing`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from biotui.store.match_tables import EXCLUDED, MATCHED
from biotui.store.matching import Match, rowid_condition
from biotui.store.muting import NO_MUTING, Muting
from biotui.store.schema import BM25_WEIGHTS, FTS_COLUMNS

__all__ = [
    "FeedFilter",
    "IndexQuery",
    "Order",
    "count_sql",
    "newest_among_sql",
    "newest_sql",
    "relevance_sql",
]

Order = Literal["newest", "relevance"]
"""Headline orders: newest first, or best full-text match first (then newest)."""

FeedFilter = str | tuple[str, ...] | None
"""The feeds a listing keeps: one feed's name, a tuple of names (the articles of any of them:
a tag's feeds), or None for every feed."""


@dataclass(frozen=True, slots=True)
class IndexQuery:
    """A full-text condition on articles, built by :mod:`biotui.search` (never from raw text).

    ``match`` is what rows must satisfy (an FTS5 MATCH expression, or a
    :data:`~biotui.store.matching.Match` naming identifiers too), or ``None`` for every
    article; rows matching ``exclude`` are removed. The filter compiler sets one of the two:
    ``exclude`` alone serves filters that keep articles mentioning nothing.
    """

    match: Match | None
    exclude: Match | None = None


_AMONG = f"articles.rowid IN {MATCHED}"
_NOT_AMONG = f"articles.rowid NOT IN {EXCLUDED}"
_BM25 = "bm25(articles_fts, {})".format(", ".join(str(BM25_WEIGHTS[c]) for c in FTS_COLUMNS))
_NEWEST = "articles.sort_time DESC, articles.rowid DESC"


def _filters(
    unread_only: bool, starred_only: bool, feed: FeedFilter, muting: Muting
) -> tuple[list[str], list[object]]:
    """The conditions on read, starred, feed and mute rules, and their parameters."""
    conditions: list[str] = []
    params: list[object] = []
    muted, muted_params = muting.condition()
    if muted is not None:
        conditions.append(muted)
        params.extend(muted_params)
    if unread_only:
        conditions.append("articles.read = 0")
    if starred_only:
        conditions.append("articles.starred = 1")
    if isinstance(feed, tuple):
        conditions.append("articles.feed IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(feed)))
    elif feed is not None:
        conditions.append("articles.feed = ?")
        params.append(feed)
    return conditions, params


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def _limited(limit: int | None) -> str:
    return "" if limit is None else f" LIMIT {max(int(limit), 0)}"


def newest_sql(
    unread_only: bool,
    starred_only: bool,
    feed: FeedFilter,
    muting: Muting = NO_MUTING,
    *,
    limit: int | None = None,
    folded: bool = False,
) -> tuple[str, list[object]]:
    """SQL listing every article passing the filters (the first ``limit``), newest first, as
    rowids (see above); ``folded``: each story once."""
    return newest_among_sql(
        False, False, unread_only, starred_only, feed, muting, limit=limit, folded=folded
    )


def _among(
    matched: bool,
    excluded: bool,
    unread_only: bool,
    starred_only: bool,
    feed: FeedFilter,
    muting: Muting = NO_MUTING,
    *,
    walk: bool = False,
    folded: bool = False,
    limited: bool = False,
) -> tuple[str, list[object]]:
    """``FROM articles WHERE ...`` for the rowids of :data:`MATCHED` (``matched``, else every
    article) minus those of :data:`EXCLUDED` (``excluded``), passing the filters; and the
    parameters.

    With ``matched``, SQLite reads the matches by rowid and sorts them, unless ``walk``: then
    it walks the newest-first index and keeps what passes (for many matches and a limit: it
    stops at the limit). ``folded`` leaves out the articles that follow a listed article of
    their story (:func:`_folded`); ``limited``: the listing stops at a limit.
    """
    conditions, params = _filters(unread_only, starred_only, feed, muting)
    if excluded:
        conditions.insert(0, _NOT_AMONG)
    if matched:
        conditions.insert(0, _AMONG)
    if folded:
        each_row = matched or limited
        first_listed = None
        if not (matched or excluded or unread_only or starred_only or feed):
            first_listed = muting.unmuted("f.follows")
        fold, fold_params = _folded(
            conditions, params, each_row=each_row, first_listed=first_listed
        )
        conditions.append(fold)
        params.extend(fold_params)
    if matched and not walk:
        hint = " INDEXED BY articles_by_rowid"
    elif starred_only:  # SQLite prefers a full scan of articles_by_time to this small index
        hint = " INDEXED BY articles_starred"
    elif not matched:  # the planner picks articles_by_time, or articles_by_feed
        hint = ""
    else:  # the planner would read the matches by rowid and sort them
        hint = " INDEXED BY articles_by_" + ("feed" if isinstance(feed, str) else "time")
    return f"FROM articles{hint}{_where(conditions)}", params


def _folded(
    listed: list[str],
    params: list[object],
    *,
    each_row: bool,
    first_listed: tuple[str, list[object]] | None = None,
) -> tuple[str, list[object]]:
    """The condition that leaves out each article following an article of its story that
    ``listed`` (conditions on ``articles``) keeps, and its parameters: a story shows once, as
    its earliest listed article. Only the grouped articles that are not their story's first
    (``story_members.follows``, through its partial index) are looked at.

    ``first_listed``: a cheap condition on ``f.follows`` (the story's first article) that
    holds only when ``listed`` keeps that article (the usual case, told without reading it);
    when it does not hold, the earlier members are looked at. ``each_row``: asked of each
    article the listing reads (for a text filter's matches, and a listing that stops at a
    limit: its cost follows the rows read); otherwise the followers to leave out are found
    once, all of them (for a whole list without a text filter).
    """
    earlier = (
        "SELECT 1 FROM story_members AS e INDEXED BY story_members_by_story"
        " JOIN articles INDEXED BY articles_by_rowid ON articles.rowid = e.article"
        " WHERE e.story = f.story AND (e.sort_time, e.article) < (f.sort_time, f.article)"
        + "".join(f" AND {condition}" for condition in listed)
    )
    hides, hides_params = f"EXISTS ({earlier})", list(params)
    if first_listed is not None:
        hides = f"({first_listed[0]} OR {hides})"
        hides_params = [*first_listed[1], *hides_params]
    followers = f"story_members AS f INDEXED BY story_followers WHERE f.follows AND {hides}"
    if each_row:
        return (
            f"NOT EXISTS (SELECT 1 FROM {followers} AND f.article = articles.rowid)",
            hides_params,
        )
    return f"articles.rowid NOT IN (SELECT f.article FROM {followers})", hides_params


def newest_among_sql(
    matched: bool,
    excluded: bool,
    unread_only: bool,
    starred_only: bool,
    feed: FeedFilter,
    muting: Muting = NO_MUTING,
    *,
    walk: bool = False,
    limit: int | None = None,
    folded: bool = False,
) -> tuple[str, list[object]]:
    """SQL putting the rowids :func:`_among` keeps in the newest order (the first ``limit``);
    ``walk`` and ``folded`` as there."""
    source, params = _among(
        matched,
        excluded,
        unread_only,
        starred_only,
        feed,
        muting,
        walk=walk,
        folded=folded,
        limited=limit is not None,
    )
    return f"SELECT rowid {source} ORDER BY {_NEWEST}{_limited(limit)}", params


def count_sql(
    matched: bool,
    excluded: bool,
    unread_only: bool,
    starred_only: bool,
    feed: FeedFilter,
    muting: Muting = NO_MUTING,
) -> tuple[str, list[object]]:
    """SQL counting what :func:`newest_among_sql` lists."""
    source, params = _among(matched, excluded, unread_only, starred_only, feed, muting)
    return f"SELECT count(*) {source}", params


def relevance_sql(
    query: IndexQuery,
    unread_only: bool,
    starred_only: bool,
    feed: FeedFilter,
    muting: Muting = NO_MUTING,
    *,
    limit: int | None = None,
    folded: bool = False,
) -> tuple[str, list[object]]:
    """SQL listing the matches of ``query.match`` (an FTS5 expression) best first (bm25 with
    the column weights of :data:`~biotui.store.schema.BM25_WEIGHTS`), ties newest first (the
    first ``limit``), as rowids; ``folded``: each story once."""
    conditions, params = _filters(unread_only, starred_only, feed, muting)
    if query.exclude is not None:
        excluded, excluded_params = rowid_condition(query.exclude, negated=True)
        conditions.insert(0, excluded)
        params[0:0] = excluded_params
    if folded and query.match is not None:
        matching, matching_params = rowid_condition(query.match)
        fold, fold_params = _folded(
            [matching, *conditions], matching_params + params, each_row=True
        )
        conditions.append(fold)
        params.extend(fold_params)
    conditions.insert(0, "articles_fts MATCH ?")
    params.insert(0, query.match)
    inner = (
        "SELECT articles.rowid AS rowid FROM articles_fts"
        " JOIN articles INDEXED BY articles_by_rowid ON articles.rowid = articles_fts.rowid"
        f"{_where(conditions)} ORDER BY {_BM25}, {_NEWEST}{_limited(limit)}"
    )
    return inner, params
