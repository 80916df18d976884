"""A full disk and a read-only data folder, for real: a small file system mounted for the test.

Root ignores file permissions, so ``chmod`` cannot make a folder read-only for it (that case
is in test_faults.py and runs as any other user); a tmpfs of a few megabytes can be filled up
and remounted read-only, by root. Where mounting is not allowed the tests skip.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.app_helpers import screen_text, settle
from biotui.app.app import BiotuiApp
from biotui.cli import main
from biotui.config import load_config
from biotui.store import Store

DISK_SIZE = "4m"


def _mount(*args: str) -> bool:
    result = subprocess.run(["mount", *args], capture_output=True, timeout=30, check=False)
    return result.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A fresh tmpfs of a few megabytes, unmounted after the test."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(disk)):
        pytest.skip("this machine does not allow mounting a tmpfs")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], capture_output=True, check=False)


def write_clippings(folder: Path, first: int, count: int, words: int = 8) -> None:
    """Clippings ``first`` .. ``first + count - 1``, each with a body of about ``words`` words."""
    folder.mkdir(exist_ok=True)
    for n in range(first, first + count):
        body = " ".join(f"lupus{n % 7} CD19 therapy{i % 13}" for i in range(words // 3 + 1))
        (folder / f"clip{n:04d}.txt").write_text(
            f"February 2026 — Clipping {n}\nBoston — {body}.\n", encoding="utf-8"
        )


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill ``disk`` up to all but ``leave`` bytes with one file; return that file."""
    filler = disk / "filler"
    info = os.statvfs(disk)
    size = max(0, info.f_bavail * info.f_frsize - leave)
    with filler.open("wb") as out:
        try:
            while size > 0:
                size -= out.write(b"\0" * min(size, 1 << 20))
        except OSError:
            pass  # the last block may not fit; full is what we want
    return filler


@pytest.fixture
def cli(
    tmp_path: Path,
    make_config: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
    small_disk: Path,
) -> Callable[..., tuple[int, str]]:
    """Run the CLI against a clipping folder and a data dir on the small disk."""
    config = make_config(f'[[feeds]]\nname = "Clips"\npath = "{tmp_path / "clips"}"\n')

    def run(*args: str) -> tuple[int, str]:
        status = main(["--config", str(config), "--data-dir", str(small_disk / "data"), *args])
        out, err = capsys.readouterr()
        return status, out + err

    return run


def stored(small_disk: Path) -> tuple[int, int, int, str]:
    """(articles, read, starred, integrity_check) of the store on the small disk."""
    with sqlite3.connect(small_disk / "data" / "biotui.db") as conn:
        articles, read, starred = conn.execute(
            "SELECT count(*), sum(read), sum(starred) FROM articles"
        ).fetchone()
        (check,) = conn.execute("PRAGMA integrity_check").fetchone()
    return articles, read or 0, starred or 0, check


def mark_some(small_disk: Path) -> None:
    """Mark the newest article read and starred."""
    with Store.open(small_disk / "data") as store:
        (first,) = store.headlines(store.headline_ids()[:1])
        store.set_read([first.id])
        store.set_starred(first.id, True)


def test_disk_filling_up_during_a_refresh(
    tmp_path: Path, small_disk: Path, cli: Callable[..., tuple[int, str]]
) -> None:
    write_clippings(tmp_path / "clips", 0, 5)
    assert cli("refresh")[0] == 0
    mark_some(small_disk)
    write_clippings(tmp_path / "clips", 5, 300, words=3000)  # ~7 MB of new text
    filler = fill(small_disk, leave=256 * 1024)

    status, out = cli("refresh")
    assert status == 0, out
    assert "Traceback" not in out
    (line,) = [line for line in out.splitlines() if line.startswith("✗ Clips")]
    assert "full" in line  # "database or disk is full", with the file it is about
    # A folder feed is stored file by file: the files stored before the disk filled up stay,
    # each whole with its signature; nothing stored before is lost.
    kept, read, starred, check = stored(small_disk)
    assert 5 <= kept < 305 and (read, starred, check) == (1, 1, "ok")
    with Store.open(small_disk / "data") as store:
        assert len(store.file_signatures("Clips")) == kept

    filler.unlink()
    write_clippings(tmp_path / "clips", 5, 300, words=300)  # smaller, so it fits
    status, out = cli("refresh")
    assert status == 0 and f"✓ Clips: {305 - kept} new, {kept - 5} updated" in out, out
    assert stored(small_disk) == (305, 1, 1, "ok")


def test_full_disk_before_start_is_one_clear_line(
    tmp_path: Path, small_disk: Path, cli: Callable[..., tuple[int, str]]
) -> None:
    write_clippings(tmp_path / "clips", 0, 5)
    assert cli("refresh")[0] == 0
    mark_some(small_disk)
    filler = fill(small_disk)

    for command in ("refresh", "list"):
        status, out = cli(command)
        assert status == 1
        (line,) = out.splitlines()
        assert line.startswith("biotui: ") and "biotui.db" in line
        assert "disk is full" in line

    filler.unlink()
    assert stored(small_disk) == (5, 1, 1, "ok")
    status, out = cli("list")
    assert status == 0 and len(out.splitlines()) == 5


def test_read_only_data_folder(
    tmp_path: Path, small_disk: Path, cli: Callable[..., tuple[int, str]]
) -> None:
    write_clippings(tmp_path / "clips", 0, 5)
    assert cli("refresh")[0] == 0
    mark_some(small_disk)
    write_clippings(tmp_path / "clips", 5, 3)
    assert _mount("-o", "remount,ro", str(small_disk))

    status, out = cli("refresh")
    assert status == 1
    assert out.splitlines() == [
        f"biotui: {small_disk / 'data' / 'biotui.db'}: cannot write (the file system is read-only)"
    ]
    status, out = cli("list")  # reading still works
    assert status == 0 and len(out.splitlines()) == 5
    status, out = cli("list", "--filter", "clipping -trial")  # matches in temporary tables
    assert status == 0 and len(out.splitlines()) == 5

    assert _mount("-o", "remount,rw", str(small_disk))
    assert stored(small_disk) == (5, 1, 1, "ok")
    status, out = cli("refresh")
    assert status == 0 and "✓ Clips: 3 new" in out


async def test_app_on_a_read_only_data_folder(
    tmp_path: Path, small_disk: Path, cli: Callable[..., tuple[int, str]]
) -> None:
    write_clippings(tmp_path / "clips", 0, 3)
    assert (await asyncio.to_thread(cli, "refresh"))[0] == 0
    assert _mount("-o", "remount,ro", str(small_disk))
    config = load_config(tmp_path / "feeds.toml")
    with Store.open(small_disk / "data") as store:
        app = BiotuiApp(config, store, initial_filter="")
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            await settle(pilot)
            assert "Clipping 2" in screen_text(app)
            await pilot.press("s")  # star: a write the file system refuses
            await settle(pilot)
            text = " ".join(screen_text(app).split())
            assert "Not saved" in text and "cannot star article" in text
            assert "read-only)" in text  # "(the file system is read-only)", wrapped
            assert app.is_running
