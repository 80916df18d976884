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
    """A store holding :data:`CORPUS`, shared by the tests of a module (read-only).

    Later entries are newer.
    """
    start = datetime(2024, 1, 1, tzinfo=UTC)
    by_feed: dict[str, list[Article]] = {}
    for n, (key, (title, body, fields)) in enumerate(CORPUS.items()):
        values = {"source": "Test Wire", "feed": "Corpus", **fields}
        feed = values.pop("feed")
        article = Article(
            id=article_id(feed, key),
            feed=feed,
            guid=key,
            title=title,
            body=body,
            published=start + timedelta(days=n),
            **values,
        )
        by_feed.setdefault(feed, []).append(article)
    with Store.open(tmp_path_factory.mktemp("corpus")) as store:
        for feed, articles in by_feed.items():
            store.ingest(feed, articles)
        key_of = {h.rowid: h.id for h in store.headlines(store.headline_ids())}
        guid_of = {a.id: a.guid for articles in by_feed.values() for a in articles}
        yield Corpus(store, {rowid: guid_of[public] for rowid, public in key_of.items()})
