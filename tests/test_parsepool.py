"""The refresh's workers: processes that read a feed and store it themselves, and the thread
that does the same for small refreshes. Real worker processes, a real store."""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

import pytest

from biotui import parseworker
from biotui.errors import SourceError, StoreError
from biotui.model import FeedStatus, IngestCounts
from biotui.parsepool import InlineParser, ProcessParser, _Answers, _Places
from biotui.parseworker import HEADER, NICENESS, Stored
from biotui.store import PreparedIngest, Store


def rss(feed: str, count: int, *, body: str = "A short body.") -> bytes:
    """An RSS document of ``count`` items."""
    items = "".join(
        f"<item><guid>{feed}-{n}</guid><title>{feed} story {n}</title>"
        f"<link>https://news.example/{feed}/{n}</link>"
        f"<pubDate>Mon, 03 Feb 2025 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item>"
        for n in range(count)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{feed}</title><link>https://news.example/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "data")
    yield opened
    opened.close()


def feed_task(store: Store, feed: str, data: bytes) -> tuple[object, ...]:
    status = FeedStatus(name=feed, location=f"https://news.example/{feed}.xml")
    return ("feed", data, feed, f"https://news.example/{feed}.xml", None, str(store.path), status)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): look at its state.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[-1][0] != "Z"


def test_with_a_checkpointer_the_workers_store_and_this_process_checkpoints(store: Store) -> None:
    parser = ProcessParser(2, checkpoint=store.path)
    try:
        assert [t for t in threading.enumerate() if t.name == "biotui-checkpoint"]
        with ThreadPoolExecutor(4) as pool:
            tasks = [feed_task(store, f"F{n}", rss(f"F{n}", 30)) for n in range(6)]
            results = list(pool.map(lambda task: parser.run(*task), tasks))
    finally:
        parser.close()
    assert [result.counts.new for result in results] == [30] * 6
    assert store.article_count() == 180
    assert not [t for t in threading.enumerate() if t.name == "biotui-checkpoint"]


def test_workers_store_what_they_read_and_only_counts_come_back(store: Store) -> None:
    parser = ProcessParser(2)
    try:
        with ThreadPoolExecutor(4) as pool:
            tasks = [feed_task(store, f"F{n}", rss(f"F{n}", 5)) for n in range(4)]
            results = list(pool.map(lambda task: parser.run(*task), tasks))
    finally:
        parser.close()
    assert all(isinstance(result, Stored) for result in results)
    assert [result.counts.new for result in results] == [5, 5, 5, 5]
    assert store.article_count() == 20
    assert store.feed_status("F3") is not None
    assert len(store.headline_ids(feed="F2")) == 5


def test_an_unreadable_feed_is_a_one_line_source_error_and_writes_nothing(
    store: Store,
) -> None:
    parser = ProcessParser(1)
    try:
        with pytest.raises(SourceError, match="not a feed") as caught:
            parser.run(*feed_task(store, "Bad", b"<kml><Placemark/></kml>"))
        # The same worker goes on with the next feed.
        stored = parser.run(*feed_task(store, "Good", rss("Good", 2)))
    finally:
        parser.close()
    assert "\n" not in str(caught.value)
    assert stored.counts.new == 2
    assert store.feed_status("Bad") is None
    assert store.article_count() == 2


def test_a_killed_worker_fails_only_its_feed(store: Store, tmp_path: Path) -> None:
    parser = ProcessParser(1)
    # A worker reading a named pipe nobody writes to is busy with that feed until killed,
    # however fast the machine.
    never_written = tmp_path / "download.body"
    os.mkfifo(never_written)
    try:
        parser.run(*feed_task(store, "Warm", rss("Warm", 1)))  # the worker is up
        (pid,) = parser.pids
        task = feed_task(store, "Stuck", b"")
        with ThreadPoolExecutor(1) as pool:
            running = pool.submit(parser.run, task[0], str(never_written), *task[2:])
            time.sleep(0.3)  # the worker has the task
            assert not running.done()
            os.kill(pid, signal.SIGKILL)
            with pytest.raises(SourceError, match="parser process stopped"):
                running.result()
        stored = parser.run(*feed_task(store, "After", rss("After", 3)))
        assert parser.pids and parser.pids != [pid]  # a new worker took its place
    finally:
        parser.close()
    assert stored.counts.new == 3
    assert len(store.headline_ids(feed="Stuck")) == 0


def test_a_worker_killed_while_it_holds_feeds_fails_only_the_one_it_was_reading(
    store: Store, tmp_path: Path
) -> None:
    parser = ProcessParser(1)
    never_written = tmp_path / "download.body"
    os.mkfifo(never_written)
    try:
        parser.run(*feed_task(store, "Warm", rss("Warm", 1)))
        (pid,) = parser.pids
        stuck = feed_task(store, "Stuck", b"")
        with ThreadPoolExecutor(3) as pool:
            # While the worker reads "First", "Held" and then "Stuck" (the lighter) wait for
            # it: each is sent as soon as the worker has read the one before, which it keeps.
            first = pool.submit(parser.run, *feed_task(store, "First", rss("First", 300)))
            time.sleep(0.01)
            held = pool.submit(parser.run, *feed_task(store, "Held", rss("Held", 2)), weight=2)
            running = pool.submit(parser.run, stuck[0], str(never_written), *stuck[2:], weight=1)
            time.sleep(0.5)  # the worker reads the named pipe nobody writes to
            assert not running.done()
            os.kill(pid, signal.SIGKILL)
            with pytest.raises(SourceError, match="parser process stopped"):
                running.result()
            # The feeds it had read (stored before it died, or held) are stored all the same:
            # those it held, by the worker that took its place.
            assert first.result().counts.new == 300
            assert held.result().counts.new == 2
        after = parser.run(*feed_task(store, "After", rss("After", 3)))
        assert parser.pids and parser.pids != [pid]
    finally:
        parser.close()
    assert after.counts.new == 3
    assert len(store.headline_ids(feed="First")) == 300
    assert len(store.headline_ids(feed="Held")) == 2
    assert len(store.headline_ids(feed="Stuck")) == 0


def test_workers_run_at_a_lower_priority_than_the_app(store: Store) -> None:
    parser = ProcessParser(1)
    try:
        parser.run(*feed_task(store, "F", rss("F", 1)))
        (pid,) = parser.pids
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, mine + NICENESS)
    finally:
        parser.close()


def test_no_worker_outlives_the_parser(store: Store) -> None:
    parser = ProcessParser(2)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda n: parser.run(*feed_task(store, f"F{n}", rss(f"F{n}", 1))), range(2)))
    pids = parser.pids
    assert len(pids) == 2
    parser.close()
    assert not any(alive(pid) for pid in pids)
    with pytest.raises(SourceError):
        parser.run(*feed_task(store, "Late", rss("Late", 1)))


def test_a_store_that_cannot_be_written_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    status = FeedStatus(name="F", location="x")
    task = ("feed", rss("F", 1), "F", "", None, str(blocker / "biotui.db"), status)
    parser = ProcessParser(1)
    try:
        with pytest.raises(StoreError):
            parser.run(*task)
    finally:
        parser.close()


def test_the_inline_parser_stores_into_the_refreshs_own_store(store: Store) -> None:
    parser = InlineParser(store)
    stored = parser.run(*feed_task(store, "F", rss("F", 3)))
    with pytest.raises(SourceError, match="empty document"):
        parser.run(*feed_task(store, "Empty", b"   "))
    parser.close()
    assert stored.counts.new == 3
    assert store.article_count() == 3


def test_workers_started_ahead_are_the_ones_tasks_use(store: Store) -> None:
    parser = ProcessParser(2)
    try:
        parser.start(5)  # never more than the pool's size
        started = sorted(parser.pids)
        assert len(started) == 2
        parser.start(2)  # already running: nothing more
        assert sorted(parser.pids) == started
        with ThreadPoolExecutor(2) as pool:
            tasks = [feed_task(store, f"F{n}", rss(f"F{n}", 2)) for n in range(4)]
            results = list(pool.map(lambda task: parser.run(*task), tasks))
        assert sorted(parser.pids) == started
    finally:
        parser.close()
    assert [result.counts.new for result in results] == [2, 2, 2, 2]
    assert not any(alive(pid) for pid in started)


def test_the_inline_parser_has_nothing_to_start(store: Store) -> None:
    parser = InlineParser(store)
    parser.start(3)
    assert parser.run(*feed_task(store, "F", rss("F", 1))).counts.new == 1


def test_the_heaviest_waiting_task_gets_the_next_worker() -> None:
    """Tasks waiting for a worker go heaviest first, equal weights in arrival order."""
    places = _Places(1)
    held, _sent = places.take()
    order: list[str] = []

    def task(name: str, weight: int) -> None:
        place, _sent = places.take(weight)
        order.append(name)
        places.give(place)

    threads = []
    for name, weight in (("light", 1), ("heavy", 30), ("medium", 2), ("medium later", 2)):
        thread = threading.Thread(target=task, args=(name, weight))
        thread.start()
        threads.append(thread)
        while len(places._waiting) < len(threads):  # this one waits before the next comes
            time.sleep(0.001)
    places.give(held)
    for thread in threads:
        thread.join(5)
    assert order == ["heavy", "medium", "medium later", "light"]


def test_a_task_interrupted_while_waiting_lets_the_next_one_go() -> None:
    places = _Places(1)
    held, _sent = places.take()
    got: list[object] = []

    here = threading.current_thread()
    real_wait = threading.Event.wait

    def wait(event: threading.Event, timeout: float | None = None) -> bool:
        if threading.current_thread() is here:
            raise KeyboardInterrupt  # Ctrl-C while this thread waits for a worker
        return real_wait(event, timeout)

    def interrupted() -> None:
        with pytest.raises(KeyboardInterrupt), patch.object(threading.Event, "wait", wait):
            places.take(10)

    def patient() -> None:
        got.append(places.take(1)[0])

    waiter = threading.Thread(target=patient)
    waiter.start()
    while len(places._waiting) < 1:
        time.sleep(0.001)
    interrupted()
    assert len(places._waiting) == 1  # the interrupted task left the line
    places.give(held)
    waiter.join(5)
    assert got == [None]


def test_the_thread_giving_a_worker_back_sends_the_next_task_to_it() -> None:
    """The task is on its way to the worker before the thread that waits for it wakes."""
    sent: list[tuple[object, bytes, str]] = []

    def send(place: object, payload: bytes) -> bool:
        sent.append((place, payload, threading.current_thread().name))
        return True

    places = _Places(1, send=send)  # type: ignore[arg-type]
    held, _sent = places.take()
    assert held is None  # a place for a worker to start
    got: list[tuple[object, bool]] = []
    waiter = threading.Thread(target=lambda: got.append(places.take(1, b"task")), name="waiting")
    waiter.start()
    while len(places._waiting) < 1:
        time.sleep(0.001)
    worker = object()
    places.give(worker)  # type: ignore[arg-type]
    waiter.join(5)
    assert got == [(worker, True)]
    assert sent == [(worker, b"task", threading.current_thread().name)]
    # A place with no worker yet, or a task too large to send ahead, is the task's to send.
    waiter = threading.Thread(target=lambda: got.append(places.take(1)))
    waiter.start()
    while len(places._waiting) < 1:
        time.sleep(0.001)
    places.give(None)
    waiter.join(5)
    assert got[-1] == (None, False) and len(sent) == 1


def test_a_task_sent_ahead_whose_thread_is_interrupted_gives_up_its_worker() -> None:
    """Its worker is busy with a task nobody will read: it is dropped, not handed on."""
    dropped: list[object] = []
    places = _Places(1, send=lambda place, payload: True, drop=dropped.append)  # type: ignore[arg-type]
    _held, _sent = places.take()
    worker = object()
    here = threading.current_thread()
    real_wait = threading.Event.wait
    calls = []

    def wait(event: threading.Event, timeout: float | None = None) -> bool:
        if threading.current_thread() is here and not calls:
            calls.append(1)
            places.give(worker)  # type: ignore[arg-type]  # the worker comes, task sent ...
            raise KeyboardInterrupt  # ... as Ctrl-C arrives
        return real_wait(event, timeout)

    with pytest.raises(KeyboardInterrupt), patch.object(threading.Event, "wait", wait):
        places.take(1, b"task")
    assert dropped == [worker]
    assert not places._waiting and not places._free  # the place is the drop's to give back


def framed(*messages: object) -> bytes:
    """Messages as they travel on a worker's pipes: a length, then a pickle."""
    out = b""
    for message in messages:
        data = pickle.dumps(message)
        out += HEADER.pack(len(data)) + data
    return out


def unframed(data: bytes) -> list[object]:
    messages = []
    while data:
        (size,) = HEADER.unpack(data[: HEADER.size])
        messages.append(pickle.loads(data[HEADER.size : HEADER.size + size]))
        data = data[HEADER.size + size :]
    return messages


def work_on(*tasks: tuple[int, tuple[object, ...]]) -> list[object]:
    """Run a worker's loop in this process on ``tasks`` (each numbered), all sent at once;
    its answers."""
    read_end, write_end = os.pipe()
    os.write(write_end, framed(*((number, task[0], task[1:]) for number, task in tasks)))
    os.close(write_end)
    out = io.BytesIO()
    try:
        parseworker.work(read_end, out)
    finally:
        os.close(read_end)
        for opened in parseworker._stores.values():
            opened.close()
        parseworker._stores.clear()
    return unframed(out.getvalue())


def test_a_worker_stores_the_feeds_it_holds_in_one_transaction(store: Store) -> None:
    batches: list[list[str]] = []
    real = Store.ingest_prepared

    def recorded(
        self: Store, batch: list[PreparedIngest], *, wait: bool = True
    ) -> list[IngestCounts] | None:
        batches.append([ready.request.feed for ready in batch])
        return real(self, batch, wait=wait)

    with patch.object(Store, "ingest_prepared", recorded):
        answers = work_on(
            (7, feed_task(store, "A", rss("A", 3))),
            (8, feed_task(store, "Bad", b"<kml/>")),
            (9, feed_task(store, "B", rss("B", 4))),
        )
    assert answers[:3] == [(7, "free", None), (8, "unreadable", answers[1][2]), (9, "free", None)]
    assert "not a feed" in str(answers[1][2])
    assert answers[3:] == [
        (7, "ok", Stored(IngestCounts(new=3))),
        (9, "ok", Stored(IngestCounts(new=4))),
    ]
    assert batches == [["A", "B"]]
    assert store.article_count() == 7
    assert store.feed_status("B") is not None


def test_a_worker_reads_on_while_another_writes_then_stores_all_it_holds(store: Store) -> None:
    attempts: list[tuple[list[str], bool, bool]] = []  # feeds, waited, stored
    real = Store.ingest_prepared

    def another_writer_at_first(
        self: Store, batch: list[PreparedIngest], *, wait: bool = True
    ) -> list[IngestCounts] | None:
        other = sqlite3.connect(self.path, isolation_level=None)
        try:
            if len(attempts) < 2:  # the other worker writes during the first two attempts
                other.execute("BEGIN IMMEDIATE")
            counts = real(self, batch, wait=wait)
        finally:
            other.close()
        attempts.append(([ready.request.feed for ready in batch], wait, counts is not None))
        return counts

    with (
        patch.object(parseworker, "BATCH_FEEDS", 2),
        patch.object(parseworker, "BUSY_FEEDS", 3),
        patch.object(Store, "ingest_prepared", another_writer_at_first),
    ):
        answers = work_on(
            *((n, feed_task(store, name, rss(name, 2))) for n, name in enumerate("ABCD"))
        )
    assert attempts == [
        (["A", "B"], False, False),  # busy: C was waiting, so it was read meanwhile
        (["A", "B", "C"], False, False),  # busy again, as many as a worker holds: ...
        (["A", "B", "C"], True, True),  # ... it waited for the lock
        (["D"], True, True),
    ]
    finals = [answer for answer in answers if answer[1] != "free"]  # type: ignore[index]
    assert finals == [(n, "ok", Stored(IngestCounts(new=2))) for n in (0, 1, 2, 3)]
    assert store.article_count() == 8


def test_a_batch_that_cannot_be_stored_is_stored_feed_by_feed(store: Store) -> None:
    real = Store.ingest_prepared

    def failing(
        self: Store, batch: list[PreparedIngest], *, wait: bool = True
    ) -> list[IngestCounts] | None:
        feeds = [ready.request.feed for ready in batch]
        if len(feeds) > 1 or feeds == ["B"]:  # every batch, and feed B alone
            raise StoreError(f"cannot store feeds {feeds}: disk I/O error")
        return real(self, batch, wait=wait)

    with patch.object(Store, "ingest_prepared", failing):
        answers = work_on(
            *((n, feed_task(store, name, rss(name, 2))) for n, name in enumerate("ABC"))
        )
    finals = [answer for answer in answers if answer[1] != "free"]  # type: ignore[index]
    assert finals == [
        (0, "ok", Stored(IngestCounts(new=2))),
        (1, "store", "cannot store feeds ['B']: disk I/O error"),
        (2, "ok", Stored(IngestCounts(new=2))),
    ]
    assert store.article_count() == 4
    assert len(store.headline_ids(feed="B")) == 0


def test_each_task_gets_its_own_answers_in_whatever_order_they_come() -> None:
    read_end, write_end = os.pipe()
    answers = _Answers(SimpleNamespace(stdout=os.fdopen(read_end, "rb")))  # type: ignore[arg-type]
    deadline = time.monotonic() + 10
    try:
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(lambda: [answers.next(1, deadline) for _ in range(2)])
            second = pool.submit(answers.next, 2, deadline)
            os.write(write_end, framed((2, "ok", "two"), (1, "free", None), (1, "ok", "one")))
            assert second.result() == ("ok", "two")
            assert first.result() == [("free", None), ("ok", "one")]
            waiting = [pool.submit(answers.next, n, deadline) for n in (3, 4)]
            os.close(write_end)
            for future in waiting:  # the worker's output ended: every waiting task hears it
                with pytest.raises(EOFError):
                    future.result()
    finally:
        with contextlib.suppress(OSError):
            os.close(write_end)
