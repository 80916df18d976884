"""``biotui serve`` as a user starts it: a process on a free loopback port; its URL, its
apps, its end."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_NEWS = Path(__file__).resolve().parents[2] / "news"
START_SECONDS = 30.0


@dataclass(frozen=True)
class Served:
    """A running ``biotui serve``: its process and the URL it printed."""

    process: subprocess.Popen[str]
    url: str

    @property
    def authority(self) -> str:
        return urlsplit(self.url).netloc

    @property
    def origin(self) -> str:
        return f"http://{self.authority}"

    @property
    def token(self) -> str:
        return urlsplit(self.url).path.strip("/")

    def app_pids(self) -> set[int]:
        """The server's child processes (its tabs' apps), read from /proc."""
        pids: set[int] = set()
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            children = (task / "children").read_text(encoding="ascii")
            pids.update(int(pid) for pid in children.split())
        return pids


def wait_gone(pid: int, seconds: float) -> bool:
    """Wait (on the process's pidfd, no polling) until ``pid`` has ended; True if it has."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([fd], [], [], seconds)
        return bool(readable)
    finally:
        os.close(fd)


def read_line(process: subprocess.Popen[str], seconds: float) -> str:
    """The next line of ``process``'s standard output, or "" if none comes in time."""
    assert process.stdout is not None
    readable, _, _ = select.select([process.stdout], [], [], seconds)
    return process.stdout.readline() if readable else ""


def start_server(config: Path, data: Path, *extra: str) -> Served:
    """Start ``biotui serve --port 0`` and wait for the URL it prints. Its home folders are
    beside ``config``, so neither it nor its apps read the user's."""
    home = config.parent / "home"
    environment = dict(os.environ, HOME=str(home))
    environment.update(XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    command = [sys.executable, "-m", "biotui", "--config", str(config), "--data-dir", str(data)]
    process = subprocess.Popen(
        [*command, "serve", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    line = read_line(process, START_SECONDS)
    if "http://" not in line:
        stop_server(process)
        pytest.fail(f"biotui serve printed no URL: {line!r}")
    return Served(process, line[line.index("http://") :].strip())


def stop_server(process: subprocess.Popen[str], signum: int = signal.SIGTERM) -> tuple[int, str]:
    """Stop it with ``signum`` (SIGTERM, as a service manager does); its exit status and
    standard error."""
    if process.poll() is None:
        process.send_signal(signum)
    try:
        _, errors = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return process.returncode, errors
