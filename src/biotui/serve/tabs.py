"""One browser tab's app process, on textual-serve's ``AppService`` (the adapter).

textual-serve's ``AppService`` speaks the packet protocol between a websocket and a Textual
app in web-driver mode, but starts its command through a shell, inherits the server's
process group and, when stopped, only asks the app to quit and waits for ever. An app that
does not answer (or one left behind by a stopped server) keeps running: one was seen spinning
a core for half an hour. :class:`TabProcess` starts the app itself (no shell, in a process
group of its own, so the refresh workers it starts go with it) and ends it for sure: asked
to quit, then SIGTERM to its group, then SIGKILL.

This is the only module that touches private names of textual-serve (``_open_app_process``,
``_build_environment``, ``_process``, ``_stdin``); ``tests/serve/test_serve_tabs_pinned.py`` pins
them to the supported versions.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from asyncio.subprocess import PIPE, Process
from collections.abc import Sequence
from typing import Any

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

SUPPORTED = ((1, 1), (1, 2))
"""textual-serve versions this adapter was checked against: at least the first, below the
second (pyproject pins the same range)."""

QUIT_WAIT = 3.0
"""Seconds an app has to quit by itself before its process group is sent SIGTERM."""

TERM_WAIT = 2.0
"""Seconds between SIGTERM and SIGKILL."""


class TabProcess(AppService):
    """The app process of one websocket: ``argv`` started with the web driver's environment,
    its output sent to the browser by textual-serve."""

    def __init__(self, argv: Sequence[str], **streams: Any) -> None:
        super().__init__(" ".join(argv), download_manager=DownloadManager(), **streams)
        self.argv = tuple(argv)
        self.pid: int | None = None
        self._ending: asyncio.Task[None] | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        assert process.stdin is not None
        self._process = process
        self._stdin = process.stdin
        self.pid = process.pid
        return process

    async def end(self) -> None:
        """End the app and every process of its group; return once they are gone. Safe to
        call more than once, at the same time too, and before the app started."""
        if self._ending is None:
            self._ending = asyncio.create_task(self._end())
        await asyncio.shield(self._ending)

    async def _end(self) -> None:
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            await self.send_meta({"type": "quit"})
            if not await _exited(process, QUIT_WAIT):
                _signal_group(process.pid, signal.SIGTERM)
                if not await _exited(process, TERM_WAIT):
                    _signal_group(process.pid, signal.SIGKILL)
                    await process.wait()
        # Whatever the app started in its group (refresh workers) goes with it.
        _signal_group(process.pid, signal.SIGKILL)
        await self.stop()


async def _exited(process: Process, seconds: float) -> bool:
    """Wait up to ``seconds`` for ``process`` to end; True if it has."""
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _signal_group(pgid: int, signum: int) -> None:
    """Send ``signum`` to the process group ``pgid`` if any process of it is left."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)
