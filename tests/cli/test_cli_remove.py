"""``biotui remove NAME``: the feed leaves the configuration (the rest kept as written) and its
articles the store, except starred ones; removed articles do not come back as new."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.config import load_config

Run = Callable[..., tuple[int, str, str]]
"""The ``run`` fixture of tests/cli/conftest.py."""


def config_text(notes: Path, more: Path) -> str:
    return f"""# my feeds: keep this comment
[settings]
timeout = 5 # seconds

# notes I keep
[[feeds]]
name = "Notes"
path = "{notes}"

# more notes
[[feeds]]
name = "More"
path = "{more}" # trailing comment
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    for folder, names in (("notes", ("a", "b", "c")), ("more", ("m",))):
        (tmp_path / folder).mkdir()
        for name in names:
            (tmp_path / folder / f"{name}.md").write_text(f"# Note {name}\n\nText {name}.\n")
    path = tmp_path / "feeds.toml"
    path.write_text(config_text(tmp_path / "notes", tmp_path / "more"), encoding="utf-8")
    return path


def listed(run: Run) -> list[dict[str, object]]:
    status, out, _ = run("list", "--json")
    assert status == 0
    return [json.loads(line) for line in out.splitlines()]


def test_remove_drops_the_feed_and_its_unstarred_articles(run: Run, config: Path) -> None:
    assert run("refresh")[0] == 0
    notes = [item for item in listed(run) if item["feed"] == "Notes"]
    assert len(notes) == 3
    starred = str(notes[0]["id"])
    assert run("mark", "--star", starred)[0] == 0

    status, out, err = run("remove", "Notes")
    assert status == 0 and err == ""
    assert f"removed feed Notes from {config}" in out
    assert "removed 2 articles of Notes" in out
    assert "kept 1 starred article of Notes" in out

    text = config.read_text(encoding="utf-8")
    assert "# my feeds: keep this comment" in text and "timeout = 5 # seconds" in text
    assert "# more notes" in text and "# trailing comment" in text
    assert 'name = "Notes"' not in text and "# notes I keep" not in text
    assert [feed.name for feed in load_config(config).feeds] == ["More"]
    left = listed(run)
    assert {str(item["id"]) for item in left if item["feed"] == "Notes"} == {starred}
    assert [item["feed"] for item in left].count("More") == 1


def test_removed_articles_do_not_come_back_when_the_feed_is_added_again(
    run: Run, config: Path, tmp_path: Path
) -> None:
    assert run("refresh")[0] == 0
    assert run("remove", "Notes")[0] == 0
    (tmp_path / "notes" / "d.md").write_text("# Note d\n\nText d.\n")
    with config.open("a", encoding="utf-8") as stream:
        stream.write(f'\n[[feeds]]\nname = "Notes"\npath = "{tmp_path / "notes"}"\n')
    assert run("refresh")[0] == 0
    titles = sorted(str(item["title"]) for item in listed(run) if item["feed"] == "Notes")
    assert titles == ["Note d"]


def test_an_unknown_name_is_one_line_and_changes_nothing(run: Run, config: Path) -> None:
    before = config.read_text(encoding="utf-8")
    status, out, err = run("remove", "Nope")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "no feed named 'Nope'" in err
    assert config.read_text(encoding="utf-8") == before
