"""The content digest's contract, and the upgrade of a store written by the schema-4 code."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from store_helpers import make_article

from biotui.model import Article, FeedStatus, FileSignature, IngestCounts, article_id
from biotui.store import SCHEMA_VERSION, IndexQuery, Store
from biotui.store.digest import canonical_form, content_digest

SCHEMA4 = Path(__file__).parent / "data" / "schema4.db"
"""Written by the code of schema 4 (the script is in the commit that added the file)."""


# -- the digest ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleWithDoi(Article):
    """An ``Article`` as it would be with one more content field, with a default."""

    doi: str = ""


def test_fields_at_their_default_are_left_out_of_the_canonical_form() -> None:
    article = Article(id="x", feed="F", guid="g", title="T")
    assert canonical_form(article) == "feed=1:F\nguid=1:g\ntitle=1:T"
    dated = replace(
        article,
        published=datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC),
        read=True,
        credits=("Photo: A", 'Say "B"'),
    )
    assert canonical_form(dated) == (
        'credits=24:["Photo: A","Say \\"B\\""]\nfeed=1:F\nguid=1:g\npublished=7:1000000\ntitle=1:T'
    )


def test_a_new_field_with_a_default_changes_no_digest() -> None:
    article = make_article(credits=("Photo: A",), notes=("body truncated",), author="R. Writer")
    fields: dict[str, Any] = {f.name: getattr(article, f.name) for f in dataclass_fields(article)}
    extended = ArticleWithDoi(**fields)
    assert content_digest(extended) == content_digest(article)
    assert content_digest(replace(extended, doi="10.1000/x")) != content_digest(article)


def test_state_and_id_are_not_content() -> None:
    article = make_article()
    digest = content_digest(article)
    assert content_digest(replace(article, read=True, starred=True)) == digest
    assert content_digest(replace(article, id="other")) == digest
    assert digest.startswith("3:") and len(digest) == 34


# -- the upgrade from schema 4 ---------------------------------------------------------------


def _art(feed: str, guid: str, **fields: Any) -> Article:
    fields.setdefault("published", datetime(2024, 5, 1, 12, 0, tzinfo=UTC))
    return Article(id=article_id(feed, guid), feed=feed, guid=guid, **fields)


# The articles the schema-4 store was written with, as its script made them.
WIRE = [
    _art("Wire", "lupus", title="Lupus trial reads out", body="A lupus trial of CAR-T cells.",
         link="https://w.example/1", author="R. Writer", source="PR Newswire"),
    _art("Wire", "crispr", title="CRISPR approval", body="Regulators approve a CRISPR therapy.",
         published=datetime(2024, 5, 2, 9, 30, 0, 123456, tzinfo=UTC)),
    _art("Wire", "credits", title="Photo essay on organoids", body="Organoids grown in the lab.",
         credits=("Photo: A. Lens", "Graphic: B. Chart"), notes=("body truncated",),
         section="Science", place="Boston", source_title="Organoids, in pictures"),
    _art("Wire", "undated", title="An undated note", body="No date here.", published=None),
]  # fmt: skip
CLIPS = [
    _art("Clippings", "c1", title="München clinic opens", body="Über die Klinik in München.",
         link="file:///news/c1.txt"),
]  # fmt: skip


def _old_store(tmp_path: Path) -> Path:
    """A copy of the schema-4 store, one of its digests in the bare form of earlier stores."""
    path = tmp_path / "biotui.db"
    shutil.copyfile(SCHEMA4, path)
    conn = sqlite3.connect(path)
    with conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
        conn.execute(
            "UPDATE articles SET content_hash = '0123456789abcdef0123456789abcdef' WHERE id = ?",
            (CLIPS[0].id,),
        )
    conn.close()
    return path


def test_a_schema_4_store_is_upgraded_keeping_everything(tmp_path: Path) -> None:
    path = _old_store(tmp_path)
    with Store(path) as store:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 14
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        digests = [digest for (digest,) in conn.execute("SELECT content_hash FROM articles")]
        assert len(digests) == 5 and all(digest.startswith("3:") for digest in digests)
        conn.close()
        for article in [*WIRE, *CLIPS]:
            stored = store.article(article.id)
            assert stored is not None
            assert replace(stored, read=False, starred=False) == article
        crispr, credits = store.article(WIRE[1].id), store.article(WIRE[2].id)
        assert crispr is not None and crispr.read and not crispr.starred
        assert credits is not None and credits.starred and not credits.read
        assert store.counts() == {"Wire": (4, 3), "Clippings": (1, 1)}
        assert store.starred_count() == (1, 1)
        assert store.total() == 5
        assert len(store.headline_ids(IndexQuery('"lupus"'))) == 1
        assert len(store.headline_ids(IndexQuery('"munchen"'))) == 1
        status = store.feed_status("Wire")
        assert status is not None and status.etag == '"v1"'
        assert status.last_success == datetime(2024, 5, 3, tzinfo=UTC)
        assert store.file_signatures("Clippings") == {
            "/news/c1.txt": FileSignature("/news/c1.txt", 120, 1714564800000000000)
        }
        assert store.entry_digests("Wire") == {"entry-digest-1"}


def test_after_the_upgrade_the_same_articles_are_unchanged_and_nothing_is_rewritten(
    tmp_path: Path,
) -> None:
    path = _old_store(tmp_path)
    with Store(path) as store:
        watcher = sqlite3.connect(path)
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        assert store.ingest("Wire", WIRE) == IngestCounts(unchanged=4)
        assert store.ingest("Clippings", CLIPS) == IngestCounts(unchanged=1)
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
        changed = replace(WIRE[0], title="Lupus trial reads out early")
        assert store.ingest("Wire", [changed]) == IngestCounts(updated=1)
        watcher.close()
        stored = store.article(WIRE[2].id)
        assert stored is not None and stored.starred


def test_an_upgraded_store_opens_as_it_is_the_second_time(tmp_path: Path) -> None:
    path = _old_store(tmp_path)
    Store(path).close()
    conn = sqlite3.connect(path)
    digests = conn.execute("SELECT id, content_hash FROM articles ORDER BY id").fetchall()
    conn.close()
    with Store(path) as store:
        assert store.counts() == {"Wire": (4, 3), "Clippings": (1, 1)}
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT id, content_hash FROM articles ORDER BY id").fetchall() == digests
    conn.close()


def test_feed_status_of_the_old_store_is_kept_by_an_ingest(tmp_path: Path) -> None:
    path = _old_store(tmp_path)
    with Store(path) as store:
        store.ingest("Wire", WIRE, status=FeedStatus("Wire", etag='"v2"'))
        status = store.feed_status("Wire")
        assert status is not None and status.etag == '"v2"'
        assert store.counts()["Wire"] == (4, 3)
