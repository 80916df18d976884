"""``biotui vacuum``: old read articles out (starred and unread ones stay) without coming back
from their feed, the file compacted, and every refusal one line (disk space, a busy store, a
bad ``keep_days``)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

Run = Callable[..., tuple[int, str, str]]
"""The ``run`` fixture of tests/cli/conftest.py."""

AGES = {"fresh": 2, "week": 7, "old-a": 40, "old-b": 60, "old-c": 90, "ancient": 400}
"""The saved feed's items by guid, and how many days old each is."""


def feed_xml(ages: dict[str, int], *, body_words: int = 20, note: str = "") -> str:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><title>Item {guid}</title><link>https://example.org/{guid}</link>"
        f"<guid>{guid}</guid><pubDate>{format_datetime(now - timedelta(days=age))}</pubDate>"
        f"<description>{f'{guid} body {note} ' * body_words}</description></item>"
        for guid, age in ages.items()
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Saved</title>'
        f"<link>https://example.org/</link><description>d</description>{items}</channel></rss>"
    )


@pytest.fixture
def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "saved.xml"
    path.write_text(feed_xml(AGES), encoding="utf-8")
    return path


@pytest.fixture
def config(tmp_path: Path, feed_file: Path) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(
        f'[settings]\nkeep_days = 30\n\n[[feeds]]\nname = "Saved"\npath = "{feed_file}"\n',
        encoding="utf-8",
    )
    return path


def listed(run: Run) -> dict[str, dict[str, object]]:
    """The stored articles by title's guid (``Item <guid>``)."""
    status, out, _ = run("list", "--json")
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    return {str(record["title"]).removeprefix("Item "): record for record in records}


def mark(run: Run, flag: str, *guids: str) -> None:
    ids = [str(listed(run)[guid]["id"]) for guid in guids]
    assert run("mark", f"--{flag}", *ids)[0] == 0


def test_vacuum_removes_old_read_articles_only_and_they_do_not_come_back(
    run: Run, feed_file: Path
) -> None:
    assert run("refresh")[0] == 0
    mark(run, "read", "fresh", "old-a", "old-b", "ancient")
    mark(run, "star", "old-b")

    status, out, err = run("vacuum", "--dry-run")
    assert (status, err) == (0, "")
    assert out.startswith("would remove 2 read articles (older than 30 days;")
    assert "would keep 1 starred and 1 unread" in out and "nothing written" in out
    assert set(listed(run)) == set(AGES)

    status, out, err = run("vacuum")
    assert (status, err) == (0, "")
    assert len(out.splitlines()) == 1
    assert out.startswith("removed 2 read articles (older than 30 days; kept 1 starred);")
    assert "tombstones: 2 (0 dropped)" in out and " → " in out
    # Fresh (read), the starred one (read) and the old unread one stay.
    assert set(listed(run)) == {"fresh", "week", "old-b", "old-c"}

    # The feed sends everything again, changed: the removed articles stay removed.
    feed_file.write_text(feed_xml(AGES, note="updated"), encoding="utf-8")
    status, out, _ = run("refresh")
    assert status == 0 and "0 new" in out
    assert set(listed(run)) == {"fresh", "week", "old-b", "old-c"}

    status, out, _ = run("vacuum", "--json")
    record = json.loads(out)
    assert record["removed"] == 0 and record["tombstones"] == 2 and record["starred_kept"] == 1


def test_vacuum_without_keep_days_keeps_everything(run: Run, config: Path) -> None:
    config.write_text(config.read_text().replace("keep_days = 30\n", ""), encoding="utf-8")
    assert run("refresh")[0] == 0
    mark(run, "read", *AGES)
    status, out, _ = run("vacuum")
    assert status == 0 and out.startswith("removed 0 read articles (no keep_days set")
    assert set(listed(run)) == set(AGES)
    # An option asks for it all the same.
    status, out, _ = run("vacuum", "--keep-days", "50")
    assert status == 0 and out.startswith("removed 3 read articles (older than 50 days;")
    assert set(listed(run)) == {"fresh", "week", "old-a"}


def test_vacuum_shrinks_the_file(run: Run, feed_file: Path, tmp_path: Path) -> None:
    ages = {f"n{number}": 40 + number for number in range(300)}
    feed_file.write_text(feed_xml(ages, body_words=800), encoding="utf-8")
    assert run("refresh")[0] == 0
    assert run("mark", "--read", "--all")[0] == 0
    store = tmp_path / "data" / "biotui.db"
    wal = store.with_name("biotui.db-wal")
    before = store.stat().st_size + (wal.stat().st_size if wal.exists() else 0)

    status, out, _ = run("vacuum")
    assert status == 0 and out.startswith("removed 300 read articles")
    after = store.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    assert after < before / 4
    assert listed(run) == {}


def test_vacuum_refuses_without_the_disk_space_it_needs(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("refresh")[0] == 0
    mark(run, "read", *AGES)
    monkeypatch.setenv("BIOTUI_VACUUM_RESERVE", str(10**18))
    status, out, err = run("vacuum")
    assert status == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("biotui: ") and "not enough free disk space to compact it" in line
    assert line.endswith("free; nothing was removed")
    assert set(listed(run)) == set(AGES)


def test_a_bad_keep_days_is_one_line_naming_its_place(run: Run, config: Path) -> None:
    for value, why in (
        ('"30d"', "must be a whole number of days, not a string"),
        ("0", "at least 1"),
    ):
        config.write_text(config.read_text().replace("keep_days = 30", f"keep_days = {value}"))
        status, out, err = run("vacuum")
        assert status == 2 and out == ""
        [line] = err.splitlines()
        assert line.startswith("biotui: feeds.toml: settings.keep_days: ") and why in line
        config.write_text(config.read_text().replace(f"keep_days = {value}", "keep_days = 30"))


def test_a_busy_store_is_one_line(run: Run, config: Path, tmp_path: Path) -> None:
    assert run("refresh")[0] == 0
    mark(run, "read", *AGES)
    holder = sqlite3.connect(tmp_path / "data" / "biotui.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE feeds SET last_error = 'held' WHERE name = 'Saved'")
    try:
        command = [sys.executable, "-m", "biotui", "--config", str(config)]
        command += ["--data-dir", str(tmp_path / "data"), "vacuum"]
        done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.endswith(
        "the store is busy (the app, a refresh or a sync is writing to it); try again in a moment"
    )
    assert set(listed(run)) == set(AGES)
