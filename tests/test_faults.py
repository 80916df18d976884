"""Faults the store must survive: a killed refresh, two processes at once, a read-only dir."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from biotui.cli import main
from biotui.store import Store

CLIPPING = """March 2025 — Desk {n}
Boston, USA — Company {n} dosed the first patient in a lupus trial of drug KJ-C{n}.
Doctors will follow patient {n} for a year.
Source: Trial {n} doses first lupus patient — Example Wire
"""


def write_clippings(folder: Path, count: int, start: int = 0) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(start, start + count):
        (folder / f"clip-{n:05d}.txt").write_text(CLIPPING.format(n=n), encoding="utf-8")


def cli(config: Path, data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "biotui", "--config", str(config), "--data-dir", str(data), *args]


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    clips = tmp_path / "clips"
    write_clippings(clips, 50)
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "Clips"\npath = "{clips}"\n', encoding="utf-8")
    return config, tmp_path / "data", clips


def test_kill_9_during_a_refresh_loses_nothing(setup: tuple[Path, Path, Path]) -> None:
    config, data, clips = setup
    subprocess.run(cli(config, data, "refresh"), check=True, capture_output=True)
    with Store.open(data) as store:
        ids = store.headline_ids()
        first, second = store.headlines(ids[:2])
        store.set_read([first.id])
        store.set_starred(second.id, True)
        before = len(ids)

    write_clippings(clips, 3000, start=50)
    process = subprocess.Popen(cli(config, data, "refresh"), stdout=subprocess.DEVNULL)
    time.sleep(1.0)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with sqlite3.connect(data / "biotui.db") as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store.open(data) as store:
        count = len(store.headline_ids())
        assert before <= count <= before + 3000
        # A folder feed is stored file by file, each file whole or not at all: every file
        # recorded as read has its one clipping stored, and no clipping is stored without it.
        assert len(store.file_signatures("Clips")) == count
        kept = {h.id: h for h in store.headlines(store.headline_ids())}
        assert kept[first.id].read and kept[second.id].starred
    subprocess.run(cli(config, data, "refresh"), check=True, capture_output=True)
    with Store.open(data) as store:
        assert len(store.headline_ids()) == before + 3000


def test_reading_while_another_process_refreshes(setup: tuple[Path, Path, Path]) -> None:
    config, data, clips = setup
    subprocess.run(cli(config, data, "refresh"), check=True, capture_output=True)
    write_clippings(clips, 1500, start=50)
    with Store.open(data) as store:
        process = subprocess.Popen(
            cli(config, data, "refresh"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        seen: list[int] = []
        while process.poll() is None:
            ids = store.headline_ids()
            seen.append(len(ids))
            if len(ids):
                store.set_read([store.headlines(ids[:1])[0].id])
        out, err = process.communicate()
        assert process.returncode == 0, err
        assert b"locked" not in err and b"locked" not in out
        assert len(store.headline_ids()) == 1550
    # Stored file by file, in transactions: a reader sees the count only grow, never past it.
    assert seen == sorted(seen)
    assert all(50 <= count <= 1550 for count in seen)


def test_read_only_data_dir_is_a_clear_message(
    setup: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    config, data, _ = setup
    data.mkdir()
    data.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        status = main(["--config", str(config), "--data-dir", str(data), "refresh"])
    finally:
        data.chmod(stat.S_IRWXU)
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith("biotui: ") and str(data) in err and "Traceback" not in err
