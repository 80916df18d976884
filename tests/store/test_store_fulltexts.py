"""Full texts fetched from articles' pages: kept apart from the feed's body, indexed, read in
place of the body, kept when the feed sends its teaser again; the upgrade from schema 6."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

from store_helpers import make_article

from biotui.model import FULL_TEXT_NOTE, IngestCounts, article_id
from biotui.search import parse_filter
from biotui.store import SCHEMA_VERSION, Store

SCHEMA6 = Path(__file__).parent / "data" / "schema6.db"
"""Written by the code of schema 6 (the script is in the commit that added the file)."""
PAGE = "The page names lupus nephritis and the trial's 120 patients."


def titles(store: Store, text: str) -> list[str]:
    """The titles of the articles a filter keeps, newest first."""
    rowids = store.headline_ids(parse_filter(text).query).tolist()
    return [headline.title for headline in store.headlines(rowids)]


def index_ok(path: Path) -> None:
    """Assert the external-content index agrees with its content (body, then full text)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def test_a_full_text_is_read_in_place_of_the_body_with_a_note_and_found_by_the_filter(
    store: Store,
) -> None:
    teaser = make_article(guid="t", title="Trial update", body="A short teaser.")
    store.ingest("Feed A", [teaser, make_article(guid="o", title="Other")])
    assert titles(store, "lupus") == []
    assert store.full_texts.get(teaser.id) is None
    assert store.full_texts.save(teaser.id, PAGE, ["page cut"])
    shown = store.article(teaser.id)
    assert shown is not None and shown.body == PAGE
    assert shown.notes[0].startswith(FULL_TEXT_NOTE) and shown.notes[1:] == ("page cut",)
    assert titles(store, "lupus") == titles(store, "nephritis patients") == ["Trial update"]
    assert titles(store, "teaser") == ["Trial update"]  # the feed's body is still indexed
    saved = store.full_texts.get(teaser.id)
    assert saved is not None and saved.body == PAGE and saved.fetched is not None
    index_ok(store.path)


def test_the_feed_sending_its_teaser_again_or_changed_keeps_the_full_text(store: Store) -> None:
    teaser = make_article(guid="t", title="Trial update", body="A short teaser.")
    store.ingest("Feed A", [teaser])
    store.full_texts.save(teaser.id, PAGE)
    assert store.ingest("Feed A", [teaser]) == IngestCounts(unchanged=1)
    changed = replace(teaser, body="A shorter teaser, edited.")
    assert store.ingest("Feed A", [changed]) == IngestCounts(updated=1)
    shown = store.article(teaser.id)
    assert shown is not None and shown.body == PAGE
    assert titles(store, "lupus") == titles(store, "edited") == ["Trial update"]
    assert titles(store, "short") == []  # the old teaser's words left the index
    index_ok(store.path)


def test_a_failure_is_counted_and_keeps_a_full_text_stored_before(store: Store) -> None:
    article = make_article(guid="t")
    store.ingest("Feed A", [article])
    assert store.full_texts.failed(article.id, "HTTP 500 Internal Server Error")
    failed = store.full_texts.get(article.id)
    assert failed is not None and failed.body == "" and failed.attempts == 1
    assert failed.last_error == "HTTP 500 Internal Server Error"
    shown = store.article(article.id)
    assert shown is not None and shown.body == article.body and shown.notes == ()
    store.full_texts.save(article.id, PAGE)
    store.full_texts.failed(article.id, "timed out after 20 s")
    kept = store.full_texts.get(article.id)
    assert kept is not None and kept.body == PAGE and kept.attempts == 1
    assert titles(store, "lupus") == [article.title]
    store.full_texts.save(article.id, "A second fetch about myeloma instead.")
    assert titles(store, "lupus") == [] and titles(store, "myeloma") == [article.title]
    again = store.full_texts.get(article.id)
    assert again is not None and again.attempts == 0 and again.last_error is None
    assert not store.full_texts.save(article_id("Feed A", "nope"), PAGE)
    assert not store.full_texts.failed(article_id("Feed A", "nope"), "x")
    index_ok(store.path)


def test_removing_an_article_removes_its_full_text_from_the_store_and_index(
    store: Store,
) -> None:
    kept, gone = make_article(guid="k", title="Kept"), make_article(guid="g", title="Gone")
    store.ingest("Feed A", [kept, gone])
    store.set_starred(kept.id, True)
    store.full_texts.save(kept.id, PAGE)
    store.full_texts.save(gone.id, PAGE + " Gone too.")
    assert store.remove_articles("Feed A") == 1
    assert store.full_texts.get(gone.id) is None
    assert titles(store, "lupus") == ["Kept"]
    index_ok(store.path)


def test_a_schema_6_store_is_upgraded_and_its_articles_take_full_texts(tmp_path: Path) -> None:
    path = tmp_path / "biotui.db"
    shutil.copyfile(SCHEMA6, path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    conn.close()
    teaser_id = article_id("Wire", "teaser")
    with Store(path) as store:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 8
        conn.close()
        index_ok(path)
        assert store.counts() == {"Wire": (2, 1)}
        assert titles(store, "teaser") == ["Trial update"]
        assert titles(store, "crispr") == ["CRISPR approval"]
        shown = store.article(teaser_id)
        assert shown is not None and shown.starred and shown.body == "A short teaser about a trial."
        assert store.full_texts.save(teaser_id, PAGE)
        assert titles(store, "lupus") == ["Trial update"]
        index_ok(path)
    with Store(path) as store:  # opened again as it is
        assert titles(store, "lupus") == ["Trial update"]
