"""Changed ``[[mute]]`` rules seen from the command line: ``list`` answers for the new rules at
once without writing the store, and the next ``refresh`` works the muted articles out again,
saying so once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.cli import main


def clipping(title: str) -> str:
    return f"April 2025 — Test Desk\nBasel — {title}.\nSource: {title} — Example Wire\n"


def test_changed_rules_apply_at_once_and_refresh_works_them_out(
    make_config: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    for name, title in {"a": "Lupus remission", "b": "Join our webinar", "c": "Podcast 12"}.items():
        (folder / f"{name}.txt").write_text(clipping(title), encoding="utf-8")
    feeds = f'[[feeds]]\nname = "Clips"\npath = "{folder}"\n'
    data = tmp_path / "data"

    def run(rules: str, *args: str) -> str:
        config = make_config(feeds + "".join(f'[[mute]]\nquery = "{r}"\n' for r in rules.split()))
        assert main(["--config", str(config), "--data-dir", str(data), *args]) == 0
        return capsys.readouterr().out

    def titles(rules: str, *args: str) -> set[str]:
        return {
            json.loads(line)["title"] for line in run(rules, "list", "--json", *args).splitlines()
        }

    out = run("webinar", "refresh")
    assert "mute rules changed: muted articles worked out again (1 hidden)" in out
    assert "mute rules changed" not in run("webinar", "refresh")
    assert titles("podcast") == {"Lupus remission", "Join our webinar"}
    assert titles("podcast", "--muted") == {"Podcast 12"}
    db = (data / "biotui.db").stat()
    assert titles("webinar") == {"Lupus remission", "Podcast 12"}  # the kept set still holds
    assert (data / "biotui.db").stat().st_mtime_ns == db.st_mtime_ns
    assert "mute rules changed: muted articles worked out again (2 hidden)" in run(
        "podcast webinar", "refresh"
    )
    assert titles("podcast webinar") == {"Lupus remission"}
