"""Store features for search: the v1 -> v2 migration, relevance order, the listing plans,
lists that follow every change, idle connections, starred counts, tokenizer folding."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from legacy_v1 import make_v1_store
from store_helpers import ConnectionLog, make_article

from biotui.errors import StoreError
from biotui.search import parse_filter
from biotui.store import DB_NAME, SCHEMA_VERSION, IndexQuery, Store, fold_chars
from biotui.store import listing as listing_module
from biotui.store.connections import IDLE_CONNECTIONS
from biotui.store.schema import FTS_AUTOMERGE


def ids(store: Store, text: str, **kwargs: object) -> list[int]:
    """The rowids a filter gives, as a list."""
    return store.headline_ids(parse_filter(text).query, **kwargs).tolist()  # type: ignore[arg-type]


def fts_ok(path: Path) -> None:
    """Assert the external-content FTS index agrees with the articles table."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


# -- migration -------------------------------------------------------------------------------

OLD_ARTICLES = [
    ("Organ transplant study", "Kidney grafts.", True, False),
    ("World Health Organization update", "Guidance.", False, True),
    ("Lupus nephritis readout", "CAR-T cells in lupus.", False, False),
]


def test_a_version_1_store_is_migrated_and_searchable(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    make_v1_store(path, OLD_ARTICLES)
    old = sqlite3.connect(path)
    # Porter stemming made "organ" find "organization": the reason for version 2.
    stemmed = old.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'organ'")
    assert stemmed.fetchone()[0] == 2
    old.close()

    with Store(path) as store:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 14
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'"
        ).fetchone()
        assert "porter" not in sql
        assert "unicode61 remove_diacritics 2" in sql
        assert conn.execute(
            "SELECT v FROM articles_fts_config WHERE k = 'automerge'"
        ).fetchone() == (FTS_AUTOMERGE,)
        conn.close()
        fts_ok(path)
        titles = {h.rowid: h.title for h in store.headlines(store.headline_ids())}
        assert [titles[r] for r in ids(store, "organ")] == ["Organ transplant study"]
        assert [titles[r] for r in ids(store, "lupus CAR-T")] == ["Lupus nephritis readout"]
        # Read and starred state survive.
        assert store.counts()["Old"] == (3, 2)
        assert store.starred_count() == (1, 1)
        # The triggers still keep the new index current.
        store.ingest("Old", [make_article("Old", "new", title="Organs on chips")])
        assert len(ids(store, "organ")) == 2
        fts_ok(path)


def test_an_early_version_1_store_gets_the_rowid_index(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    make_v1_store(path, OLD_ARTICLES, rowid_index=False)
    with Store(path) as store:
        assert len(ids(store, "lupus")) == 1
    conn = sqlite3.connect(path)
    names = {name for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type='index'")}
    conn.close()
    assert {"articles_by_rowid", "articles_starred"} <= names


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    make_v1_store(path, OLD_ARTICLES)
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW articles_starred AS SELECT 1")  # the new index's name is taken
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="cannot create the schema"):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    (sql,) = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'").fetchone()
    assert "porter" in sql
    conn.close()


V3_INSERT_TRIGGER = """
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body, source, author, feed)
    VALUES (new.rowid, new.title, new.body, new.source, new.author, new.feed);
END
"""


def test_a_version_3_store_indexes_new_articles_once_without_its_insert_trigger(
    tmp_path: Path,
) -> None:
    path = tmp_path / DB_NAME
    with Store(path) as store:
        store.ingest("Feed A", [make_article(guid="old", title="Lupus trial starts")])
    conn = sqlite3.connect(path)
    conn.execute(V3_INSERT_TRIGGER)
    for trigger in ("delete", "update", "forget"):  # what version 5 added
        conn.execute(f"DROP TRIGGER feed_counts_{trigger}")
    conn.execute("DROP TABLE feed_counts")
    conn.execute("DROP TABLE mark_changes")  # what version 6 added
    conn.execute("DROP TABLE mark_actions")
    conn.execute("DROP TABLE removed")
    conn.execute("DROP VIEW articles_indexed")  # what version 7 added (its triggers go with it)
    conn.execute("DROP TABLE full_texts")
    conn.execute("DROP TABLE watch_marks")  # what version 8 added
    conn.execute("DROP TRIGGER watch_marks_lower")
    conn.execute("DROP TRIGGER story_members_forget")  # what version 9 added
    for table in ("story_keys", "story_members", "stories"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TRIGGER identifiers_forget")  # what version 10 added
    conn.execute("DROP TABLE identifiers")
    conn.execute("DROP TABLE backfills")
    for table in ("sync_items", "sync_feeds", "sync_accounts"):  # what version 11 added
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TRIGGER identifiers_later_forget")  # what version 12 added
    conn.execute("DROP TABLE identifiers_later")
    for trigger in ("muted_delete", "muted_update"):  # what version 13 added
        conn.execute(f"DROP TRIGGER {trigger}")
    for table in ("muted_for", "muted"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()

    with Store(path) as store:
        new = make_article(guid="new", title="Lupus readout", body="CAR-T in lupus.")
        store.ingest("Feed A", [new, make_article(guid="other", title="Myeloma")])
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 14
        triggers = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
        assert sorted(name for (name,) in triggers if name.startswith("articles_fts")) == [
            "articles_fts_delete",
            "articles_fts_update",
        ]
        conn.close()
        fts_ok(path)  # each article indexed once: a trigger as well would corrupt the index
        titles = {h.rowid: h.title for h in store.headlines(store.headline_ids())}
        assert sorted(titles[r] for r in ids(store, "lupus")) == [
            "Lupus readout",
            "Lupus trial starts",
        ]
        assert [titles[r] for r in ids(store, "CAR-T")] == ["Lupus readout"]


def test_articles_stored_after_the_newest_was_deleted_are_indexed(store: Store) -> None:
    store.ingest("Feed A", [make_article(guid=g, title=f"Trial {g}") for g in ("a", "b")])
    newest = max(store.headline_ids().tolist())
    conn = sqlite3.connect(store.path)
    conn.execute("DELETE FROM articles WHERE rowid = ?", (newest,))
    conn.commit()
    conn.close()
    store.ingest("Feed A", [make_article(guid="c", title="Trial c lupus")])
    fts_ok(store.path)
    assert len(ids(store, "lupus")) == 1
    assert len(ids(store, "trial")) == 2


# -- relevance -------------------------------------------------------------------------------


def day(n: int) -> datetime:
    return datetime(2024, 5, 1, tzinfo=UTC) + timedelta(days=n)


@pytest.fixture
def ranked(store: Store) -> dict[str, int]:
    """Articles about myeloma in the title, body, source; the newest mention it least."""
    articles = {
        "title": make_article(guid="title", title="Myeloma drug approved", published=day(1)),
        "source": make_article(
            guid="source", title="Approval", source="Myeloma Weekly", published=day(2)
        ),
        "body": make_article(
            guid="body", title="Approval", body="It treats myeloma.", published=day(3)
        ),
        "body2": make_article(
            guid="body2", title="Approval", body="It treats myeloma.", published=day(4)
        ),
        "other": make_article(guid="other", title="Lupus", published=day(5)),
    }
    store.ingest("Feed A", list(articles.values()))
    by_id = {h.id: h.rowid for h in store.headlines(store.headline_ids())}
    return {key: by_id[article.id] for key, article in articles.items()}


def test_relevance_weighs_title_then_source_then_body(store: Store, ranked: dict[str, int]) -> None:
    r = ranked
    assert ids(store, "myeloma") == [r["body2"], r["body"], r["source"], r["title"]]
    # Equal scores (body, body2): newest first.
    assert ids(store, "myeloma", order="relevance") == [
        r["title"], r["source"], r["body2"], r["body"]
    ]  # fmt: skip
    best = ids(store, "myeloma", order="relevance", unread_only=True, feed="Feed A")[0]
    assert best == r["title"]


def test_relevance_without_text_is_newest(store: Store, ranked: dict[str, int]) -> None:
    newest = store.headline_ids().tolist()
    assert store.headline_ids(order="relevance").tolist() == newest
    assert ids(store, "-lupus", order="relevance") == [x for x in newest if x != ranked["other"]]


def test_unknown_order_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="unknown order"):
        store.headline_ids(order="oldest")  # type: ignore[arg-type]


# -- the two listing plans and the remembered lists ---------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    """300 articles in two feeds, some read, some starred, mentioning a few words."""
    words = ["lupus", "myeloma", "CAR-T", "lupus CAR-T", "other"]
    for feed in ("Feed A", "Feed B"):
        store.ingest(
            feed,
            [
                make_article(feed, f"{feed}{n}", title=f"{words[n % 5]} {n}", published=day(n % 37))
                for n in range(150)
            ],
        )
    heads = store.headlines(store.headline_ids())
    store.set_read([h.id for h in heads[::3]])
    for h in heads[::7]:
        store.set_starred(h.id, True)
    return store


FILTERS = ["lupus", "CAR-T OR myeloma", "-lupus", "lupus -CAR-T", "a OR -lupus", "title:other"]
OPTIONS: list[dict[str, object]] = [
    {},
    {"unread_only": True},
    {"starred_only": True},
    {"feed": "Feed B"},
    {"unread_only": True, "starred_only": True, "feed": "Feed A"},
]


def expected(store: Store, text: str, options: dict[str, object]) -> list[int]:
    """The answer by brute force: every article, filtered one by one in Python."""
    conn = sqlite3.connect(store.path)
    rows = conn.execute(
        "SELECT rowid, read, starred, feed FROM articles ORDER BY sort_time DESC, rowid DESC"
    ).fetchall()
    conn.close()
    query = parse_filter(text).query
    assert query is not None
    keep = set(store.headline_ids(IndexQuery(query.match)) if query.match else [r[0] for r in rows])
    drop = set(store.headline_ids(IndexQuery(query.exclude)) if query.exclude else [])
    return [
        rowid
        for rowid, read, starred, feed in rows
        if rowid in keep
        and rowid not in drop
        and not (options.get("unread_only") and read)
        and not (options.get("starred_only") and not starred)
        and options.get("feed", feed) == feed
    ]


@pytest.mark.parametrize("text", FILTERS)
def test_both_plans_give_the_same_list(
    filled: Store, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for options in OPTIONS:
        want = expected(filled, text, options)
        cold = Store(filled.path)  # a new connection: the SQL plan for few matches
        assert ids(cold, text, **options) == want, options
        assert ids(cold, text, **options) == want, options  # now with the list remembered
        cold.close()
        monkeypatch.setattr(listing_module, "SQL_SORT_LIMIT", 0)  # always the Python plan
        forced = Store(filled.path)
        assert ids(forced, text, **options) == want, options
        forced.close()
        monkeypatch.undo()
        query = parse_filter(text).query
        assert filled.article_count(query, **options) == len(want)  # type: ignore[arg-type]


def test_lists_follow_every_change(filled: Store, tmp_path: Path) -> None:
    lupus = ids(filled, "lupus", unread_only=True)
    everything = filled.headline_ids().tolist()
    # This connection writes: its own changes are seen.
    article = make_article("Feed A", "fresh", title="lupus again", published=day(60))
    filled.ingest("Feed A", [article])
    assert len(filled.headline_ids()) == len(everything) + 1
    fresh = ids(filled, "lupus", unread_only=True)
    assert fresh[1:] == lupus and len(fresh) == len(lupus) + 1
    filled.set_read([article.id])
    assert ids(filled, "lupus", unread_only=True) == lupus
    # Another connection (another process, say) writes: seen too.
    with Store(filled.path) as other:
        other.set_read([article.id], read=False)
        other.set_starred(article.id, True)
    assert ids(filled, "lupus", unread_only=True) == fresh
    assert ids(filled, "lupus", starred_only=True)[0] == fresh[0]


def test_lists_returned_are_copies(filled: Store) -> None:
    first = filled.headline_ids()
    first[0] = -1
    assert filled.headline_ids()[0] != -1


# -- connections -----------------------------------------------------------------------------


def test_a_thread_after_another_ended_is_served_by_the_same_connection(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query from a new thread works after another thread ended, and opens nothing new."""
    store.ingest("Feed A", [make_article(guid="a")])
    log = ConnectionLog(monkeypatch)
    answers: list[int] = []
    for _ in range(3):
        thread = threading.Thread(target=lambda: answers.append(len(store.headline_ids())))
        thread.start()
        thread.join()
    assert answers == [1, 1, 1]
    assert len(log.opened) == 1
    store.close()
    assert log.still_open() == 0
    with pytest.raises(StoreError, match="closed"):
        store.headline_ids()


def test_connections_of_ended_threads_are_few(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = ConnectionLog(monkeypatch)

    def at_once(count: int) -> None:
        barrier = threading.Barrier(count)

        def work() -> None:
            assert store.headline_ids().tolist() == []
            barrier.wait()

        threads = [threading.Thread(target=work) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    at_once(8)
    assert len(log.opened) == 8
    assert log.still_open() == IDLE_CONNECTIONS
    at_once(8)  # the kept ones serve the first threads
    assert len(log.opened) == 8 + 8 - IDLE_CONNECTIONS
    assert log.still_open() == IDLE_CONNECTIONS


# -- counts ----------------------------------------------------------------------------------


def test_starred_count(store: Store) -> None:
    assert store.starred_count() == (0, 0)
    articles = [make_article(guid=str(n)) for n in range(5)]
    store.ingest("Feed A", articles)
    for article in articles[:3]:
        store.set_starred(article.id, True)
    store.set_read([articles[0].id, articles[4].id])
    assert store.starred_count() == (3, 2)
    assert len(store.headline_ids(starred_only=True)) == 3


# -- tokenizer folding -----------------------------------------------------------------------


def test_fold_chars_asks_the_index() -> None:
    table = fold_chars("aZ9-_ ÉółøΆ\u0301\u00ad日\ud800")
    assert table["a"] == "a" and table["Z"] == "z" and table["9"] == "9"
    assert table["-"] is None and table["_"] is None and table[" "] is None
    assert table["É"] == "e" and table["ó"] == "o"
    assert table["ł"] == "ł" and table["ø"] == "ø" and table["Ά"] == "ά"  # SQLite keeps these
    assert table["\u0301"] == ""  # a combining accent: dropped, part of the word
    assert table["\u00ad"] is None  # soft hyphen separates
    assert table["日"] == "日"
    assert table["\ud800"] is None
