"""The command line: global options, refresh, list, show, feeds, and error handling."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui import __version__
from biotui.cli import main

REPO_NEWS = Path(__file__).resolve().parents[1] / "news"

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
    assert set(record) == {"id", "title", "source", "feed", "published", "link", "read", "starred"}
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


def test_bundled_clippings_load_offline(tmp_path: Path) -> None:
    """The shipped configuration's clippings give headlines with no network at all."""
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "Clippings"\npath = "{REPO_NEWS}"\n', encoding="utf-8")
    env_args = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    command = [sys.executable, "-m", "biotui", *env_args]
    refreshed = subprocess.run([*command, "refresh"], capture_output=True, text=True, check=True)
    assert refreshed.stdout.startswith("✓ Clippings: ")
    listed = subprocess.run(
        [*command, "list", "--json"], capture_output=True, text=True, check=True
    )
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(records) == len(list(REPO_NEWS.iterdir()))
    assert any("KJ-C2219" in record["title"] for record in records)


HEAVY_MODULES = (
    "textual",
    "rich",
    "feedparser",
    "http.client",
    "asyncio",
    "trafilatura",
    "lxml",
    "markdown_it",
    "nh3",
    "html_to_markdown",
    "platformdirs",
)
"""What `biotui list` and `show` must not import: the UI and the fetch/parse stack."""


@pytest.mark.parametrize(
    "command",
    [["list"], ["list", "--json", "--filter", "CAR-T OR lupus"], ["show", "0000000000000000"]],
)
def test_list_does_not_import_the_ui(tmp_path: Path, command: list[str]) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "Clippings"\npath = "{REPO_NEWS}"\n', encoding="utf-8")
    code = (
        "import sys; from biotui.cli import main; "
        f"main(['--config', {str(config)!r}, '--data-dir', {str(tmp_path / 'd')!r}, "
        f"*{command!r}]); "
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


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


def test_the_command_exits_with_main_s_status_and_all_its_output(tmp_path: Path) -> None:
    """``python -m biotui`` (like the installed ``biotui``) leaves quickly after ``main``: its
    output must still be complete, through a pipe, and its status the one main returned."""
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "Clippings"\npath = "{REPO_NEWS}"\n', encoding="utf-8")
    base = [sys.executable, "-m", "biotui", "--config", str(config), "--data-dir", str(tmp_path)]
    refreshed = subprocess.run([*base, "refresh"], capture_output=True, text=True)
    assert refreshed.returncode == 0
    assert len(refreshed.stdout.splitlines()) == 1  # the feed's summary line
    listed = subprocess.run([*base, "list", "--json"], capture_output=True, text=True)
    assert listed.returncode == 0
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(records) == len(list(REPO_NEWS.iterdir()))
    wrong = subprocess.run([*base, "list", "--filter", '"unbalanced'], capture_output=True)
    assert wrong.returncode == 2
    assert wrong.stderr.decode().startswith("biotui: ")
    closed = subprocess.Popen([*base, "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert closed.stdout is not None and closed.stderr is not None
    closed.stdout.close()  # the reader went away, as with `biotui list | head -0`
    assert closed.wait(30) == 0
    assert closed.stderr.read() == b""
