"""The article store: feeds, articles, file signatures and a full-text index in one SQLite file.

The only package with SQL. It returns model records, never rows, and turns every
``sqlite3.Error`` into a one-line :class:`~biotui.errors.StoreError` naming the database file.

- :mod:`.schema`: tables, indexes, the FTS5 index and its tokenizer, versions and migrations;
- :mod:`.database`: :class:`Store` (connections, ingest, reading, read/starred state);
- :mod:`.query`: :class:`IndexQuery` and the SQL that lists, counts and orders articles;
- :mod:`.tokens`: what the index's tokenizer does to each character (for highlighting);
- :mod:`.checkpoint`: :class:`~.checkpoint.Checkpointer`, a thread that checkpoints the
  write-ahead log for writers whose own checkpoints are off (a refresh's workers).
"""

from biotui.store.database import IngestRequest, PreparedIngest, Store, prepare_ingest
from biotui.store.query import IndexQuery, Order
from biotui.store.schema import DB_NAME, SCHEMA_VERSION
from biotui.store.tokens import fold_chars

__all__ = [
    "DB_NAME",
    "SCHEMA_VERSION",
    "IndexQuery",
    "IngestRequest",
    "Order",
    "PreparedIngest",
    "Store",
    "fold_chars",
    "prepare_ingest",
]
