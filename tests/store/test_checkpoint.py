"""Checkpoints taken by a thread of their own while other connections write with theirs off."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from store_helpers import make_article

from biotui.model import IngestCounts
from biotui.store import Store
from biotui.store.checkpoint import Checkpointer
from biotui.store.schema import PAGE_SIZE


def wal_size(store: Store) -> int:
    """The size of the store's write-ahead log file, in bytes (0 when there is none)."""
    wal = store.path.with_name(store.path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def write_pages(store: Store, commits: int, *, first: int = 0, pause: float = 0.0) -> None:
    """``commits`` ingests of one article whose body fills two pages of the database (each
    commit writes about 15 pages to the log: the row, its indexes, the full-text index)."""
    body = "Lorem ipsum dolor sit amet. " * (PAGE_SIZE // 14)
    for n in range(first, first + commits):
        counts = store.ingest("Feed A", [make_article(guid=f"g{n}", body=f"{n} {body}")])
        assert counts == IngestCounts(new=1)
        if pause:
            time.sleep(pause)


def test_a_checkpoint_copies_the_log_and_a_restart_lets_it_start_over(tmp_path: Path) -> None:
    with Store(tmp_path / "biotui.db", autocheckpoint=False) as store:
        write_pages(store, 20)
        written = wal_size(store)
        assert written > 100 * PAGE_SIZE
        checkpointer = Checkpointer(store.path, restart_at=1)
        try:
            pages, copied = checkpointer.checkpoint()
            assert pages > 100 and copied == pages  # every page of the log is in the database
            # Restarted, the log is written from its start again: the file does not grow.
            write_pages(store, 2, first=20)
            assert wal_size(store) == written
        finally:
            checkpointer.stop()
        assert store.article_count() == 22


def test_without_autocheckpoint_the_log_waits_for_a_checkpointer(tmp_path: Path) -> None:
    """SQLite checkpoints once the log holds 1,000 pages; a store told not to leaves it."""
    sizes = {}
    for autocheckpoint in (True, False):
        with Store(tmp_path / f"{autocheckpoint}.db", autocheckpoint=autocheckpoint) as store:
            write_pages(store, 100)  # about 1,500 pages
            sizes[autocheckpoint] = wal_size(store)
    assert sizes[True] < 1_200 * PAGE_SIZE < 1_400 * PAGE_SIZE < sizes[False]


def test_the_thread_keeps_the_log_short_while_another_connection_writes(tmp_path: Path) -> None:
    with Store(tmp_path / "biotui.db", autocheckpoint=False) as store:
        checkpointer = Checkpointer(store.path, every=0.005, restart_at=20)
        checkpointer.start()
        try:
            largest = 0
            for batch in range(30):
                write_pages(store, 5, first=5 * batch, pause=0.01)
                largest = max(largest, wal_size(store))
            assert largest > 20 * PAGE_SIZE  # the log was written to
        finally:
            checkpointer.stop()
        # 150 commits wrote about 2,200 pages; restarted again and again, the log never held
        # more than a fraction of them.
        assert largest < 600 * PAGE_SIZE
        assert store.article_count() == 150
    assert not [t for t in threading.enumerate() if t.name == "biotui-checkpoint"]


def test_a_missing_or_foreign_database_is_never_created_nor_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    checkpointer = Checkpointer(missing, every=0.001)
    checkpointer.start()
    time.sleep(0.05)
    checkpointer.stop()
    assert not missing.exists()

    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database\n")
    checkpointer = Checkpointer(foreign, every=0.001)
    checkpointer.start()
    time.sleep(0.05)
    checkpointer.stop()
    checkpointer.stop()  # idempotent
    assert foreign.read_text() == "not a database\n"


def test_a_database_not_in_wal_mode_is_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "rollback.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    checkpointer = Checkpointer(path)
    try:
        assert checkpointer.checkpoint() == (-1, -1)
    finally:
        checkpointer.stop()


def test_stopping_without_waiting_still_ends_the_thread(tmp_path: Path) -> None:
    """As when the app quits: the thread is not waited for, and ends on its own soon after."""
    with Store(tmp_path / "biotui.db", autocheckpoint=False) as store:
        write_pages(store, 5)
        checkpointer = Checkpointer(store.path, every=0.001)
        checkpointer.start()
        time.sleep(0.05)
        checkpointer.stop(wait=False)
        deadline = time.monotonic() + 5
        while [t for t in threading.enumerate() if t.name == "biotui-checkpoint"]:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        write_pages(store, 1, first=5)  # the store goes on without it
        assert store.article_count() == 6
