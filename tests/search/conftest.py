"""A small real store whose articles exercise the filter's edge cases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from search_corpus import CORPUS, Corpus

from biotui.model import Article, article_id
from biotui.store import Store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """A store holding :data:`CORPUS`, shared by the tests of a module (read-only)."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    articles = [
        Article(
            id=article_id("Corpus", key),
            feed="Corpus",
            guid=key,
            title=title,
            body=body,
            source="Test Wire",
            published=start + timedelta(days=n),
        )
        for n, (key, (title, body)) in enumerate(CORPUS.items())
    ]
    with Store.open(tmp_path_factory.mktemp("corpus")) as store:
        store.ingest("Corpus", articles)
        by_id = {h.id: h.rowid for h in store.headlines(store.headline_ids())}
        yield Corpus(store, {by_id[a.id]: a.guid for a in articles})
