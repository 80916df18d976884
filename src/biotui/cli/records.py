"""The JSON record of an article, one builder for ``list --json`` and ``show --json``.

``list`` prints the headline's fields; ``show`` prints those same keys with the same values,
then the rest of the article, and the identifiers it names (``{"kind", "id", "url"}`` each,
see ``biotui.identifiers``). Times are ISO 8601 in UTC (``2025-04-01T00:00:00+00:00``), or
null when the source gave none.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from biotui.model import Article, Headline

if TYPE_CHECKING:
    from biotui.identifiers import Identifier

HEADLINE_KEYS = ("id", "title", "source", "feed", "published", "link", "read", "starred")
"""The keys of a ``list --json`` line, in the order printed."""

ARTICLE_KEYS = (
    *HEADLINE_KEYS,
    *("author", "source_title", "section", "place", "credits", "body", "notes", "identifiers"),
)
"""The keys of ``show --json``: the headline's, then the rest of the article."""


def article_record(
    item: Headline | Article, identifiers: Sequence[Identifier] = ()
) -> dict[str, object]:
    """The JSON record of ``item``: :data:`HEADLINE_KEYS` for a headline, every field
    (:data:`ARTICLE_KEYS`) for a full article, with the ``identifiers`` it names."""
    record: dict[str, object] = {
        "id": item.id,
        "title": item.title,
        "source": item.source,
        "feed": item.feed,
        "published": iso_time(item.published),
        "link": item.link,
        "read": item.read,
        "starred": item.starred,
    }
    if isinstance(item, Article):
        record["author"] = item.author
        record["source_title"] = item.source_title
        record["section"] = item.section
        record["place"] = item.place
        record["credits"] = list(item.credits)
        record["body"] = item.body
        record["notes"] = list(item.notes)
        record["identifiers"] = [
            {"kind": ident.kind, "id": ident.id, "url": ident.url} for ident in identifiers
        ]
    return record


def iso_time(when: datetime | None) -> str | None:
    """``when`` as ISO 8601 (the store keeps times in UTC), or None."""
    return when.isoformat() if when is not None else None


_ENCODER = json.JSONEncoder(ensure_ascii=False)
"""One encoder for every line: ``json.dumps`` with an option builds a new one per call."""


def json_line(record: dict[str, object]) -> str:
    """One record as one line of JSON, non-ASCII characters kept as they are."""
    return _ENCODER.encode(record)
