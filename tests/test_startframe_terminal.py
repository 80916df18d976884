"""The start frame in a real terminal: ``biotui`` run on a pseudo-terminal, twice.

The first run records its first screen; the second draws the cached headlines before
Textual writes anything, and a key typed at that moment is answered by the app.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from biotui.app.startframe import ENTER, FRAME_FILE
from biotui.model import Article, article_id
from biotui.store import Store

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal"),
]

COLUMNS, LINES = 120, 34
NEWEST = "Newest CAR-T news"
TEXTUAL_STARTS = b"\x1b[?1000h"  # Textual turns mouse reporting on as it starts


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    """A config without feeds and a data folder holding 30 articles."""
    config = tmp_path / "feeds.toml"
    config.write_text("[settings]\nrefresh_on_start = false\n", encoding="utf-8")
    data_dir = tmp_path / "data"
    with Store.open(data_dir) as store:
        store.ingest(
            "Clippings",
            [
                Article(
                    id=article_id("Clippings", f"g{n}"),
                    feed="Clippings",
                    guid=f"g{n}",
                    title=NEWEST if n == 29 else f"Older article {n}",
                    source="STAT",
                    published=datetime(2026, 1, 1 + n % 28, n % 24, tzinfo=UTC),
                )
                for n in range(30)
            ],
        )
    return config, data_dir


class Terminal:
    """``biotui`` running on a pseudo-terminal of COLUMNS × LINES."""

    def __init__(self, config: Path, data_dir: Path) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.slave = slave
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NO_COLOR"))}
        env |= {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "biotui", "--config", str(config), "--data-dir", str(data_dir)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        self.output = b""

    def read(self, timeout: float) -> None:
        """Add what the program writes within ``timeout`` seconds to ``output``."""
        if select.select([self.master], [], [], timeout)[0]:
            with contextlib.suppress(OSError):  # the program closed the terminal
                self.output += os.read(self.master, 65536)

    def read_until(self, wanted: bytes, timeout: float = 30.0) -> bytes:
        """Read what the program writes until ``wanted`` appears; returns all so far."""
        deadline = time.monotonic() + timeout
        while wanted not in self.output:
            assert time.monotonic() < deadline, f"{wanted!r} never shown: {self.output[-500:]!r}"
            self.read(0.05)
        return self.output

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait(self, timeout: float = 30.0) -> int:
        """Wait for the program to exit, reading its output meanwhile."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            assert time.monotonic() < deadline, "biotui did not quit"
            self.read(0.05)
        return self.process.wait()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def run(setup: tuple[Path, Path]) -> Iterator[Callable[[], Terminal]]:
    """Starts ``biotui`` on a new pseudo-terminal; each is closed after the test."""
    started: list[Terminal] = []

    def start() -> Terminal:
        started.append(Terminal(*setup))
        return started[-1]

    yield start
    for terminal in started:
        terminal.close()


def record_first_screen(run: Callable[[], Terminal], data_dir: Path) -> Terminal:
    """Start biotui, wait until it shows the newest headline and has recorded its first
    screen, then quit it."""
    first = run()
    first.read_until(NEWEST.encode())
    deadline = time.monotonic() + 30
    while not (data_dir / FRAME_FILE).exists():
        assert time.monotonic() < deadline, "the first screen was never recorded"
        time.sleep(0.05)
    first.type(b"q")
    assert first.wait() == 0
    return first


def test_the_second_start_draws_headlines_before_textual_and_keeps_the_keys(
    setup: tuple[Path, Path], run: Callable[[], Terminal]
) -> None:
    _config, data_dir = setup
    first = record_first_screen(run, data_dir)
    assert first.output.index(TEXTUAL_STARTS) < first.output.index(NEWEST.encode())
    recorded = (data_dir / FRAME_FILE).stat().st_mtime_ns

    second = run()
    shown = second.read_until(NEWEST.encode())
    second.type(b"q")  # typed while only the early frame is there (or just after)
    assert second.wait() == 0
    assert shown.startswith(ENTER.encode())
    assert shown.index(NEWEST.encode()) < second.output.index(TEXTUAL_STARTS)
    modes = termios.tcgetattr(second.slave)
    assert modes[3] & termios.ECHO and modes[3] & termios.ICANON  # the terminal is back
    # The record it drew was this terminal's: the app did not record it again.
    assert (data_dir / FRAME_FILE).stat().st_mtime_ns == recorded


def test_instant_start_off_draws_nothing_early(
    setup: tuple[Path, Path], run: Callable[[], Terminal]
) -> None:
    config, data_dir = setup
    record_first_screen(run, data_dir)
    config.write_text(
        "[settings]\nrefresh_on_start = false\ninstant_start = false\n", encoding="utf-8"
    )
    second = run()
    second.read_until(NEWEST.encode())
    second.type(b"q")
    assert second.wait() == 0
    assert not second.output.startswith(ENTER.encode())
    assert second.output.index(TEXTUAL_STARTS) < second.output.index(NEWEST.encode())
