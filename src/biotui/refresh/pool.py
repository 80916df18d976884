"""Parse tasks in a standard process pool, with a small supervisor.

Tasks go to a ``concurrent.futures.ProcessPoolExecutor`` of one worker per core, started with
the ``spawn`` method (the refreshing process has threads: it is never forked). At most
``limit`` tasks are in flight, from submission until their result is consumed (the caller says
so with :meth:`ParsePool.release`): results wait in memory only that many at a time.

When a worker dies (killed, out of memory) the executor breaks and fails every task it held.
The supervisor then builds a new executor and runs those tasks again one at a time, so that
only the task that kills its worker again fails (with a one-line
:class:`~biotui.refresh.tasks.Unreadable`); the others are read normally. :meth:`stop` cancels
what waits and kills the workers at once (when the app quits).

The first ``inline`` feed or file tasks run in the dispatching thread instead: a refresh of one
or two feeds costs no process start. A page is always extracted by a worker: that is the
heavy part, and in the app the refreshing process is the one that answers keys.

Whether a task also finds identifiers and story features is decided as it is sent
(:mod:`biotui.refresh.enrichment`).
"""

from __future__ import annotations

import contextlib
import enum
import multiprocessing
import os
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from biotui.plaintext import clean_text
from biotui.refresh import worker
from biotui.refresh.enrichment import Enrichment
from biotui.refresh.tasks import FileTask, PageTask, Result, Task, Unreadable
from biotui.sources.fullpage import PageText

Done = Callable[[Result], None]
"""Called with a task's result, in a thread of the pool (it must not block)."""

_POLL_S = 0.05
"""How often a waiting dispatcher looks whether the pool is stopping."""

DIED = "the parser process stopped while reading it"


class _Signal(enum.Enum):
    """What the dispatcher may find in its queue besides jobs."""

    WAKE = "rebuild a broken executor now"
    END = "no more tasks"


@dataclass(frozen=True, slots=True)
class _Job:
    task: Task
    done: Done


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr.

    The first worker of a process starts that helper process, handing it ``sys.stderr``'s
    file descriptor; inside the app, Textual's capture of stderr has none (``fileno()`` is
    -1), and starting the helper then fails. Once started, it serves every later pool.
    """
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (OSError, ValueError, AttributeError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
        resource_tracker.ensure_running()


class ParsePool:
    """Worker processes for one refresh, fed by one dispatching thread."""

    def __init__(
        self,
        *,
        workers: int | None = None,
        limit: int | None = None,
        inline: int = 0,
        enrichment: Enrichment | None = None,
    ):
        """A pool of ``workers`` processes (default: one per core), ``limit`` tasks in flight
        (default: twice the workers), the first ``inline`` tasks run without processes;
        ``enrichment`` (default: a new one) decides which tasks enrich."""
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._enrichment = enrichment or Enrichment()
        self._slots = threading.Semaphore(limit or 2 * self.workers)
        self._inline = inline
        self._pending = 0
        self._queue: queue.SimpleQueue[_Job | _Signal] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._running: dict[Future[Result], _Job] = {}
        self._broken = False
        self._stopping = threading.Event()
        self._ours_not = {child.pid for child in multiprocessing.active_children()}
        """Child processes that existed before this pool: never this pool's to kill."""
        self._thread = threading.Thread(target=self._dispatch, name="biotui-parse", daemon=True)
        self._thread.start()

    def start(self) -> None:
        """Start the workers now, loading their readers while the network is awaited."""
        with self._lock:
            if self._inline or self._stopping.is_set():
                return
            executor = self._executor_now()
            for _ in range(self.workers):
                with contextlib.suppress(RuntimeError, OSError):  # the tasks will say why
                    executor.submit(worker.warm_up)

    def submit(self, task: Task, done: Done) -> None:
        """Queue ``task``; ``done`` gets its result. Never blocks."""
        with self._lock:
            self._pending += 1
        self._queue.put(_Job(task, done))

    def release(self) -> None:
        """A result given to ``done`` has been consumed: one more task may go."""
        with self._lock:
            self._pending -= 1
        self._slots.release()

    def pending(self) -> int:
        """Tasks submitted whose results have not been consumed yet."""
        return self._pending

    def close(self) -> None:
        """Let the workers exit once every queued task is done; wait for them."""
        self._queue.put(_Signal.END)
        self._thread.join()
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    def stop(self) -> None:
        """Stop at once: queued tasks are dropped, running ones abandoned, workers killed."""
        self._stopping.set()
        self._queue.put(_Signal.END)
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        self._kill_workers()

    def _kill_workers(self) -> None:
        """Kill this pool's worker processes and reap them (a killed process ends at once)."""
        workers = [c for c in multiprocessing.active_children() if c.pid not in self._ours_not]
        for child in workers:
            with contextlib.suppress(OSError):
                child.kill()
        for child in workers:
            child.join(_POLL_S)

    def _executor_now(self) -> ProcessPoolExecutor:
        """The executor, made if needed (called holding the lock)."""
        if self._executor is None:
            _start_resource_tracker()
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=worker.initialize,
            )
        return self._executor

    def _dispatch(self) -> None:
        while True:
            job = self._queue.get()
            if job is _Signal.END or self._stopping.is_set():
                return
            if self._broken:
                self._recover()
            if not isinstance(job, _Job):
                continue
            if not self._take_slot():
                return
            job = _Job(self._enrichment.task(job.task), job.done)
            if self._inline > 0 and not isinstance(job.task, PageTask):
                self._inline -= 1
                self._deliver(job, worker.run(job.task))
                continue
            try:
                self._send(job)
            except Exception as exc:  # no worker could start: this task's error, not a hang
                reason = clean_text(f"{type(exc).__name__}: {exc}")[:200]
                job.done(Unreadable(f"cannot start a parser process: {reason}"))

    def _take_slot(self) -> bool:
        """Wait for a place in flight; False when the pool stops meanwhile."""
        while not self._slots.acquire(timeout=_POLL_S):
            if self._stopping.is_set():
                return False
        return not self._stopping.is_set()

    def _send(self, job: _Job) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            try:
                future = self._executor_now().submit(worker.run, job.task)
            except BrokenProcessPool:
                self._broken = True
                self._queue.put(job)  # sent again once the pool is rebuilt
                self._slots.release()
                return
            self._running[future] = job
        future.add_done_callback(self._finished)

    def _finished(self, future: Future[Result]) -> None:
        """A task's future is done: deliver its result, or mark the executor broken."""
        if future.cancelled() or self._stopping.is_set():
            return
        error = future.exception()
        with self._lock:
            if isinstance(error, BrokenProcessPool):
                self._broken = True  # the dispatcher runs this task again
                job = None
            else:
                job = self._running.pop(future, None)
        if isinstance(error, BrokenProcessPool):
            self._queue.put(_Signal.WAKE)  # the dispatcher may be waiting for a task
            return
        if job is not None:
            self._deliver(job, _result(future, error))

    def _deliver(self, job: _Job, result: Result) -> None:
        self._enrichment.read(result)
        job.done(result)

    def _recover(self) -> None:
        """Build a new executor and run the tasks the broken one held, one at a time."""
        with self._lock:
            held = dict(self._running)
        wait(list(held))  # the broken executor fails all of them at once
        with self._lock:
            suspects = [job for future, job in held.items() if _died(future)]
            for future in held:
                if _died(future):
                    self._running.pop(future, None)
            old, self._executor = self._executor, None
            self._broken = False
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)
        for job in suspects:
            result = self._alone(job.task)
            if result is not None:
                self._deliver(job, result)

    def _alone(self, task: Task) -> Result | None:
        """Run ``task`` by itself in a fresh executor; None when the pool stops meanwhile."""
        with self._lock:
            if self._stopping.is_set():
                return None
            future = self._executor_now().submit(worker.run, task)
        while not future.done():
            if self._stopping.is_set():
                return None
            wait([future], timeout=_POLL_S)
        error = future.exception()
        if isinstance(error, BrokenProcessPool):
            with self._lock:
                old, self._executor = self._executor, None
            if old is not None:
                old.shutdown(wait=False, cancel_futures=True)
            if isinstance(task, PageTask):
                return PageText(reason=DIED)
            return Unreadable(f"{task.path}: {DIED}" if isinstance(task, FileTask) else DIED)
        return _result(future, error)


def _died(future: Future[Result]) -> bool:
    return not future.cancelled() and isinstance(future.exception(), BrokenProcessPool)


def _result(future: Future[Result], error: BaseException | None) -> Result:
    if error is None:
        return future.result()
    return Unreadable(clean_text(f"could not be read ({type(error).__name__}: {error})")[:300])
