"""The identifiers each article names, as the store keeps them: found at ingest, found again
when the text changes, with the full text, gone with the article, and the backfill of a store
upgraded from schema 7 (in batches, resumable)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import make_article

from biotui import identifiers
from biotui.identifiers import Identifier, find_identifiers, identifier
from biotui.model import article_id
from biotui.search import compile_query
from biotui.store import SCHEMA_VERSION, Store

SCHEMA7 = Path(__file__).parent / "data" / "schema7.db"
"""Written by the code of schema 7 (the script is in the commit that added the file): four
articles, one with a full text, none with identifiers stored."""

KYV = "The trial NCT06123456 of KYV-101, a CD19 CAR-T, enrolls."


def kinds_ids(found: tuple[Identifier, ...]) -> list[tuple[str, str]]:
    return [(ident.kind, ident.id) for ident in found]


def rows(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM identifiers").fetchone()[0])
    finally:
        conn.close()


def test_an_ingest_finds_the_identifiers_of_new_articles(store: Store) -> None:
    article = make_article(title="KYV-101 in lupus nephritis", body=KYV)
    store.ingest("Feed A", [article, make_article(guid="g2", body="Nothing named here.")])
    found = store.identifiers.of(article.id)
    assert found == find_identifiers(article.title, article.body)
    assert kinds_ids(found) == [("trial", "NCT06123456"), ("drug", "KYV-101"), ("target", "CD19")]
    assert found[0].url == "https://clinicaltrials.gov/study/NCT06123456"
    assert store.identifiers.of(make_article(guid="g2").id) == ()
    assert store.identifiers.of("no such id") == ()


def test_identifiers_found_by_the_parser_are_stored_as_given(store: Store) -> None:
    from biotui.store import IngestRequest

    article = make_article(body=KYV)
    given = {article.id: (identifier("pmid", "123"),)}
    store.ingest_batch([IngestRequest("Feed A", [article], identifiers=given)])
    assert kinds_ids(store.identifiers.of(article.id)) == [("pmid", "123")]


def test_an_updated_article_gets_the_identifiers_of_its_new_text(store: Store) -> None:
    first = make_article(body=KYV)
    store.ingest("Feed A", [first])
    rowid = store.headline_ids()[0]
    store.ingest("Feed A", [make_article(body="Now about BMS-986353 and PD-L1 only.")])
    assert store.headline_ids()[0] == rowid
    assert kinds_ids(store.identifiers.of(rowid)) == [("drug", "BMS-986353"), ("target", "PD-L1")]


def test_a_full_text_adds_its_identifiers_and_keeps_them_through_an_update(store: Store) -> None:
    article = make_article(body="A teaser naming CD19.")
    store.ingest("Feed A", [article])
    assert store.full_texts.save(article.id, "The page: NCT06123456, KYV-101 and CD19 again.")
    assert kinds_ids(store.identifiers.of(article.id)) == [
        ("trial", "NCT06123456"),
        ("drug", "KYV-101"),
        ("target", "CD19"),
    ]
    store.ingest("Feed A", [make_article(body="A new teaser naming BCMA.")])
    assert kinds_ids(store.identifiers.of(article.id)) == [
        ("trial", "NCT06123456"),
        ("drug", "KYV-101"),
        ("target", "BCMA"),
        ("target", "CD19"),
    ]
    assert store.full_texts.save(article.id, "The page now names no identifier.")
    assert kinds_ids(store.identifiers.of(article.id)) == [("target", "BCMA")]


def test_a_removed_article_takes_its_identifiers_with_it(store: Store) -> None:
    kept, gone = make_article(guid="kept", body=KYV), make_article(guid="gone", body=KYV)
    store.ingest("Feed A", [kept, gone])
    assert store.full_texts.save(gone.id, "BMS-986353")
    assert rows(store.path) == 7
    assert store.remove_articles("Feed A", ids=[gone.id]) == 1
    assert rows(store.path) == 3
    assert len(store.identifiers.of(kept.id)) == 3


def test_weekly_counts_of_an_identifier_across_feeds(store: Store) -> None:
    now = datetime(2024, 6, 1, tzinfo=UTC)
    dates = [now - timedelta(days=d) for d in (1, 2, 9, 30, 400)]
    for n, date in enumerate(dates):
        feed = "Feed A" if n % 2 else "Feed B"
        store.ingest(feed, [make_article(feed, f"g{n}", body=KYV, published=date)])
    store.ingest("Feed A", [make_article("Feed A", "other", body="BMS-986353", published=now)])
    assert store.identifiers.weekly(["drug"], "KYV101", weeks=6, now=now) == (0, 1, 0, 0, 1, 2)
    assert store.identifiers.weekly(["trial", "euct"], "NCT06123456", weeks=2, now=now) == (1, 2)
    assert store.identifiers.weekly(["target"], "KYV101", weeks=2, now=now) == (0, 0)


# -- a store upgraded from schema 7 -----------------------------------------------------------


def _schema7(tmp_path: Path) -> Path:
    path = tmp_path / "biotui.db"
    shutil.copyfile(SCHEMA7, path)
    return path


def _wire(guid: str) -> str:
    return article_id("Wire", guid)


EXPECTED = {
    _wire("kyv"): [("trial", "NCT06123456"), ("drug", "KYV-101"), ("target", "CD19")],
    _wire("plain"): [],
    _wire("paper"): [("pmid", "38012345"), ("doi", "10.1056/NEJMoa2034577")],
    article_id("Trade", "teaser"): [("euct", "2023-501234-12-00"), ("drug", "BMS-986353")],
}


def test_an_upgraded_store_finds_older_identifiers_in_resumable_batches(tmp_path: Path) -> None:
    path = _schema7(tmp_path)
    with Store(path) as store:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 14
        assert conn.execute("SELECT name, below FROM backfills").fetchall() == [("identifiers", 5)]
        conn.close()
        assert store.identifiers.backfill_left()
        assert rows(path) == 0
        # not yet backfilled, an article's identifiers are found as it is read
        for key, expected in EXPECTED.items():
            assert kinds_ids(store.identifiers.of(key)) == expected
        assert store.article_count(compile_query("drug:KYV-101").query) == 0
        progress = store.identifiers.backfill(limit=2)
        assert (progress.done, progress.finished) == (2, False)
        # the highest rowids first: the Trade teaser (with its full text), then the Wire's
        # first item (a feed's items are stored last to first)
        assert rows(path) == 5
        assert store.article_count(compile_query("drug:KYV-101").query) == 1
        assert store.article_count(compile_query("pmid:38012345").query) == 0
    # interrupted here: the next opening resumes below the last batch
    with Store(path) as store:
        assert store.identifiers.backfill_left()
        progress = store.identifiers.backfill(limit=2)
        assert (progress.done, progress.finished) == (2, False)
        progress = store.identifiers.backfill(limit=2)
        assert (progress.done, progress.finished) == (0, True)
        assert not store.identifiers.backfill_left()
        assert store.identifiers.backfill(limit=2).finished
        for key, expected in EXPECTED.items():
            assert kinds_ids(store.identifiers.of(key)) == expected
    assert rows(path) == 7


def test_an_article_changed_during_a_backfill_batch_gets_its_new_identifiers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recogniser, as the backfill calls it between reading a batch and storing it, lets
    the feed change one of the batch's articles first."""
    path = _schema7(tmp_path)
    with Store(path) as store:
        changed = make_article("Wire", "kyv", title="KYV-101 update", body="Now PD-L1 only.")

        def find_while_the_article_changes(title: str, body: str) -> tuple[Identifier, ...]:
            if title == "KYV-101 in lupus nephritis":
                store.ingest("Wire", [changed])
            return find_identifiers(title, body)

        monkeypatch.setattr(identifiers, "find_identifiers", find_while_the_article_changes)
        assert store.identifiers.backfill(limit=10).finished
        assert kinds_ids(store.identifiers.of(changed.id)) == [
            ("drug", "KYV-101"),
            ("target", "PD-L1"),
        ]


def test_a_new_store_has_nothing_to_backfill(store: Store) -> None:
    assert not store.identifiers.backfill_left()
    assert store.identifiers.backfill().finished


def test_the_backfill_runs_batch_after_batch_within_its_budget_or_until_stopped(
    tmp_path: Path,
) -> None:
    from biotui.refresh.backfill import backfill_identifiers

    path = _schema7(tmp_path)
    with Store(path) as store:
        run = backfill_identifiers(store, budget_s=0, batch=1)
        assert (run.done, run.finished) == (1, False)
        run = backfill_identifiers(store, stop=lambda: True)
        assert (run.done, run.finished) == (0, False)
        run = backfill_identifiers(store, batch=2)
        assert (run.done, run.finished) == (3, True)
    assert rows(path) == 7


def test_articles_stored_for_later_get_their_identifiers_from_the_backfill(
    tmp_path: Path,
) -> None:
    """What a large refresh stores past its first articles: no identifiers at once (a drug
    filter misses them, ``show`` finds them as it reads), a changed article's at once, and
    the backfill gives the new ones theirs, newest first, before an upgraded store's."""
    from biotui.store import IngestRequest

    path = _schema7(tmp_path)
    with Store(path) as store:
        first = make_article("Wire", "later-1", title="KYV-101 news", body=KYV)
        second = make_article("Wire", "later-2", title="BMS-986353", body="PMID: 38012345")
        gone = make_article("Wire", "later-3", title="KYV-101 again", body=KYV)
        store.ingest_batch([IngestRequest("Wire", [first, second, gone], identifiers_later=True)])
        assert store.article_count(compile_query("drug:KYV-101").query) == 0
        assert kinds_ids(store.identifiers.of(first.id))[:2] == [
            ("trial", "NCT06123456"),
            ("drug", "KYV-101"),
        ]
        changed = make_article("Wire", "kyv", title="KYV-101 update", body="Now PD-L1 only.")
        store.ingest_batch([IngestRequest("Wire", [changed], identifiers_later=True)])
        assert kinds_ids(store.identifiers.of(changed.id)) == [
            ("drug", "KYV-101"),
            ("target", "PD-L1"),
        ]
        assert store.remove_articles("Wire", ids=[gone.id]) == 1
        progress = store.identifiers.backfill(limit=10)
        assert (progress.done, progress.finished) == (2, False)  # the upgrade's are left
        assert store.article_count(compile_query("drug:KYV-101").query) == 2
        assert store.article_count(compile_query("pmid:38012345").query) == 1
        assert store.identifiers.backfill(limit=10).finished
        assert not store.identifiers.backfill_left()
