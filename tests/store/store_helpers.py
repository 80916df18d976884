"""Helpers for the store tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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
