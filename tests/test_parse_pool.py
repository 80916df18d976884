"""The parse pool when a worker dies at a chosen moment: while reading its task, with another
task waiting for the only place in flight. Each worker reads its feed's body from a named
pipe, so the test knows when the worker is inside the task (it opened the pipe) and decides
what happens then; nothing waits on time but the bound that turns a hang into a failure."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from biotui.refresh.pool import DIED, ParsePool
from biotui.refresh.tasks import FeedTask, Parsed, Result, Unreadable

BOUND_S = 60
"""What a hang would wait for before failing the test instead."""

FEED = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><guid>g</guid>"
    b"<title>Read</title><description>words</description></item></channel></rss>"
)


class Results:
    """Results by feed name, each consumed (the place in flight released) as it comes."""

    def __init__(self, pool: ParsePool) -> None:
        self.pool = pool
        self.got: dict[str, Result] = {}
        self.changed = threading.Condition()

    def done_for(self, feed: str) -> object:
        def done(result: Result) -> None:
            with self.changed:
                self.got[feed] = result
                self.changed.notify_all()
            self.pool.release()

        return done

    def wait(self, *feeds: str) -> dict[str, Result]:
        with self.changed:
            assert self.changed.wait_for(lambda: set(feeds) <= set(self.got), BOUND_S)
            return dict(self.got)


@pytest.fixture
def pool() -> Iterator[ParsePool]:
    opened = ParsePool(workers=1, limit=1)
    try:
        yield opened
    finally:
        opened.stop()


def task(feed: str, body: Path) -> FeedTask:
    return FeedTask(feed, f"https://{feed}.example/", None, str(body), frozenset())


def writer_opened(fifo: Path) -> int:
    """The write end of ``fifo``, once a worker has opened it to read (then inside its task)."""
    opened: list[int] = []
    thread = threading.Thread(target=lambda: opened.append(os.open(fifo, os.O_WRONLY)))
    thread.daemon = True
    thread.start()
    thread.join(BOUND_S)
    assert opened, "no worker came to read the pipe"
    return opened[0]


def kill_the_worker() -> None:
    """Kill the worker and wait until it is gone, with its end of the pipe (else the next
    writer would find the dying worker as its reader)."""
    for child in multiprocessing.active_children():
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(BOUND_S)


def submit_a_waiting_pair(pool: ParsePool, tmp_path: Path) -> tuple[Path, Results]:
    """A task reading a named pipe, and one that waits for its place in flight."""
    fifo = tmp_path / "body.fifo"
    os.mkfifo(fifo)
    plain = tmp_path / "plain.xml"
    plain.write_bytes(FEED)
    results = Results(pool)
    pool.submit(task("piped", fifo), results.done_for("piped"))  # type: ignore[arg-type]
    pool.submit(task("plain", plain), results.done_for("plain"))  # type: ignore[arg-type]
    return fifo, results


def test_a_worker_killed_while_the_next_task_waits_for_its_place(
    pool: ParsePool, tmp_path: Path
) -> None:
    """The killed worker's task is read again alone; the waiting task goes once it is."""
    fifo, results = submit_a_waiting_pair(pool, tmp_path)
    inside = writer_opened(fifo)  # opened once the worker is inside the task: it waits there
    kill_the_worker()
    os.close(inside)
    again = writer_opened(fifo)  # a new worker reads the task again
    os.write(again, FEED)
    os.close(again)
    got = results.wait("piped", "plain")
    assert isinstance(got["piped"], Parsed) and isinstance(got["plain"], Parsed)
    assert [article.title for article in got["piped"].articles] == ["Read"]


def test_a_task_that_kills_its_worker_twice_fails_alone(pool: ParsePool, tmp_path: Path) -> None:
    fifo, results = submit_a_waiting_pair(pool, tmp_path)
    for _ in range(2):
        inside = writer_opened(fifo)
        kill_the_worker()
        os.close(inside)
    got = results.wait("piped", "plain")
    assert got["piped"] == Unreadable(DIED)
    assert isinstance(got["plain"], Parsed)
