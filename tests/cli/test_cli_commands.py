"""The command line run in-process: global options, refresh, list, show, feeds, and errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui import __version__
from biotui.cli import main
from biotui.cli.parser import parse_args

REPO_NEWS = Path(__file__).resolve().parents[2] / "news"

CLIPPING = """April 2025 — Test Desk
Basel, Switzerland — A drugmaker said its CAR-T therapy KJ-X1 put two lupus patients into remission.
Doctors will follow the patients for two years.
Photo by Ana Example on Unsplash
Image credit: Example Labs
Source: CAR-T puts lupus into remission [bold]twice[/] — Example Wire
"""


@pytest.fixture
def run(
    make_config: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """Run ``biotui`` with a config of one local clipping folder; return (status, out, err)."""
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "remission.txt").write_text(CLIPPING, encoding="utf-8")
    config = make_config(
        f'[[feeds]]\nname = "Clips"\npath = "{folder}"\n'
        '[[searches]]\nname = "CAR-T in lupus"\nquery = "CAR-T lupus"\n'
        '[[searches]]\nname = "Oncology"\nquery = "oncology"\n'
    )
    data = tmp_path / "data"

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(config), "--data-dir", str(data), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"biotui {__version__}"


def test_bad_config_exits_2_with_one_line_per_problem(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_config('[[feeds]]\nname = "A"\n[[feeds]]\nname = "B"\nurl = "file:///etc/passwd"\n')
    assert main(["--config", str(path), "list"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "biotui: feeds.toml: feeds[1] \"A\": needs exactly one of 'url' or 'path'",
        "biotui: feeds.toml: feeds[2] \"B\": 'url' must be http or https, not 'file': "
        "file:///etc/passwd",
    ]


def test_refresh_list_show(run: Callable[..., tuple[int, str, str]]) -> None:
    status, out, _ = run("refresh")
    assert status == 0
    assert out.strip() == "✓ Clips: 1 new, 0 updated"

    status, out, _ = run("list", "--json")
    assert status == 0
    [record] = [json.loads(line) for line in out.splitlines()]
    assert set(record) == {
        *("id", "title", "source", "feed", "published", "link", "read", "starred", "story")
    }
    assert isinstance(record["story"], int)  # grouped into a story as it was stored
    assert record["title"] == "CAR-T puts lupus into remission [bold]twice[/]"
    assert record["source"] == "Example Wire"
    assert record["feed"] == "Clips"
    assert record["published"].startswith("2025-04-01")
    assert record["link"].startswith("file://")
    assert record["read"] is False and record["starred"] is False

    status, out, _ = run("show", record["id"])
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "CAR-T puts lupus into remission [bold]twice[/]"
    assert "Doctors will follow the patients for two years." in out
    assert "Photo by" not in out.split("Credits")[0]
    assert "\nSource\n" in out and "Publisher: Example Wire" in out
    credits = out.split("\nCredits\n-------\n")[1].splitlines()
    assert credits == ["Photo by Ana Example on Unsplash", "Image credit: Example Labs"]

    status, out, _ = run("show", record["id"], "--json")
    assert json.loads(out)["credits"] == credits


def test_list_filter_limit_unread(run: Callable[..., tuple[int, str, str]]) -> None:
    run("refresh")
    assert len(run("list", "--filter", "lupus")[1].splitlines()) == 1
    assert run("list", "--filter", "CAR-T")[1].count("\n") == 1
    assert run("list", "--filter", "cart")[1] == ""
    assert run("list", "--filter", "-lupus")[1] == ""
    assert len(run("list", "--unread", "--limit", "1")[1].splitlines()) == 1


def test_show_unknown_id(run: Callable[..., tuple[int, str, str]]) -> None:
    status, out, err = run("show", "0000000000000000")
    assert status == 1
    assert out == ""
    assert err.strip() == "biotui: no article with id '0000000000000000'"


def test_feeds_command(run: Callable[..., tuple[int, str, str]]) -> None:
    run("refresh")
    status, out, _ = run("feeds", "--json")
    assert status == 0
    record = json.loads(out)
    assert (record["name"], record["articles"], record["unread"]) == ("Clips", 1, 1)
    assert record["last_error"] is None
    assert record["path"].endswith("clips")
    assert "url" not in record
    assert record["tags"] == []


def test_unwritable_data_dir_is_a_clear_error(
    make_config: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    config = make_config(f'[[feeds]]\nname = "Clips"\npath = "{REPO_NEWS}"\n')
    status = main(["--config", str(config), "--data-dir", str(blocker / "data"), "list"])
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith("biotui: ") and "Traceback" not in err


def test_malformed_filter_exits_2_with_a_message(run: Callable[..., tuple[int, str, str]]) -> None:
    run("refresh")
    for bad, message in [
        ('"first patient', "unclosed quote"),
        ("(lupus", "'(' without ')'"),
        ("lupus OR", "'OR' needs a term on both sides"),
        ("foo:bar", "unknown field 'foo'"),
    ]:
        status, out, err = run("list", "--filter", bad)
        assert status == 2, bad
        assert out == ""
        assert err.startswith("biotui: filter ") and message in err, err
        assert "Traceback" not in err


def test_saved_search_by_name(run: Callable[..., tuple[int, str, str]]) -> None:
    run("refresh")
    status, out, _ = run("list", "--search", "car-t in LUPUS", "--json")
    assert status == 0
    assert [json.loads(line)["feed"] for line in out.splitlines()] == ["Clips"]
    assert run("list", "--search", "Oncology")[1] == ""
    assert run("list", "--search", "CAR-T in lupus", "--filter", "-remission")[1] == ""
    status, _, err = run("list", "--search", "Nope")
    assert status == 2
    assert "no saved search named 'Nope'" in err and "'CAR-T in lupus'" in err


def test_json_lines_are_plain_json(run: Callable[..., tuple[int, str, str]]) -> None:
    run("refresh")
    line = run("list", "--json")[1].splitlines()[0]
    record = json.loads(line)
    assert line == json.dumps(record, ensure_ascii=False)


def test_a_filter_may_start_with_a_minus() -> None:
    """``--filter -oncology`` (the app's, before the command, or list's) is a filter, not an
    unknown option."""
    assert parse_args(["--filter", "-oncology"]).filter == "-oncology"
    assert parse_args(["list", "--filter", "-lupus"]).list_filter == "-lupus"
    assert parse_args(["--filter", "-a", "list", "--filter", "-b"]).list_filter == "-b"
