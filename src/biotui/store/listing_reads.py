"""The :class:`~biotui.store.Store`'s listings: the rowids a filter keeps (:mod:`.listing`
decides how), and the lines ``biotui list --json`` prints of them."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from biotui.store.connections import Connections
from biotui.store.json_lines import json_lines
from biotui.store.listing import Listing, list_ids
from biotui.store.muted import KeptMutes
from biotui.store.query import FeedFilter, IndexQuery, Order

__all__ = ["ListingReads"]


class ListingReads:
    """The listing methods of :class:`~biotui.store.Store` (which holds ``_db`` and
    ``mutes``)."""

    _db: Connections
    mutes: KeptMutes

    def headline_ids(
        self,
        query: IndexQuery | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        feed: FeedFilter = None,
        order: Order = "newest",
        muted: bool | IndexQuery = False,
        limit: int | None = None,
    ) -> array[int]:
        """Return the rowids of the matching articles (the first ``limit``) as an ``array``
        of four-byte integers (eight once a rowid needs them).

        ``feed`` keeps one feed's articles, or with a tuple of names those of any of them.

        ``order="newest"``: by publication time (or first-seen time), ties by rowid,
        descending. ``order="relevance"``: best full-text match first (bm25, a title match
        weighing ten times a body match), ties newest first; without a ``query.match`` it is
        the newest order.

        ``muted`` False leaves out what the mute rules hide (:meth:`set_mute`); True lists
        only that; a rule (an index query) lists only the unstarred articles it matches.
        """
        return self.list_ids(
            query,
            unread_only=unread_only,
            starred_only=starred_only,
            feed=feed,
            order=order,
            muted=muted,
            limit=limit,
        ).ids

    def list_ids(
        self,
        query: IndexQuery | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        feed: FeedFilter = None,
        order: Order = "newest",
        rank_limit: int | None = None,
        muted: bool | IndexQuery = False,
        limit: int | None = None,
        folded: bool = False,
        counted: bool = False,
    ) -> Listing:
        """Like :meth:`headline_ids`, but relevance order is only computed for at most
        ``rank_limit`` matches (ranking costs time for each match): above it the ids come
        newest first. The result says which order they are in. ``folded`` lists each story
        once, as its earliest listed article (the articles following it are left out).
        ``counted`` adds how many articles pass (:meth:`article_count`), from the same
        full-text query."""
        with self._db.errors("cannot list articles") as conn:
            filters = (unread_only, starred_only, feed, self.mutes.muting(conn, muted))
            return list_ids(conn, query, filters, order, rank_limit, limit, folded, counted)

    def json_lines(self, rowids: Sequence[int]) -> list[str]:
        """The JSON lines of ``biotui list --json`` of the articles ``rowids``, in that
        order (unknown rowids skipped)."""
        with self._db.errors("cannot read headlines") as conn:
            return json_lines(conn, rowids)
