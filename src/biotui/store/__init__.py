"""The article store: feeds, articles, file signatures and a full-text index in one SQLite file.

The only package with SQL. It returns model records, never rows, and turns every
``sqlite3.Error`` into a one-line :class:`~biotui.errors.StoreError` naming the database file.

- :mod:`.facade`: :class:`Store`, the object the rest of biotui holds;
- :mod:`.connections`: one connection per thread, kept connections of ended threads, errors,
  the write transaction;
- :mod:`.schema`: tables, indexes, the FTS5 index, the counts table and its triggers;
- :mod:`.migrations`: creating the schema, and upgrading older files;
- :mod:`.rows`: the one mapping between rows and model records;
- :mod:`.digest`: the content digest that tells a changed article from an unchanged one;
- :mod:`.ingest`: storing a feed's articles;
- :mod:`.feeds`: feed statuses, file signatures and per-feed counts;
- :mod:`.articles`: reading articles and headlines;
- :mod:`.fulltexts`: an article's full text fetched from its page, apart from its feed's body;
- :mod:`.marks`: marking articles read or starred as logged actions, and undoing them;
- :mod:`.watchmarks`: the watchlists' bookmarks and the days of their matches;
- :mod:`.listing` and :mod:`.query`: which rowids a filter keeps, in which order, how many;
- :mod:`.matching`: what a filter matches as sets of articles (full text, identifiers named);
- :mod:`.identifiers` and :mod:`.backfill`: the identifiers each article names;
- :mod:`.synced`: what a sync with a feed server keeps (its feeds, items, state, bookmark);
- :mod:`.removals`, :mod:`.tombstones` and :mod:`.vacuum`: articles removed on purpose, the
  tombstones that keep them out and how long they live, ``biotui vacuum``;
- :mod:`.tokens`: what the index's tokenizer does to each character (for highlighting).
"""

from biotui.store.facade import Store
from biotui.store.fulltexts import FetchedPage
from biotui.store.ingest import IngestRequest
from biotui.store.listing import Listing
from biotui.store.marks import MarkResult, MarkSelection
from biotui.store.matching import AllOf, AnyOf, Match, NamedId, Without
from biotui.store.query import IndexQuery, Order
from biotui.store.schema import DB_NAME, SCHEMA_VERSION
from biotui.store.synced import MarkQueue, QueuedMark, SyncAccount, SyncedFeed
from biotui.store.tokens import fold_chars

__all__ = [
    "DB_NAME",
    "SCHEMA_VERSION",
    "AllOf",
    "AnyOf",
    "FetchedPage",
    "IndexQuery",
    "IngestRequest",
    "Listing",
    "MarkQueue",
    "MarkResult",
    "MarkSelection",
    "Match",
    "NamedId",
    "Order",
    "QueuedMark",
    "Store",
    "SyncAccount",
    "SyncedFeed",
    "Without",
    "fold_chars",
]
