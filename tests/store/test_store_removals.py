"""Removing articles on purpose: starred ones stay, counts stay exact, the full-text index
follows, and tombstones keep removed articles from coming back as new; in a fresh store and
one upgraded from schema 4."""

from __future__ import annotations

import shutil
from pathlib import Path

from store_helpers import make_article
from test_store_counts import check

from biotui.model import FileSignature
from biotui.store import IndexQuery, Store

SCHEMA4 = Path(__file__).parent / "data" / "schema4.db"


def fill(store: Store) -> list[str]:
    """Feed A with three articles (the second starred), Feed B with one; Feed A's ids."""
    a = [make_article("Feed A", f"a{n}", title=f"Lupus {n}") for n in range(3)]
    store.ingest("Feed A", a, files=[FileSignature("/x/a.md", 3, 1)])
    store.ingest("Feed B", [make_article("Feed B", "b0", title="Lupus b")])
    store.set_starred(a[1].id, True)
    return [article.id for article in a]


def test_removing_a_feed_keeps_its_starred_articles_and_other_feeds(store: Store) -> None:
    ids = fill(store)
    assert store.remove_articles("Feed A") == 2
    assert store.article(ids[0]) is None and store.article(ids[2]) is None
    assert store.article(ids[1]) is not None
    assert store.counts()["Feed A"] == (1, 1) and store.counts()["Feed B"] == (1, 1)
    assert store.article_count(IndexQuery('"lupus"')) == 2
    assert store.file_signatures("Feed A") == {}
    check(store)


def test_removed_articles_do_not_come_back_when_the_feed_is_added_again(store: Store) -> None:
    ids = fill(store)
    store.remove_articles("Feed A")
    again = [make_article("Feed A", f"a{n}", title=f"Lupus {n}") for n in range(4)]
    counts = store.ingest("Feed A", again)
    assert counts.new == 1  # only a3: a0 and a2 are tombstoned, a1 is stored and starred
    assert store.article(ids[0]) is None and store.article(again[3].id) is not None
    check(store)


def test_removing_without_keeping_starred_forgets_the_feed(store: Store) -> None:
    fill(store)
    assert store.remove_articles("Feed A", keep_starred=False) == 3
    assert "Feed A" not in store.counts()
    assert store.feed_status("Feed A") is None
    check(store)


def test_removing_some_ids_leaves_the_rest_and_the_file_signatures(store: Store) -> None:
    ids = fill(store)
    assert store.remove_articles("Feed A", ids=[ids[0], ids[1], "nope"]) == 1
    assert store.article(ids[0]) is None and store.article(ids[1]) is not None
    assert store.counts()["Feed A"] == (2, 2)
    assert set(store.file_signatures("Feed A")) == {"/x/a.md"}
    assert store.remove_articles("Feed B", ids=[ids[2]]) == 0  # an id of another feed
    check(store)


def test_a_schema_4_store_gains_tombstones(tmp_path: Path) -> None:
    path = tmp_path / "biotui.db"
    shutil.copy(SCHEMA4, path)
    with Store(path) as store:
        feed = next(iter(store.counts()))
        total = store.counts()[feed][0]
        assert store.remove_articles(feed) == total - store.article_count(
            feed=feed, starred_only=True
        )
        check(store)
