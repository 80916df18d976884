"""The sync's tables (schema 11): what a new file is made with and what the upgrade adds.

- ``sync_accounts``: one row per server and user synced with (``key``: protocol, URL and
  user, so that changing any of them starts afresh), with the backend's ``resume`` string
  (where the next page of items starts) and the bookmark into the mark log: every marking
  action up to ``pushed``, and every undo stamped up to ``undone``, has reached the server.
- ``sync_feeds``: the server's feeds of an account (its ids, titles, URLs and categories),
  each with the name its articles are stored under.
- ``sync_items``: which stored article (public id) each server item (its exact id string) is;
  an item listed here is never downloaded again.
"""

from __future__ import annotations

import sqlite3

__all__ = ["SYNC", "add_sync"]

SYNC = """
CREATE TABLE sync_accounts (
    account INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,
    resume  TEXT,
    pushed  INTEGER NOT NULL DEFAULT 0,
    undone  INTEGER NOT NULL DEFAULT 0,
    synced  INTEGER
);

CREATE TABLE sync_feeds (
    account  INTEGER NOT NULL REFERENCES sync_accounts (account) ON DELETE CASCADE,
    id       TEXT NOT NULL,
    name     TEXT NOT NULL,
    title    TEXT NOT NULL DEFAULT '',
    url      TEXT NOT NULL DEFAULT '',
    site_url TEXT NOT NULL DEFAULT '',
    tags     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (account, id)
) WITHOUT ROWID;

CREATE TABLE sync_items (
    account INTEGER NOT NULL REFERENCES sync_accounts (account) ON DELETE CASCADE,
    item    TEXT NOT NULL,
    article TEXT NOT NULL,
    PRIMARY KEY (account, item)
) WITHOUT ROWID;

CREATE INDEX sync_items_by_article ON sync_items (article, account);
"""
"""The sync's tables and index (schema 11)."""


def add_sync(conn: sqlite3.Connection) -> None:
    """Bring a schema-10 file to schema 11: the sync's tables, empty (nothing is synced
    before ``[sync]`` is set and ``biotui sync`` runs)."""
    from biotui.store.schema import split_sql

    for statement in split_sql(SYNC):
        conn.execute(statement)
