"""``biotui export -o FILE`` writes the whole file or leaves the old one; failures are one line."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.cli import main

CONFIG = """[[feeds]]
name = "STAT"
url = "https://www.statnews.com/feed/"
tags = ["medicine"]
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def export(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    status = main(["--config", str(config), "--data-dir", str(tmp_path / "data"), "export", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_export_replaces_a_file_whole_and_leaves_nothing_beside_it(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "feeds.opml"
    target.write_text("an older export", encoding="utf-8")
    status, out, err = export(config, tmp_path, capsys, "-o", str(target))
    assert (status, out, err) == (0, "", "")
    assert 'xmlUrl="https://www.statnews.com/feed/"' in target.read_text(encoding="utf-8")
    assert [p.name for p in folder.iterdir()] == ["feeds.opml"]


def test_a_write_that_fails_keeps_the_previous_export(
    config: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "feeds.opml"
    target.write_text("an older export", encoding="utf-8")

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    status, out, err = export(config, tmp_path, capsys, "-o", str(target))
    assert (status, out) == (1, "")
    assert err == f"biotui: {target}: cannot write: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "an older export"
    assert [p.name for p in folder.iterdir()] == ["feeds.opml"]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: tmp / "a-folder", "Is a directory"),
        (lambda tmp: tmp / "a-file" / "feeds.opml", "Not a directory"),
    ],
    ids=["a folder", "under a file"],
)
def test_an_unwritable_target_is_one_line_and_status_1(
    config: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    reason: str,
) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    target = make(tmp_path)
    status, out, err = export(config, tmp_path, capsys, "-o", str(target))
    assert (status, out) == (1, "")
    assert err == f"biotui: {target}: cannot write: {reason}\n"
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "x"
    assert sorted(p.name for p in (tmp_path / "a-folder").iterdir()) == []


def test_a_pipe_or_device_is_written_to_not_replaced(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        status, _, err = export(config, tmp_path, capsys, "-o", str(fifo))
        received = os.read(reader, 1 << 16).decode("utf-8")
    finally:
        os.close(reader)
    assert (status, err) == (0, "")
    assert received.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert fifo.is_fifo()
