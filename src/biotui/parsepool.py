"""Parse and store feeds in worker processes, off the event loop and the UI thread.

Parsing, HTML-to-Markdown conversion and the full-text indexing of an ingest are CPU work:
done in the process that fetches (and draws the app), they would leave one core idle and starve
the event loop and the UI. So a task takes a feed's bytes (or a local feed's path), reads the
articles and stores them itself, in one transaction, returning only the counts and warnings:
the articles never travel back. SQLite serializes the writers (WAL, busy timeout). A
:class:`ProcessParser` keeps a few worker processes (one per core) for one refresh; an
:class:`InlineParser` does the same work in a thread, for refreshes too small to be worth
starting processes (about 0.2 s each, overlapped with the first fetches).

Workers are plain ``python -I -c`` children that import only the parsing stack, fed
length-prefixed pickles over their stdin and answering on their stdout (stderr goes to
/dev/null, so nothing they print reaches the terminal or the app's screen). Each worker runs
one task at a time, so a worker that dies (killed, out of memory) fails only the feed it was
reading, with a one-line error; the next task gets a new worker. Any error inside a task comes
back as a one-line message, never a traceback: a :class:`~biotui.errors.SourceError` for a
document that cannot be read, a :class:`~biotui.errors.StoreError` when storing failed.
Workers exit when their stdin closes, so none outlives the refresh, nor a killed parent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pickle
import signal
import sys
from typing import TYPE_CHECKING, Any, Protocol

from biotui.errors import SourceError
from biotui.parseworker import HEADER, Stored, answer, raise_failure

if TYPE_CHECKING:
    from biotui.store import Store

WORKER_TIMEOUT_S = 300.0
"""A task taking longer than this is abandoned and its worker killed (a guard, not a limit
any real feed comes near: the slowest corpus file takes about 1 s)."""

PROCESS_MIN_FEEDS = 3
"""Refreshes of fewer feeds than this parse in a thread of their own process."""

_BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from biotui.parseworker import serve; serve()"
)
_STREAM_LIMIT = 32 * 1024 * 1024


class Parser(Protocol):
    """Where a refresh sends its parsing: :class:`InlineParser` or :class:`ProcessParser`."""

    async def run(self, kind: str, *args: Any) -> Stored:
        """Run task ``kind`` (see :func:`run_task`); raises SourceError or StoreError."""
        ...

    async def close(self) -> None:
        """Release what the parser holds; idempotent."""
        ...


class InlineParser:
    """Runs tasks in a thread of this process, storing into ``store``."""

    def __init__(self, store: Store) -> None:
        """Make a parser that stores into ``store`` (the refresh's own)."""
        self.store = store

    async def run(self, kind: str, *args: Any) -> Stored:
        """Run task ``kind`` in a thread; raises SourceError or StoreError, one line."""
        return raise_failure(*await asyncio.to_thread(answer, kind, args, self.store))

    async def close(self) -> None:
        """Nothing to release."""


class ProcessParser:
    """Runs tasks in up to ``size`` worker processes, started when first needed and reused.

    A refresh in which every feed answers 304 starts none.
    """

    def __init__(self, size: int | None = None, *, timeout: float = WORKER_TIMEOUT_S) -> None:
        """Make a parser of ``size`` workers (default: one per core, at least one)."""
        self.size = max(1, size if size is not None else (os.cpu_count() or 1))
        self.timeout = timeout
        self._idle: asyncio.Queue[asyncio.subprocess.Process | None] = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(None)  # a worker is started when a task first needs it
        self._running: set[asyncio.subprocess.Process] = set()
        self._closed = False

    async def _spawn(self) -> asyncio.subprocess.Process:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-I",
            "-c",
            _BOOT,
            json.dumps(sys.path),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            limit=_STREAM_LIMIT,
        )
        self._running.add(process)
        return process

    @property
    def pids(self) -> list[int]:
        """The process ids of the workers alive now."""
        return [p.pid for p in self._running if p.returncode is None]

    async def run(self, kind: str, *args: Any) -> Stored:
        """Run task ``kind`` in a worker; raises SourceError or StoreError, one line.

        A worker that dies or overruns the timeout fails this task only: it is killed and a
        new one takes its place for the next task.
        """
        if self._closed:
            raise SourceError("the refresh is over")
        process = await self._idle.get()
        try:
            if process is None or process.returncode is not None:
                self._forget(process)
                process = await self._spawn()
        except OSError as exc:
            self._idle.put_nowait(None)
            raise SourceError(f"cannot start a parser process: {exc.strerror or exc}") from None
        try:
            async with asyncio.timeout(self.timeout):
                outcome, value = await self._exchange(process, kind, args)
        except TimeoutError:
            await self._kill(process)
            raise SourceError(f"parsing took longer than {self.timeout:g} s") from None
        except (OSError, EOFError, asyncio.IncompleteReadError, pickle.PickleError) as exc:
            await self._kill(process)
            raise SourceError(f"the parser process stopped ({_how(process, exc)})") from None
        except BaseException:  # cancelled mid-exchange: the worker's pipe is out of step
            await self._kill(process)
            raise
        self._idle.put_nowait(process)
        return raise_failure(outcome, value)

    async def _exchange(
        self, process: asyncio.subprocess.Process, kind: str, args: tuple[Any, ...]
    ) -> tuple[str, Any]:
        assert process.stdin is not None and process.stdout is not None
        payload = pickle.dumps((kind, args), protocol=pickle.HIGHEST_PROTOCOL)
        process.stdin.write(HEADER.pack(len(payload)))
        process.stdin.write(payload)
        del payload
        await process.stdin.drain()
        (size,) = HEADER.unpack(await process.stdout.readexactly(HEADER.size))
        answer = pickle.loads(await process.stdout.readexactly(size))
        if not (isinstance(answer, tuple) and len(answer) == 2):
            raise pickle.UnpicklingError("malformed answer")
        return str(answer[0]), answer[1]

    async def _kill(self, process: asyncio.subprocess.Process) -> None:
        """Kill ``process``; its place in the pool is taken by a new worker on demand."""
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        with contextlib.suppress(Exception):
            await process.wait()
        self._forget(process)
        self._idle.put_nowait(None)

    def _forget(self, process: asyncio.subprocess.Process | None) -> None:
        if process is not None:
            self._running.discard(process)

    async def close(self) -> None:
        """Stop every worker: close its stdin (it exits), kill it if it lingers. Idempotent."""
        self._closed = True
        processes, self._running = list(self._running), set()
        for process in processes:
            if process.stdin is not None:
                with contextlib.suppress(Exception):
                    process.stdin.close()
        for process in processes:
            try:
                await asyncio.wait_for(process.wait(), 2.0)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                with contextlib.suppress(Exception):
                    await process.wait()


def _how(process: asyncio.subprocess.Process, exc: BaseException) -> str:
    code = process.returncode
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    if code is not None:
        return f"exit status {code}"
    return type(exc).__name__
