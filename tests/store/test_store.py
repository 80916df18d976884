"""Tests of the SQLite store: schema, ingest, ordering, filters, state, errors, threads."""

from __future__ import annotations

import random
import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_helpers import ConnectionLog, make_article

from biotui.errors import StoreError
from biotui.model import FeedStatus, FileSignature, IngestCounts
from biotui.store import DB_NAME, SCHEMA_VERSION, IndexQuery, IngestRequest, Store
from biotui.store.connections import IDLE_CONNECTIONS
from biotui.store.schema import FTS_AUTOMERGE, PAGE_SIZE


def day(n: int) -> datetime:
    """Noon UTC on 2024-05-``n``."""
    return datetime(2024, 5, n, 12, 0, tzinfo=UTC)


def fts_ok(store: Store) -> None:
    """Assert the external-content FTS index agrees with the articles table."""
    conn = sqlite3.connect(store.path)
    try:
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


# -- opening -------------------------------------------------------------------------------


def test_open_creates_folders_schema_and_wal(tmp_path: Path) -> None:
    data = tmp_path / "a" / "b"
    with Store.open(data) as store:
        assert store.path == data / DB_NAME
        assert store.path.is_file()
        assert store.headline_ids().tolist() == []
    conn = sqlite3.connect(data / DB_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
    automerge = conn.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'")
    assert automerge.fetchone() == (FTS_AUTOMERGE,)
    conn.close()


def test_a_file_with_small_pages_is_used_as_it_is(tmp_path: Path) -> None:
    """A store made with SQLite's default page size (by an earlier version) keeps it."""
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("VACUUM")
    conn.close()
    with Store.open(tmp_path) as store:
        store.ingest("Feed A", [make_article()])
        assert len(store.headline_ids()) == 1
        fts_ok(store)
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    conn.close()


def test_reopen_keeps_data(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.ingest("Feed A", [make_article()])
    with Store.open(tmp_path) as store:
        assert len(store.headline_ids()) == 1


def test_two_stores_on_one_file_see_each_other(tmp_path: Path) -> None:
    with Store.open(tmp_path) as app_store, Store.open(tmp_path) as cli_store:
        assert app_store.headline_ids().tolist() == []
        cli_store.ingest("Feed A", [make_article()])
        assert len(app_store.headline_ids()) == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer biotui"):
        Store.open(tmp_path)


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute("CREATE TABLE something (x)")
    conn.close()
    with pytest.raises(StoreError, match="not a biotui database"):
        Store.open(tmp_path)


def test_corrupt_file_gives_one_line_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite at all " * 200)
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path)
    message = str(info.value)
    assert str(tmp_path / DB_NAME) in message
    assert "\n" not in message


def test_unusable_folder_gives_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create its folder"):
        Store.open(blocker / "data")


def test_database_path_that_is_a_folder_gives_store_error(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).mkdir()
    with pytest.raises(StoreError, match=DB_NAME):
        Store.open(tmp_path)


def test_closed_store_raises(store: Store) -> None:
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.headline_ids()


def test_closing_leaves_a_connection_another_thread_is_using_until_that_thread_ends(
    store: Store,
) -> None:
    """A refresh thread in the middle of a write when the app closes the store: its
    connection must not be closed under it (SQLite can then crash the interpreter)."""
    inside, go_on = threading.Event(), threading.Event()
    outcome: list[str] = []

    def pause_once() -> bool:
        """Called by SQLite while the write runs: hold it there until the store is closed."""
        if not inside.is_set():
            inside.set()
            go_on.wait(5)
        return False

    def refresh_thread() -> None:
        try:
            with store.interruptible(pause_once, every=1):
                store.save_feed_status(FeedStatus("Late feed"))
            outcome.append("committed")
            store.headline_ids()  # the next call sees the store closed
        except StoreError as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=refresh_thread)
    thread.start()
    assert inside.wait(5)
    store.close()
    go_on.set()
    thread.join(5)
    assert outcome[0] == "committed"
    assert "the store is closed" in outcome[1]
    with Store(store.path) as reopened:
        assert "Late feed" in {status.name for status in reopened.feed_statuses()}


def test_a_writer_waits_for_another_process_writing_then_stores(store: Store) -> None:
    """Another connection holds the write lock for a while: an ingest waits for it and
    stores."""
    store.ingest("Feed A", [make_article(guid="a")])
    other = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    releasing = threading.Event()

    def release() -> None:
        releasing.set()
        other.execute("COMMIT")

    released = threading.Timer(0.2, release)
    released.start()
    try:
        assert store.ingest("Feed A", [make_article(guid="b")]) == IngestCounts(new=1)
        # It did wait for the other writer: it could not store before the COMMIT began.
        assert releasing.is_set()
    finally:
        released.join(5)
        other.close()
    assert store.article_count() == 2


def test_a_writer_gives_up_once_the_busy_timeout_has_passed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("biotui.store.connections.BUSY_TIMEOUT_S", 0.1)
    impatient = Store(store.path)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="cannot store feed 'Feed A': database is locked"):
            impatient.ingest("Feed A", [make_article(guid="a")])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert impatient.ingest("Feed A", [make_article(guid="a")]) == IngestCounts(new=1)
    impatient.close()


# -- ingest --------------------------------------------------------------------------------


def test_ingest_new_unchanged_updated(store: Store) -> None:
    first = [make_article(guid="a"), make_article(guid="b")]
    assert store.ingest("Feed A", first) == IngestCounts(new=2)
    assert store.ingest("Feed A", first) == IngestCounts(unchanged=2)
    changed = [replace(first[0], body="New body."), first[1], make_article(guid="c")]
    assert store.ingest("Feed A", changed) == IngestCounts(new=1, updated=1, unchanged=1)
    stored = store.article(first[0].id)
    assert stored is not None
    assert stored.body == "New body."
    fts_ok(store)


def test_unchanged_ingest_writes_nothing(store: Store) -> None:
    """Another connection sees no commit that changed the file (``data_version`` stays)."""
    articles = [make_article(guid=str(i)) for i in range(20)]
    store.ingest("Feed A", articles)
    watcher = sqlite3.connect(store.path)
    try:
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        assert store.ingest("Feed A", articles) == IngestCounts(unchanged=20)
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
        store.ingest("Feed A", [replace(articles[0], body="Changed.")])
        assert watcher.execute("PRAGMA data_version").fetchone()[0] != before
    finally:
        watcher.close()


def test_update_keeps_read_and_starred_and_reindexes(store: Store) -> None:
    article = make_article(title="Old headline about lupus")
    store.ingest("Feed A", [article])
    store.set_read([article.id])
    store.set_starred(article.id, True)
    store.ingest("Feed A", [replace(article, title="New headline about CRISPR")])
    stored = store.article(article.id)
    assert stored is not None
    assert (stored.title, stored.read, stored.starred) == ("New headline about CRISPR", True, True)
    assert store.headline_ids(IndexQuery('"lupus"')).tolist() == []
    assert len(store.headline_ids(IndexQuery('"crispr"'))) == 1
    fts_ok(store)


def test_every_content_field_counts_as_a_change(store: Store) -> None:
    article = make_article()
    store.ingest("Feed A", [article])
    variants = {
        "title": "t2",
        "link": "https://example.org/2",
        "author": "Someone",
        "published": day(2),
        "source": "Wire",
        "source_title": "Orig",
        "section": "Business",
        "place": "Boston",
        "credits": ("Photo: X",),
        "body": "b2",
        "notes": ("truncated",),
    }
    for name, value in variants.items():
        article = replace(article, **{name: value})
        assert store.ingest("Feed A", [article]) == IngestCounts(updated=1), name
    assert store.article(article.id) == article


def test_duplicate_ids_in_one_ingest_last_wins(store: Store) -> None:
    a1 = make_article(title="first")
    a2 = replace(a1, title="second")
    assert store.ingest("Feed A", [a1, a2]) == IngestCounts(new=1)
    stored = store.article(a1.id)
    assert stored is not None
    assert stored.title == "second"


def test_article_of_another_feed_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="Feed B"):
        store.ingest("Feed A", [make_article(feed="Feed B")])
    assert store.headline_ids().tolist() == []


def test_failed_ingest_keeps_nothing(store: Store) -> None:
    good = make_article(guid="good")
    store.ingest("Feed A", [good], status=FeedStatus("Feed A", etag='"v1"'))
    bad = make_article(guid="bad", body="broken \ud800 surrogate")
    with pytest.raises(StoreError, match="Feed A"):
        store.ingest(
            "Feed A",
            [replace(good, title="changed"), make_article(guid="new"), bad],
            status=FeedStatus("Feed A", etag='"v2"'),
            files=[FileSignature("/x.txt", 1, 2)],
        )
    assert store.headline_ids().tolist() == [1]
    stored = store.article(good.id)
    assert stored is not None
    assert stored.title == good.title
    status = store.feed_status("Feed A")
    assert status is not None
    assert status.etag == '"v1"'
    assert store.file_signatures("Feed A") == {}
    fts_ok(store)
    # The store is still usable afterwards.
    assert store.ingest("Feed A", [make_article(guid="new")]) == IngestCounts(new=1)


def test_a_batch_of_ingests_counts_each_feed_and_stores_them_together(store: Store) -> None:
    store.ingest("Feed A", [make_article(guid="a")])
    counts = store.ingest_batch(
        [
            IngestRequest("Feed A", [make_article(guid="a"), make_article(guid="b")]),
            IngestRequest(
                "Feed B",
                [make_article("Feed B", "c")],
                status=FeedStatus("Feed B", etag='"v1"'),
                files=[FileSignature("/b.txt", 1, 2)],
            ),
        ]
    )
    assert counts == [IngestCounts(new=1, unchanged=1), IngestCounts(new=1)]
    assert len(store.headline_ids(feed="Feed A")) == 2
    assert len(store.headline_ids(feed="Feed B")) == 1
    status = store.feed_status("Feed B")
    assert status is not None
    assert status.etag == '"v1"'
    assert store.file_signatures("Feed B") == {"/b.txt": FileSignature("/b.txt", 1, 2)}
    fts_ok(store)


def test_a_batch_that_fails_keeps_nothing_of_any_feed(store: Store) -> None:
    bad = make_article("Feed B", "bad", body="broken \ud800 surrogate")
    with pytest.raises(StoreError, match=r"Feed A.*Feed B"):
        store.ingest_batch(
            [
                IngestRequest("Feed A", [make_article(guid="a")]),
                IngestRequest("Feed B", [bad], status=FeedStatus("Feed B", etag='"v1"')),
            ]
        )
    assert store.article_count() == 0
    assert store.feed_status("Feed B") is None
    with pytest.raises(ValueError, match="belongs to feed"):
        store.ingest_batch([IngestRequest("Feed A", [make_article("Feed B", "c")])])


def test_ingest_saves_status_and_files(store: Store) -> None:
    status = FeedStatus("Clippings", location="/news", last_checked=day(3), last_success=day(3))
    files = [FileSignature("/news/a.txt", 10, 123), FileSignature("/news/b.txt", 20, 456)]
    store.ingest("Clippings", [], status=status, files=files)
    assert store.feed_status("Clippings") == status
    assert store.file_signatures("Clippings") == {f.path: f for f in files}
    store.ingest("Clippings", [], files=[FileSignature("/news/a.txt", 11, 789)])
    assert store.file_signatures("Clippings")["/news/a.txt"] == FileSignature(
        "/news/a.txt", 11, 789
    )
    assert store.file_signatures("Other") == {}


# -- order and filters ---------------------------------------------------------------------


def test_newest_first_with_fallbacks(store: Store) -> None:
    old = make_article(guid="old", published=day(1))
    new = make_article(guid="new", published=day(3))
    mid = make_article(guid="mid", published=day(2))
    undated_first = make_article(guid="u1", published=None)
    undated_second = make_article(guid="u2", published=None)
    future = make_article(guid="future", published=datetime.now(UTC) + timedelta(days=400))
    store.ingest("Feed A", [old, new, mid])
    store.ingest("Feed A", [undated_first, undated_second, future])
    order = [h.id for h in store.headlines(store.headline_ids())]
    # Undated articles sort by first-seen time (now), in the order the feed gave them; a
    # future date is clamped to first-seen time too (after the undated ones of its batch).
    assert order == [undated_first.id, undated_second.id, future.id, new.id, mid.id, old.id]


def test_equal_times_newest_rowid_first(store: Store) -> None:
    articles = [make_article(guid=str(i), published=day(1)) for i in range(5)]
    store.ingest("Feed A", articles)
    ids = store.headline_ids().tolist()
    assert ids == sorted(ids, reverse=True)
    assert [h.id for h in store.headlines(ids)] == [a.id for a in articles]


def test_filters(store: Store) -> None:
    a = make_article("Feed A", "a", title="Lupus trial", published=day(1))
    b = make_article("Feed A", "b", title="CRISPR news", published=day(2))
    c = make_article("Feed B", "c", title="Lupus approval", published=day(3))
    store.ingest("Feed A", [a, b])
    store.ingest("Feed B", [c])
    rowid = {h.id: h.rowid for h in store.headlines(store.headline_ids())}
    store.set_read([b.id])
    store.set_starred(c.id, True)

    def ids(*args: IndexQuery | None, **kwargs: bool | str) -> list[int]:
        return store.headline_ids(*args, **kwargs).tolist()  # type: ignore[arg-type]

    assert ids() == [rowid[c.id], rowid[b.id], rowid[a.id]]
    assert ids(unread_only=True) == [rowid[c.id], rowid[a.id]]
    assert ids(starred_only=True) == [rowid[c.id]]
    assert ids(feed="Feed A") == [rowid[b.id], rowid[a.id]]
    assert ids(feed="Nope") == []
    lupus = IndexQuery('"lupus"')
    assert ids(lupus) == [rowid[c.id], rowid[a.id]]
    assert ids(lupus, feed="Feed A") == [rowid[a.id]]
    assert ids(lupus, unread_only=True, starred_only=True) == [rowid[c.id]]
    assert ids(IndexQuery(None, exclude='"lupus"')) == [rowid[b.id]]
    assert ids(IndexQuery('"lupus"', exclude='"approval"')) == [rowid[a.id]]
    # The feed name is indexed too.
    assert ids(IndexQuery('"feed b"')) == [rowid[c.id]]
    assert store.article_count() == 3
    assert store.article_count(lupus, unread_only=True) == 2
    assert store.article_count(feed="Feed B", starred_only=True) == 1


def test_a_tuple_of_feeds_keeps_the_articles_of_any_of_them(store: Store) -> None:
    """A tag's feeds: listed, counted, searched and ranked like one feed's articles."""
    for number, feed in enumerate(("Feed A", "Feed B", "Feed C")):
        store.ingest(
            feed,
            [
                make_article(feed, f"{feed}-lupus", title="Lupus trial", published=day(number + 1)),
                make_article(feed, f"{feed}-other", body="Lupus in the body", published=day(9)),
            ],
        )
    feeds = {h.rowid: h.feed for h in store.headlines(store.headline_ids())}
    lupus = IndexQuery('"lupus"')
    tag = ("Feed A", "Feed C")
    listed = store.headline_ids(feed=tag).tolist()
    assert {feeds[rowid] for rowid in listed} == set(tag) and len(listed) == 4
    assert listed == [r for r in store.headline_ids().tolist() if feeds[r] in tag]  # newest first
    ranked = store.headline_ids(lupus, feed=tag, order="relevance").tolist()
    assert sorted(ranked) == sorted(listed)
    assert [feeds[r] for r in ranked[:2]] == ["Feed C", "Feed A"]  # title matches first
    assert store.article_count(feed=tag) == 4
    assert store.article_count(lupus, feed=tag, unread_only=True) == 4
    # A connection remembers each filter's list apart: one feed is not the tuple of one.
    assert len(store.headline_ids(feed="Feed A")) == 2
    assert len(store.headline_ids(feed=("Feed A", "Feed B", "Feed C"))) == 6
    assert store.headline_ids(feed=()).tolist() == []


def test_bad_match_expression_is_a_store_error(store: Store) -> None:
    store.ingest("Feed A", [make_article()])
    with pytest.raises(StoreError, match="cannot list articles"):
        store.headline_ids(IndexQuery("AND AND ("))


# -- reading -------------------------------------------------------------------------------


def test_headlines_in_given_order(store: Store) -> None:
    articles = [make_article(guid=str(i), source=f"S{i}", link=f"https://x/{i}") for i in range(5)]
    store.ingest("Feed A", articles)
    ids = store.headline_ids().tolist()
    wanted = [ids[3], ids[0], 999_999, ids[4]]
    got = store.headlines(wanted)
    assert [h.rowid for h in got] == [ids[3], ids[0], ids[4]]
    first = got[1]
    assert first.feed == "Feed A"
    assert first.published == day(1)
    assert first.source.startswith("S")
    assert first.link.startswith("https://x/")
    assert store.headlines([]) == []


def test_headline_fields_match_the_article(store: Store) -> None:
    store.ingest(
        "Feed A",
        [
            make_article(guid="dated", title="T1", source="S1", link="https://x/1"),
            make_article(guid="undated", title="T2", source="S2", link="", published=None),
        ],
    )
    ids = store.headline_ids().tolist()
    first, second = store.headlines(ids)
    store.set_read([first.id], True)
    store.set_starred(second.id, True)
    heads = store.headlines([*ids, ids[0]])
    assert [h.rowid for h in heads] == [*ids, ids[0]]
    for head in heads:
        full = store.article(head.rowid)
        assert full is not None
        fields = (full.id, full.feed, full.title, full.source, full.published, full.link)
        assert (head.id, head.feed, head.title, head.source, head.published, head.link) == fields
        assert (head.read, head.starred) == (full.read, full.starred)
    assert {(h.read, h.starred) for h in heads} == {(True, False), (False, True)}
    assert {h.published is None for h in heads} == {True, False}


def test_article_round_trip_by_id_and_rowid(store: Store) -> None:
    article = make_article(
        title="CAR-T [/] title",
        link="file:///news/a.txt",
        author="Jane Doe",
        published=datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=2))),
        source="PR Newswire / CARsgen",
        source_title="Original",
        section="Pharma",
        place="Shanghai, China",
        credits=("Photo: A/Agency", "Image: B"),
        body="# Body\n\nText \u00e9\u4e2d.",
        notes=("body truncated",),
    )
    store.ingest("Feed A", [article])
    by_id = store.article(article.id)
    assert by_id == article
    assert by_id is not None and by_id.published is not None
    assert by_id.published.tzinfo == UTC
    (rowid,) = store.headline_ids()
    assert store.article(rowid) == article
    assert store.article("missing") is None
    assert store.article(12345) is None


def test_naive_datetime_is_taken_as_utc(store: Store) -> None:
    article = make_article(published=datetime(2024, 1, 1, 8, 0))
    store.ingest("Feed A", [article])
    stored = store.article(article.id)
    assert stored is not None
    assert stored.published == datetime(2024, 1, 1, 8, 0, tzinfo=UTC)


def test_read_starred_and_counts(store: Store) -> None:
    a = make_article("Feed A", "a")
    b = make_article("Feed A", "b")
    c = make_article("Feed B", "c")
    store.ingest("Feed A", [a, b])
    store.ingest("Feed B", [c])
    store.save_feed_status(FeedStatus("Empty"))
    assert store.counts() == {"Feed A": (2, 2), "Feed B": (1, 1), "Empty": (0, 0)}
    store.set_read([a.id, c.id, "unknown"])
    assert store.counts() == {"Feed A": (2, 1), "Feed B": (1, 0), "Empty": (0, 0)}
    store.set_read([a.id], read=False)
    store.set_read([])
    assert store.counts()["Feed A"] == (2, 2)
    store.set_starred(b.id, True)
    stored = store.article(b.id)
    assert stored is not None and stored.starred
    store.set_starred(b.id, False)
    stored = store.article(b.id)
    assert stored is not None and not stored.starred
    store.set_starred("unknown", True)
    fts_ok(store)


def test_feed_statuses(store: Store) -> None:
    assert store.feed_status("X") is None
    b = FeedStatus(
        "B",
        location="https://b.example/feed",
        etag='W/"1"',
        last_modified="Wed, 01 May 2024 12:00:00 GMT",
        last_checked=day(4),
        last_success=day(3),
        last_error="HTTP 500",
        retry_after=day(5),
    )
    a = FeedStatus("A", location="/news")
    store.save_feed_status(b)
    store.save_feed_status(a)
    assert store.feed_statuses() == [a, b]
    b2 = replace(b, last_error=None, etag=None)
    store.save_feed_status(b2)
    assert store.feed_status("B") == b2


# -- threads -------------------------------------------------------------------------------


def test_threads_each_get_a_connection_released_when_they_end(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.ingest("Feed A", [make_article(guid=str(i)) for i in range(10)])
    log = ConnectionLog(monkeypatch)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for _ in range(5):
                assert len(store.headline_ids()) >= 10
                store.ingest("Feed A", [make_article(guid=f"t{n}")])
                store.set_read([make_article(guid=f"t{n}").id])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.headline_ids()) == 18
    assert store.counts()["Feed A"] == (18, 10)
    # Connections of finished threads are released (a few kept for later threads, the rest
    # closed), not piled up.
    assert log.still_open() <= IDLE_CONNECTIONS


def test_order_holds_for_many_rows_and_after_updates(store: Store) -> None:
    rng = random.Random(7)
    articles = [
        make_article(guid=str(i), published=day(1) + timedelta(minutes=rng.randrange(50_000)))
        for i in range(1_000)
    ]
    for start in range(0, len(articles), 250):
        store.ingest("Feed A", articles[start : start + 250])

    def check() -> None:
        ids = store.headline_ids()
        heads = store.headlines(ids)
        keys = [(h.published, h.rowid) for h in heads]
        assert len(keys) == 1_000
        assert keys == sorted(keys, reverse=True)

    check()
    later = day(1) + timedelta(days=90)
    moved = [
        replace(a, published=later + timedelta(minutes=n)) for n, a in enumerate(articles[::7])
    ]
    assert store.ingest("Feed A", moved).updated == len(moved)
    check()
    assert {h.id for h in store.headlines(store.headline_ids()[: len(moved)])} == {
        a.id for a in moved
    }
    fts_ok(store)


# -- entry digests -----------------------------------------------------------------------------


def test_entry_digests_are_stored_with_articles_and_read_back_by_feed(store: Store) -> None:
    one, two, three = (make_article(guid=g) for g in ("g1", "g2", "g3"))
    store.ingest("Feed A", [one, two, three], source_hashes={one.id: "h1", two.id: "h2"})
    other = make_article("Feed B", guid="g4")
    store.ingest("Feed B", [other], source_hashes={other.id: "h3"})
    assert store.entry_digests("Feed A") == {"h1", "h2"}
    assert store.entry_digests("Feed B") == {"h3"}
    assert store.entry_digests("Feed C") == frozenset()


def test_a_feed_seen_for_the_first_time_is_stored_and_then_recognised(store: Store) -> None:
    store.ingest("Feed A", [make_article(guid="a")])
    first = [make_article("Feed B", guid=g) for g in ("b1", "b2")]
    assert store.ingest("Feed B", first) == IngestCounts(new=2)
    changed = [replace(first[0], body="New body."), first[1]]
    assert store.ingest("Feed B", changed) == IngestCounts(updated=1, unchanged=1)
    fts_ok(store)


def test_a_new_digest_for_an_unchanged_article_is_saved_without_a_content_write(
    store: Store,
) -> None:
    article = make_article()
    store.ingest("Feed A", [article])  # stored before digests existed: none
    assert store.entry_digests("Feed A") == frozenset()
    counts = store.ingest("Feed A", [article], source_hashes={article.id: "h1"})
    assert counts == IngestCounts(unchanged=1)
    assert store.entry_digests("Feed A") == {"h1"}
    changed = replace(article, title="Corrected title")
    counts = store.ingest("Feed A", [changed], source_hashes={article.id: "h2"})
    assert counts == IngestCounts(updated=1)
    assert store.entry_digests("Feed A") == {"h2"}
    fts_ok(store)
