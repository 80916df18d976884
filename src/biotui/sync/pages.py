"""A page of a server's items stored as articles: converted (:mod:`.articles`), their
identifiers found and their story features worked out as the refresh's workers do, then stored
in ONE transaction together with which item each article is and the backend's new ``resume``
string, so that a sync killed between pages keeps every page stored and repeats none. The
articles are grouped into stories right after, as the refresh's writer does (a failure leaves
them to the later grouping of what is not grouped yet).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from biotui.errors import BiotuiError
from biotui.identifiers import Identifier, find_identifiers
from biotui.model import Article, IngestCounts
from biotui.refresh.grouping import Grouper, grouping_of
from biotui.store import IngestRequest, Store
from biotui.sync.articles import item_article, orphan_feed_name, synced_article_id
from biotui.sync.backend import RemoteItem

__all__ = ["PageWriter", "StoredPage"]


@dataclass(frozen=True, slots=True)
class StoredPage:
    """What storing a page did: the ingest's counts and the items it held."""

    counts: IngestCounts
    items: int


class PageWriter:
    """Stores pages of items of one account; one per sync (its grouper keeps the grouped
    articles near the pages in memory from page to page)."""

    def __init__(
        self,
        store: Store,
        account: int,
        key: str,
        names: Mapping[str, str],
        titles: Mapping[str, str],
    ) -> None:
        """``key`` is the account's key (article ids derive from it); ``names`` maps a server
        feed id to the feed its articles are stored in, ``titles`` to the server's title."""
        self._store = store
        self._account = account
        self._key = key
        self._names = names
        self._titles = titles
        self._grouper = Grouper(store)

    def store(self, items: Sequence[RemoteItem], resume: str | None) -> StoredPage:
        """Store ``items`` and ``resume`` (None: leave the stored one) in one transaction.

        An item stored before keeps its article and feed (its content may be updated); an
        item whose article was removed on purpose is not stored again."""
        known = self._store.synced.known(self._account, [item.id for item in items])
        articles: dict[str, list[Article]] = {}
        mapping: dict[str, str] = {}
        flags: dict[str, tuple[bool, bool]] = {}
        for item in items:
            stored = known.get(item.id)
            if stored is not None:
                article, feed = stored
                if not feed:  # its article was removed: keep it so
                    continue
            else:
                article = synced_article_id(self._key, item.id)
                feed = self._names.get(item.feed_id) or orphan_feed_name(item.feed_id)
            source = self._titles.get(item.feed_id, "")
            articles.setdefault(feed, []).append(item_article(item, feed, article, source))
            mapping[item.id] = article
            flags[article] = (item.read, item.starred)
        found: dict[str, tuple[Identifier, ...]] = {}
        for batch in articles.values():
            for converted in batch:
                if ids := find_identifiers(converted.title, converted.body):
                    found[converted.id] = ids
        requests = [
            IngestRequest(feed, batch, identifiers={a.id: found.get(a.id, ()) for a in batch})
            for feed, batch in articles.items()
        ]
        counts = self._store.synced.store_page(self._account, requests, mapping, flags, resume)
        groupings = [
            grouping_of(converted, found.get(converted.id, ()))
            for batch in articles.values()
            for converted in batch
        ]
        with contextlib.suppress(BiotuiError):
            self._grouper.add(groupings)
        return StoredPage(counts, len(items))
