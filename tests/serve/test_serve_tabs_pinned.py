"""The textual-serve adapter (biotui/serve/tabs.py), pinned to the versions it supports: the
private names it uses exist, and an app that does not answer is ended for sure, with every
process of its group."""

from __future__ import annotations

import asyncio
import inspect
import os
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from serve_helpers import wait_gone
from textual_serve.app_service import AppService

from biotui.serve import tabs
from biotui.serve.tabs import TabProcess


def test_textual_serve_is_a_supported_version() -> None:
    installed = tuple(int(part) for part in version("textual-serve").split(".")[:2])
    low, high = tabs.SUPPORTED
    assert low <= installed < high, "check tabs.py against this textual-serve, then the pins"


def test_the_private_names_the_adapter_uses_are_there() -> None:
    opener = inspect.signature(AppService._open_app_process)
    assert list(opener.parameters) == ["self", "width", "height"]
    environment = inspect.signature(AppService._build_environment)
    assert list(environment.parameters) == ["self", "width", "height"]
    source = inspect.getsource(AppService)
    for name in ("self._process", "self._stdin", "self._task"):
        assert name in source
    built = AppService(
        "true",
        write_bytes=_ignore,
        write_str=_ignore,
        close=_none,
        download_manager=None,  # type: ignore[arg-type]
    )._build_environment(100, 30)
    assert built["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
    assert (built["COLUMNS"], built["ROWS"]) == ("100", "30")


async def _ignore(_: object) -> None:
    return None


async def _none() -> None:
    return None


STUBBORN = """
import os, subprocess, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
worker = subprocess.Popen([sys.executable, "-c", "import signal, time; "
    "signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
open(sys.argv[1], "w").write(f"{os.getpid()} {worker.pid}")
sys.stdout.write("__GANGLION__\\n"); sys.stdout.flush()
time.sleep(600)
"""
"""An app that ignores quit and SIGTERM and has started a worker that ignores SIGTERM too."""


async def test_an_app_that_does_not_quit_is_killed_with_its_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabs, "QUIT_WAIT", 0.2)
    monkeypatch.setattr(tabs, "TERM_WAIT", 0.2)
    pids = tmp_path / "pids"
    tab = TabProcess(
        [sys.executable, "-c", STUBBORN, str(pids)],
        write_bytes=_ignore,
        write_str=_ignore,
        close=_none,
    )
    await tab.start(80, 24)
    async with asyncio.timeout(30):
        while not pids.exists() or not pids.read_text():
            await asyncio.sleep(0.05)
    app, worker = (int(pid) for pid in pids.read_text().split())
    assert app == tab.pid
    assert os.getpgid(app) == app, "the app leads a process group of its own"
    assert os.getpgid(worker) == app
    async with asyncio.timeout(30):
        await asyncio.gather(tab.end(), tab.end())
    assert wait_gone(app, 5)
    assert wait_gone(worker, 5), "the app's worker outlived it"
    await tab.end()


async def test_ending_a_tab_that_never_started_does_nothing() -> None:
    tab = TabProcess(["true"], write_bytes=_ignore, write_str=_ignore, close=_none)
    await tab.end()
    assert tab.pid is None
