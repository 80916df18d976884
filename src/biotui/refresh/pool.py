"""Parse tasks in worker processes, each with a pipe of its own, fed by one dispatching thread.

Tasks go to one worker process per core (:mod:`biotui.refresh.workerproc`), each driven by a
thread of its own that sends it a task and waits for the answer. At most ``limit`` tasks are
in flight, from submission until their result is consumed (the caller says so with
:meth:`ParsePool.release`): results wait in memory only that many at a time.

When a worker dies (killed, out of memory), at whatever moment, its thread learns it at once
from its pipe and knows which task it held: that task is read again alone, by a new process,
while the other workers wait, so that only a task that kills its worker again fails (with a
one-line :class:`~biotui.refresh.tasks.Unreadable`). The tasks the other workers hold are not
disturbed. Nothing in that recovery waits on the dispatching thread, which may itself be
waiting for a place in flight that only the recovered task's result frees. :meth:`stop` drops
what waits and kills the workers at once (when the app quits).

The first ``inline`` feed or file tasks run in the dispatching thread instead: a refresh of one
or two feeds costs no process start. A page is always extracted by a worker: that is the
heavy part, and in the app the refreshing process is the one that answers keys.

Whether a task also finds identifiers and story features is decided as it is sent
(:mod:`biotui.refresh.enrichment`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from biotui.plaintext import clean_text
from biotui.refresh import worker
from biotui.refresh.enrichment import Enrichment
from biotui.refresh.tasks import FileTask, PageTask, Result, Task, Unreadable
from biotui.refresh.workerproc import WorkerDied, WorkerProcess
from biotui.sources.pagetext import PageText

Done = Callable[[Result], None]
"""Called with a task's result, in a thread of the pool (it must not block)."""

_POLL_S = 0.05
"""How often a waiting dispatcher looks whether the pool is stopping."""

_STOP_S = 1.0
"""How long :meth:`ParsePool.stop` waits for the killed workers to end, in all."""

DIED = "the parser process stopped while reading it"


@dataclass(frozen=True, slots=True)
class _Job:
    task: Task
    done: Done


class _Stopped(Exception):
    """The pool stopped while a worker's thread waited: its task is dropped."""


class _Gate:
    """Lets the workers read side by side, or one task alone once the others are done.

    A task to run alone waits for the tasks running to end and keeps new ones waiting until it
    is done; the tasks running never wait for it, so the gate cannot hold anything forever.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._side_by_side = 0
        self._alone = 0
        """Tasks waiting to run alone, or running alone."""
        self._alone_running = False
        self._stopped = False

    @contextlib.contextmanager
    def side_by_side(self) -> Iterator[None]:
        """Run a task beside the others; raises :class:`_Stopped` when the pool stops."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopped or not self._alone)
            if self._stopped:
                raise _Stopped
            self._side_by_side += 1
        try:
            yield
        finally:
            with self._changed:
                self._side_by_side -= 1
                self._changed.notify_all()

    @contextlib.contextmanager
    def alone(self) -> Iterator[None]:
        """Run a task with no other running; raises :class:`_Stopped` when the pool stops."""
        with self._changed:
            self._alone += 1  # from now on, no task starts beside
            self._changed.wait_for(
                lambda: self._stopped or not (self._side_by_side or self._alone_running)
            )
            self._alone_running = not self._stopped
        try:
            if self._stopped:
                raise _Stopped
            yield
        finally:
            with self._changed:
                self._alone -= 1
                self._alone_running = False
                self._changed.notify_all()

    def stop(self) -> None:
        """Wake every waiting thread: the pool stops."""
        with self._changed:
            self._stopped = True
            self._changed.notify_all()


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
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        """Tasks submitted, for the dispatcher; None: no more."""
        self._ready: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        """Tasks given a place in flight, for the workers' threads; None: one thread ends."""
        self._lock = threading.Lock()
        self._runners: list[threading.Thread] = []
        self._processes: set[WorkerProcess] = set()
        """The live worker processes, for :meth:`stop` to kill."""
        self._gate = _Gate()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._dispatch, name="biotui-parse", daemon=True)
        self._thread.start()

    def start(self) -> None:
        """Start the workers now, loading their readers while the network is awaited."""
        if not self._inline:
            self._runners_now(warm=True)

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
        self._queue.put(None)
        self._thread.join()
        with self._lock:
            runners = list(self._runners)
        for _ in runners:
            self._ready.put(None)  # after every task: each thread ends once they are taken
        for runner in runners:
            runner.join()

    def stop(self) -> None:
        """Stop at once: queued tasks are dropped, running ones abandoned, workers killed."""
        with self._lock:
            self._stopping.set()
            processes, self._processes = list(self._processes), set()
            runners = len(self._runners)
        self._gate.stop()
        self._queue.put(None)
        for _ in range(runners):
            self._ready.put(None)
        for process in processes:
            process.kill()  # its thread, waiting for an answer, finds the pipe's end
        deadline = time.monotonic() + _STOP_S
        for process in processes:
            process.reap(max(0.0, deadline - time.monotonic()))

    def _runners_now(self, *, warm: bool = False) -> None:
        """Start the workers' threads unless started (each starts its process when needed)."""
        with self._lock:
            if self._runners or self._stopping.is_set():
                return
            for number in range(self.workers):
                runner = threading.Thread(
                    target=self._run_jobs, args=(warm,), name=f"biotui-parse-{number}", daemon=True
                )
                self._runners.append(runner)
                runner.start()

    def _dispatch(self) -> None:
        while True:
            job = self._queue.get()
            if job is None or self._stopping.is_set():
                return
            if not self._take_slot():
                return
            job = _Job(self._enrichment.task(job.task), job.done)
            if self._inline > 0 and not isinstance(job.task, PageTask):
                self._inline -= 1
                self._deliver(job, worker.run(job.task))
                continue
            self._runners_now()
            self._ready.put(job)

    def _take_slot(self) -> bool:
        """Wait for a place in flight; False when the pool stops meanwhile."""
        while not self._slots.acquire(timeout=_POLL_S):
            if self._stopping.is_set():
                return False
        return not self._stopping.is_set()

    def _run_jobs(self, warm: bool) -> None:
        """A worker's thread: take tasks in flight and have its process read them."""
        process: WorkerProcess | None = None
        try:
            if warm:
                process = self._warmed()
            while True:
                job = self._ready.get()
                if job is None or self._stopping.is_set():
                    return
                try:
                    result, process = self._read(job.task, process)
                except _Stopped:
                    return
                self._deliver(job, result)
                del job, result  # not kept while the next task is awaited and read
        finally:
            if process is not None:
                self._forget(process)
                process.close(now=self._stopping.is_set())

    def _warmed(self) -> WorkerProcess | None:
        """A started process whose readers are loaded; None when none starts or it dies
        meanwhile (the tasks will say why)."""
        try:
            process = self._process_now()
        except Exception:
            return None
        try:
            process.warm_up()
        except WorkerDied:
            self._forget(process)
            return None
        return process

    def _read(
        self, task: Task, process: WorkerProcess | None
    ) -> tuple[Result, WorkerProcess | None]:
        """``task``'s result, and the process to use next (None: start one when needed).

        A task whose process dies is read again alone by a new process; if that one dies too,
        the result says so. Raises :class:`_Stopped` when the pool stops meanwhile.
        """
        with self._gate.side_by_side():
            result, process = self._read_in(task, process)
        if not isinstance(result, WorkerDied):
            return result, process
        with self._gate.alone():
            result, process = self._read_in(task, None)
        return (_died(task), None) if isinstance(result, WorkerDied) else (result, process)

    def _read_in(
        self, task: Task, process: WorkerProcess | None
    ) -> tuple[Result | WorkerDied, WorkerProcess | None]:
        """``task`` read by ``process`` (or a new one), and the process if it lives on.

        Never raises but :class:`_Stopped`: any failure is this task's error, not a hang.
        """
        try:
            process = process or self._process_now()
        except _Stopped:
            raise
        except Exception as exc:  # no process could start
            reason = clean_text(f"{type(exc).__name__}: {exc}")[:200]
            return Unreadable(f"cannot start a parser process: {reason}"), None
        try:
            return process.run(task), process
        except WorkerDied as died:
            self._forget(process)
            if self._stopping.is_set():
                raise _Stopped from None
            return died, None
        except Exception as exc:  # the task or its result would not cross the pipe
            self._forget(process)
            process.close(now=True)
            reason = f"could not be read ({type(exc).__name__}: {exc})"
            return Unreadable(clean_text(reason)[:300]), None

    def _process_now(self) -> WorkerProcess:
        """Start a worker process, known to :meth:`stop`; raises :class:`_Stopped` when the
        pool stops meanwhile (the process is then killed here)."""
        process = WorkerProcess()
        with self._lock:
            if not self._stopping.is_set():
                self._processes.add(process)
                return process
        process.close(now=True)
        raise _Stopped

    def _forget(self, process: WorkerProcess) -> None:
        with self._lock:
            self._processes.discard(process)

    def _deliver(self, job: _Job, result: Result) -> None:
        if self._stopping.is_set():
            return
        self._enrichment.read(result)
        job.done(result)


def _died(task: Task) -> Result:
    if isinstance(task, PageTask):
        return PageText(reason=DIED)
    return Unreadable(f"{task.path}: {DIED}" if isinstance(task, FileTask) else DIED)
