"""One parser process and a pipe of its own: a task goes out, its result comes back.

Only that process holds the other end of its pipe, so when it dies, at whatever moment (even
halfway through sending a result), reading the pipe ends at once with an end of file, and no
lock or pipe shared with other workers is left in a broken state. A standard
``ProcessPoolExecutor`` cannot promise that: its workers share one result pipe, and a worker
killed while sending leaves the executor waiting forever for the rest of the message.

The process is started with the ``spawn`` method (the refreshing process has threads: it is
never forked) and is a daemon: it never outlives the refresh's process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import sys
import threading
from multiprocessing.connection import Connection
from typing import Final

from biotui.plaintext import clean_text
from biotui.refresh import worker
from biotui.refresh.tasks import Result, Task, Unreadable

__all__ = ["WorkerDied", "WorkerProcess"]

_WARM_UP: Final = "warm-up"
"""The message asking a worker to load its readers (answered with None)."""

_EXIT_S = 5.0
"""How long a worker asked to exit is given before it is killed."""

_REAP_S = 1.0
"""How long a killed worker is waited for (a killed process ends at once)."""

_TRACKER_LOCK = threading.Lock()
"""Held while the resource tracker is started: ``sys.stderr`` is the process's, and two
threads swapping it at once would leave it pointing at a closed file."""


class WorkerDied(Exception):
    """The worker process stopped before answering (killed, out of memory, crashed)."""


class WorkerProcess:
    """A started parser process; one task at a time, from one thread at a time."""

    def __init__(self) -> None:
        """Start the process; raises (``OSError`` and the like) when it cannot start."""
        context = multiprocessing.get_context("spawn")
        _start_resource_tracker()
        ours, theirs = context.Pipe(duplex=True)
        self._conn: Connection = ours
        self._process = context.Process(
            target=serve, args=(theirs,), name="biotui-parser", daemon=True
        )
        try:
            self._process.start()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()  # the process's end: its death must be this pipe's end of file

    def run(self, task: Task) -> Result:
        """``task``'s result; raises :class:`WorkerDied` when the process stops meanwhile (it
        is then reaped and its pipe closed: it must not be used again). Another exception
        (the task would not pickle) leaves the process as it was."""
        answer = self._ask(task)
        if not isinstance(answer, Result):
            self.close(now=True)
            raise WorkerDied(f"answered {type(answer).__name__}")
        return answer

    def warm_up(self) -> None:
        """Have the process load its readers; raises :class:`WorkerDied` as :meth:`run`."""
        self._ask(_WARM_UP)

    def close(self, *, now: bool = False) -> None:
        """Ask the process to exit (``now``: kill it) and reap it (killed if it does not exit
        in time); then close the pipe. Only the thread using the process may call this."""
        if not now:
            with contextlib.suppress(OSError):
                self._conn.send(None)
            self._process.join(_EXIT_S)
        self.kill()
        self._process.join(_REAP_S)
        self._conn.close()

    def kill(self) -> None:
        """Kill the process at once; any thread may call this, the pipe stays open for the
        thread using the process, which then reads its end."""
        with contextlib.suppress(OSError, ValueError):
            self._process.kill()

    def reap(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the process to end (after :meth:`kill`)."""
        with contextlib.suppress(OSError, ValueError):
            self._process.join(timeout)

    def _ask(self, message: object) -> object:
        try:
            self._conn.send(message)
            return self._conn.recv()
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            self.close(now=True)
            raise WorkerDied(f"{type(exc).__name__}: {exc}") from exc


def serve(conn: Connection) -> None:
    """The process's loop: read tasks and answer them until told to exit (None) or the
    refreshing process is gone (end of file)."""
    worker.initialize()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if message == _WARM_UP:
            worker.warm_up()
            conn.send(None)
            continue
        result = worker.run(message)
        del message  # a task and its result are let go before the next task arrives
        try:
            conn.send(result)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as exc:
            reason = f"could not be read ({type(exc).__name__}: {exc})"
            conn.send(Unreadable(clean_text(reason)[:300]))  # a result that cannot be sent
        del result


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr.

    The first process a process spawns starts that helper process, handing it
    ``sys.stderr``'s file descriptor; inside the app, Textual's capture of stderr has none
    (``fileno()`` is -1), and starting the helper then fails. Once started, it serves every
    later worker.
    """
    from multiprocessing import resource_tracker

    with _TRACKER_LOCK:
        try:
            usable = sys.stderr is not None and sys.stderr.fileno() >= 0
        except (OSError, ValueError, AttributeError):
            usable = False
        if usable:
            resource_tracker.ensure_running()
            return
        with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
            resource_tracker.ensure_running()
