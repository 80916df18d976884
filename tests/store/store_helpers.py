"""Helpers for the store tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest

from biotui.model import Article, article_id


def make_article(feed: str = "Feed A", guid: str = "g1", **fields: Any) -> Article:
    """An article of ``feed`` with a correct id; ``fields`` override the defaults."""
    values: dict[str, Any] = {
        "title": f"Title {guid}",
        "body": f"Body of {guid}.",
        "published": datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
    }
    values.update(fields)
    return Article(id=article_id(feed, guid), feed=feed, guid=guid, **values)


class ConnectionLog:
    """Every SQLite connection opened while it watches, to see how many are open."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened: list[sqlite3.Connection] = []
        connect = sqlite3.connect

        def watched(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            conn: sqlite3.Connection = connect(*args, **kwargs)
            self.opened.append(conn)
            return conn

        monkeypatch.setattr(sqlite3, "connect", watched)

    def still_open(self) -> int:
        """How many of the connections opened are not closed."""
        count = 0
        for conn in self.opened:
            try:
                conn.total_changes  # noqa: B018  (raises once the connection is closed)
            except sqlite3.ProgrammingError:
                continue
            count += 1
        return count
