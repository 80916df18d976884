"""Parse and store feeds in worker processes, off the fetching threads and the UI thread.

Parsing, HTML-to-Markdown conversion and the full-text indexing of an ingest are CPU work:
done in the process that fetches (and draws the app), they would leave one core idle and hold
the GIL that the fetching threads and the UI need. So a task takes a feed's bytes (or a local
feed's path), reads the articles and stores them itself (each feed in one transaction, often
with other feeds), returning only the counts and warnings: the articles never travel back.
SQLite serializes the writers (WAL, busy timeout); given the database, a
:class:`ProcessParser` turns their checkpoints off and runs them in a thread of its own (a
checkpoint waits for the disk, and a worker waiting there reads no feed). A
:class:`ProcessParser` keeps a few worker processes (one per core) for one refresh; an
:class:`InlineParser` does the same work in the calling thread, for refreshes too small to be
worth starting processes (about 0.2 s each, overlapped with the first fetches).

Workers are plain ``python -I -c`` children that import only the parsing stack, fed
length-prefixed pickles over their stdin and answering on their stdout (stderr goes to
/dev/null, so nothing they print reaches the terminal or the app's screen). A worker reads one
task at a time and says so once it has (``"free"``): it gets the next task while it holds the
feeds read, and stores those together, in one transaction, when no task comes at once or they
are enough (see :mod:`biotui.parseworker`); each task then gets its final answer, which
:class:`_Answers` hands to the thread waiting for it. A worker that dies (killed, out of
memory) fails only the feed it was reading, with a one-line error; the feeds it held are read
again by another, and the next task gets a new worker.
Any error inside a task comes back as a one-line message, never a traceback: a
:class:`~biotui.errors.SourceError` for a document that cannot be read, a
:class:`~biotui.errors.StoreError` when storing failed.
Workers exit when their stdin closes, so none outlives the refresh, nor a killed parent.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import json
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from biotui.errors import SourceError
from biotui.parseworker import FREE, HEADER, Stored, answer, raise_failure
from biotui.store.checkpoint import Checkpointer

if TYPE_CHECKING:
    from biotui.store import Store

WORKER_TIMEOUT_S = 300.0
"""A task taking longer than this is abandoned and its worker killed (a guard, not a limit
any real feed comes near: the slowest corpus file takes about 1 s)."""

_BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from biotui.parseworker import serve; serve(autocheckpoint=sys.argv[2] == 'on')"
)


class Parser(Protocol):
    """Where a refresh sends its parsing: :class:`InlineParser` or :class:`ProcessParser`."""

    def run(self, kind: str, *args: Any, weight: int = 0) -> Stored:
        """Run task ``kind`` (see :func:`~biotui.parseworker.run_task`); blocks the calling
        thread; raises SourceError or StoreError. Of the tasks waiting for a worker, the one
        of greatest ``weight`` (its document's size) goes first."""
        ...

    def start(self, workers: int) -> None:
        """Get up to ``workers`` workers ready now, before the first task needs them."""
        ...

    def close(self, *, now: bool = False) -> None:
        """Release what the parser holds (``now``: at once, abandoning running tasks);
        idempotent."""
        ...


class InlineParser:
    """Runs tasks in the calling thread, storing into ``store``."""

    def __init__(self, store: Store) -> None:
        """Make a parser that stores into ``store`` (the refresh's own)."""
        self.store = store

    def run(self, kind: str, *args: Any, weight: int = 0) -> Stored:
        """Run task ``kind`` here; raises SourceError or StoreError, one line."""
        return raise_failure(*answer(kind, args, self.store))

    def start(self, workers: int) -> None:
        """Nothing to start: tasks run in the calling thread."""

    def close(self, *, now: bool = False) -> None:
        """Nothing to release."""


class _Waiter:
    """A task waiting for a place: woken alone, with the place handed to it (and, when the
    giver could, its task already sent to the place's worker)."""

    __slots__ = ("handed", "payload", "place", "sent", "taken")

    def __init__(self, payload: bytes | None) -> None:
        self.handed = threading.Event()
        self.payload = payload
        self.place: subprocess.Popen[bytes] | None = None
        self.taken = False
        """Out of the line: the place is on its way (``handed`` is set right after)."""
        self.sent = False


SEND_AHEAD_MAX = 16_384
"""A task this small (in bytes) is sent by the thread that gives a worker back: it fits in a
pipe's buffer, so that thread never waits for the worker to read it."""


class _Places:
    """A pool's places, each an idle worker or ``None`` (one to start), taken by the waiting
    task of greatest weight first.

    Heaviest first, the refresh ends sooner: with tasks handed out as their downloads end,
    two workers given 20 feeds of 2,500 entries alternately got every Atom feed (the slower
    kind) on one side, which then ran 0.5 s alone after the other had finished.

    A place given back goes straight to the next task in line, and only that task's thread
    wakes: waking every waiting thread at each hand-over (one condition for all; 14 threads
    in a refresh of 16 feeds at once) left a worker idle about 1.3 ms between two feeds.
    With ``send``, the giving thread also sends that task to the worker (``send(place,
    payload)``, True if it did) before the task's thread wakes, which took 0.9 ms (a median)
    in a cold refresh of 200 feeds; a task sent whose thread is interrupted meanwhile has its
    place passed to ``drop`` (its worker is busy with a task nobody will read).
    """

    def __init__(
        self,
        count: int,
        *,
        send: Callable[[subprocess.Popen[bytes], bytes], bool] | None = None,
        drop: Callable[[subprocess.Popen[bytes]], None] | None = None,
    ) -> None:
        self._free: list[subprocess.Popen[bytes] | None] = [None] * count
        self._waiting: list[tuple[int, int, _Waiter]] = []  # a heap: heaviest, then earliest
        self._arrivals = itertools.count()
        self._lock = threading.Lock()
        self._send = send
        self._drop = drop

    def take(
        self, weight: int = 0, payload: bytes | None = None
    ) -> tuple[subprocess.Popen[bytes] | None, bool]:
        """A place, once one is free and no heavier (or earlier, as heavy) task waits, and
        whether ``payload`` (the task) was already sent to its worker."""
        with self._lock:
            if self._free:  # then no task waits: a place given back goes to the first waiting
                return self._free.pop(), False
            waiter = _Waiter(payload)
            heapq.heappush(self._waiting, (-weight, next(self._arrivals), waiter))
        try:
            waiter.handed.wait()
        except BaseException:  # interrupted while waiting: the next task's turn
            with self._lock:
                taken = waiter.taken
                if not taken:
                    self._waiting = [entry for entry in self._waiting if entry[2] is not waiter]
                    heapq.heapify(self._waiting)
            if taken:  # the place came as the interrupt did: it goes on down the line
                waiter.handed.wait()  # set by the giver right after it sent (or not)
                if waiter.sent and waiter.place is not None and self._drop is not None:
                    self._drop(waiter.place)
                else:
                    self.give(waiter.place)
            raise
        return waiter.place, waiter.sent

    def give(self, place: subprocess.Popen[bytes] | None) -> None:
        """Return a place: its worker idle, or ``None`` for one to start when needed."""
        with self._lock:
            if not self._waiting:
                self._free.append(place)
                return
            waiter = heapq.heappop(self._waiting)[2]
            waiter.place = place
            waiter.taken = True
        payload = waiter.payload
        if place is not None and payload is not None and self._send is not None:
            waiter.sent = self._send(place, payload)
        waiter.handed.set()


class ProcessParser:
    """Runs tasks in up to ``size`` worker processes, started when first needed and reused.

    Any number of threads may call :meth:`run` at once; each waits for an idle worker. A
    refresh in which every feed answers 304 starts none.
    """

    def __init__(
        self,
        size: int | None = None,
        *,
        timeout: float = WORKER_TIMEOUT_S,
        checkpoint: Path | None = None,
    ) -> None:
        """Make a parser of ``size`` workers (default: one per core, at least one).

        With ``checkpoint`` (the database the tasks store into), the workers' commits never
        checkpoint: a thread of this process does, until :meth:`close` (see
        :mod:`biotui.store.checkpoint`).
        """
        self.size = max(1, size if size is not None else (os.cpu_count() or 1))
        self.timeout = timeout
        # A worker is started when a task first needs it.
        self._idle = _Places(self.size, send=_send_ahead, drop=self._kill)
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self._answers: dict[subprocess.Popen[bytes], _Answers] = {}
        self._numbers = itertools.count()
        self._closed = False
        self._checkpointer: Checkpointer | None = None
        if checkpoint is not None:
            self._checkpointer = Checkpointer(checkpoint)
            self._checkpointer.start()

    def _spawn(self) -> subprocess.Popen[bytes]:
        autocheckpoint = "off" if self._checkpointer is not None else "on"
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT, json.dumps(sys.path), autocheckpoint],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        with self._lock:
            self._running.add(process)
            closed = self._closed
        if closed:  # closed while this worker started: it must not outlive the parser
            self._kill(process)
            raise SourceError("the refresh is over")
        return process

    def start(self, workers: int) -> None:
        """Start up to ``workers`` workers now (never more than the pool's size).

        A worker imports its reading stack as it starts, so one started while the refresh
        waits for the network is ready when the first feed arrives. Failing to start one is
        not an error here: the first task that needs it tries again and says why.
        """
        places = [self._idle.take()[0] for _ in range(min(workers, self.size))]
        try:
            for number, process in enumerate(places):
                if process is None and not self._closed:
                    places[number] = self._spawn()
        except (OSError, SourceError):
            pass
        finally:
            for process in places:
                self._idle.give(process)

    @property
    def pids(self) -> list[int]:
        """The process ids of the workers alive now."""
        with self._lock:
            return [p.pid for p in self._running if p.poll() is None]

    def run(self, kind: str, *args: Any, weight: int = 0) -> Stored:
        """Run task ``kind`` in a worker; raises SourceError or StoreError, one line.

        The waiting task of greatest ``weight`` gets the next idle worker, which is idle
        again as soon as it has read this task's document (it stores it later, with others).
        A worker that dies or overruns the timeout fails the task it was reading: it is killed
        and a new one takes its place for the next task. The tasks it had read and held are
        run again, once, by another worker (their documents were fine).
        """
        try:
            return self._run(kind, args, weight)
        except _LostWithWorker:
            return self._run(kind, args, weight, again=False)

    def _run(self, kind: str, args: tuple[Any, ...], weight: int, *, again: bool = True) -> Stored:
        if self._closed:
            raise SourceError("the refresh is over")
        number = next(self._numbers)
        payload = pickle.dumps((number, kind, args), protocol=pickle.HIGHEST_PROTOCOL)
        process, sent = self._idle.take(weight, payload if len(payload) <= SEND_AHEAD_MAX else None)
        try:
            if process is None or process.poll() is not None:
                self._forget(process)
                process = self._spawn()
                sent = False
        except OSError as exc:
            self._idle.give(None)
            raise SourceError(f"cannot start a parser process: {exc.strerror or exc}") from None
        except BaseException:
            self._idle.give(None)
            raise
        given = False  # the place back in the pool (the worker said it is free)
        try:
            if not sent:
                _send(process, payload)
            del payload
            deadline = time.monotonic() + self.timeout
            answers = self._answers_of(process)
            outcome, value = answers.next(number, deadline)
            if outcome == FREE:  # read: the worker takes the next task while this one waits
                self._idle.give(process)
                given = True
                outcome, value = answers.next(number, deadline)
        except TimeoutError:
            self._kill(process, replace=not given)
            if given and again:  # read long ago: the worker is stuck on a later feed
                raise _LostWithWorker from None
            raise SourceError(f"parsing took longer than {self.timeout:g} s") from None
        except (OSError, EOFError, pickle.PickleError) as exc:
            self._kill(process, replace=not given)
            if self._closed:
                raise SourceError("the refresh is over") from None
            if given and again:
                raise _LostWithWorker from None
            raise SourceError(f"the parser process stopped ({_how(process, exc)})") from None
        except BaseException:  # interrupted mid-exchange: the worker's pipe is out of step
            self._kill(process, replace=not given)
            raise
        if not given:
            self._idle.give(process)
        return raise_failure(outcome, value)

    def _answers_of(self, process: subprocess.Popen[bytes]) -> _Answers:
        with self._lock:
            answers = self._answers.get(process)
            if answers is None:
                answers = self._answers[process] = _Answers(process)
            return answers

    def _kill(self, process: subprocess.Popen[bytes], *, replace: bool = True) -> None:
        """Kill ``process``; with ``replace``, its place in the pool (held by the caller) is
        taken by a new worker on demand. Without, the place was given back already: the task
        that holds it now finds the worker gone."""
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        with contextlib.suppress(Exception):
            process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                with contextlib.suppress(Exception):
                    pipe.close()
        self._forget(process)
        if replace:
            self._idle.give(None)

    def _forget(self, process: subprocess.Popen[bytes] | None) -> None:
        if process is not None:
            with self._lock:
                self._running.discard(process)
                self._answers.pop(process, None)

    def close(self, *, now: bool = False) -> None:
        """Stop every worker: close its stdin (it exits once its task is done), kill it if it
        lingers, or at once with ``now`` (its transaction is then never committed).
        Idempotent. A task still running in another thread fails with "the refresh is over".
        The checkpoints stop once the workers have (with ``now``, one running is not waited
        for).
        """
        with self._lock:
            self._closed = True
            processes, self._running = list(self._running), set()
        for process in processes:
            if process.stdin is not None:
                with contextlib.suppress(Exception):
                    process.stdin.close()
        for process in processes:
            try:
                process.wait(0 if now else 2.0)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                with contextlib.suppress(Exception):
                    process.wait()
            if process.stdout is not None:
                with contextlib.suppress(Exception):
                    process.stdout.close()
        if self._checkpointer is not None:
            self._checkpointer.stop(wait=not now)


def _send(process: subprocess.Popen[bytes], payload: bytes) -> None:
    """Send one task (``payload``, a pickle of ``(number, kind, args)``) to ``process``."""
    assert process.stdin is not None
    process.stdin.write(HEADER.pack(len(payload)) + payload)
    process.stdin.flush()


def _send_ahead(process: subprocess.Popen[bytes], payload: bytes) -> bool:
    """Send a task to an idle worker for the thread about to wake; False if it could not
    (the thread then finds out why itself)."""
    if process.poll() is not None:
        return False
    try:
        _send(process, payload)
    except (OSError, ValueError):
        return False
    return True


class _LostWithWorker(Exception):
    """A task read by a worker that died before storing it: another worker runs it again."""


class _Answers:
    """A worker's answers, each to the task it names: read by whichever of the tasks waiting
    for one asks first, and kept for the task it belongs to.

    A worker holds several tasks at once (it stores feeds in batches), and answers them in the
    order they are stored, not sent. The reading thread reads on until its own answer comes,
    waking only the thread each other answer is for, then wakes one waiting thread to read
    on: waking every waiting thread at each answer (a dozen in a cold refresh of 200 feeds)
    made a quarter of that refresh's 26,000 futex calls.
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._lock = threading.Lock()
        self._kept: dict[int, list[tuple[str, Any]]] = {}
        self._waiting: dict[int, threading.Condition] = {}
        """The tasks waiting while another reads, each woken by itself."""
        self._reading = False
        self._failed: BaseException | None = None

    def next(self, number: int, deadline: float) -> tuple[str, Any]:
        """The next answer to task ``number``; what reading failed with (EOFError, OSError,
        PickleError) for every task once the worker's output is broken, TimeoutError past
        ``deadline``."""
        with self._lock:
            while True:
                if kept := self._kept.get(number):
                    answer = kept.pop(0)
                    if not kept:
                        del self._kept[number]
                    return answer
                if self._failed is not None:
                    raise self._failed
                if not self._reading:
                    self._reading = True
                    break
                wait = deadline - time.monotonic()  # another task's thread reads: wait
                if wait <= 0:
                    raise TimeoutError
                woken = self._waiting[number] = threading.Condition(self._lock)
                try:
                    woken.wait(wait)
                finally:
                    del self._waiting[number]
        return self._read_until(number, deadline)

    def _read_until(self, number: int, deadline: float) -> tuple[str, Any]:
        """Read answers (outside the lock) until one is for task ``number``, keeping the
        others for their tasks; then, or when reading fails, let another task read."""
        try:
            while True:
                answer = _receive(self._process, deadline)
                with self._lock:
                    if answer[0] == number:
                        self._reading = False
                        self._wake(1)
                        return answer[1:]
                    self._kept.setdefault(answer[0], []).append(answer[1:])
                    if (waiting := self._waiting.get(answer[0])) is not None:
                        waiting.notify()
        except TimeoutError:  # this task's deadline: another task's thread may read on
            with self._lock:
                self._reading = False
                self._wake(1)
            raise
        except BaseException as exc:
            with self._lock:
                self._reading = False
                self._failed = exc
                self._wake(len(self._waiting))
            raise

    def _wake(self, count: int) -> None:
        """Wake ``count`` of the waiting tasks (call with the lock held)."""
        for waiting in list(self._waiting.values())[:count]:
            waiting.notify()


def _receive(process: subprocess.Popen[bytes], deadline: float) -> tuple[int, str, Any]:
    """Read the next answer of ``process``: the task it answers, the outcome and its value;
    TimeoutError past ``deadline``."""
    assert process.stdout is not None
    (size,) = HEADER.unpack(_read_exactly(process.stdout, HEADER.size, deadline))
    answer = pickle.loads(_read_exactly(process.stdout, size, deadline))
    if not (isinstance(answer, tuple) and len(answer) == 3 and isinstance(answer[0], int)):
        raise pickle.UnpicklingError("malformed answer")
    return answer[0], str(answer[1]), answer[2]


def _read_exactly(pipe: IO[bytes], size: int, deadline: float) -> bytes:
    """``size`` bytes from ``pipe``; EOFError if it closes first, TimeoutError past
    ``deadline``. Reads the file descriptor directly, so that ``select`` sees every byte."""
    fd = pipe.fileno()
    parts: list[bytes] = []
    while size:
        wait = deadline - time.monotonic()
        if wait <= 0 or not select.select([fd], [], [], wait)[0]:
            raise TimeoutError
        part = os.read(fd, min(size, 1 << 20))
        if not part:
            raise EOFError
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _how(process: subprocess.Popen[bytes], exc: BaseException) -> str:
    code = process.poll()
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    if code is not None:
        return f"exit status {code}"
    return type(exc).__name__
