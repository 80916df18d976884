"""``biotui list --search NAME --new`` (cron's bookmark, apart from the app's) and
``--trend``, run as a user would, over a folder of clippings refreshed in between."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from biotui.cli import main
from biotui.store import Store
from biotui.watch.news import APP, CLI

Run = Callable[..., tuple[int, str, str]]


def clipping(title: str) -> str:
    """A clipping whose headline is ``title``."""
    return f"April 2025 — Test Desk\nBoston — {title}, a report says.\nSource: {title} — Wire\n"


@pytest.fixture
def clips(tmp_path: Path) -> Path:
    """The clippings folder, with one lupus clipping and one other."""
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "one.txt").write_text(clipping("CAR-T puts lupus into remission"), "utf-8")
    (folder / "two.txt").write_text(clipping("Vaccine maker results"), "utf-8")
    return folder


@pytest.fixture
def run(
    make_config: Callable[[str], Path],
    clips: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    """Run ``biotui`` with the clippings and a saved search "Lupus watch"; (status, out, err)."""
    config = make_config(
        f'[[feeds]]\nname = "Clips"\npath = "{clips}"\n'
        '[[searches]]\nname = "Lupus watch"\nquery = "lupus"\n'
    )

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(config), "--data-dir", str(tmp_path / "data"), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def titles(out: str) -> list[str]:
    """The titles of ``list --json`` lines."""
    return [json.loads(line)["title"] for line in out.splitlines()]


def test_new_lists_every_match_first_then_only_what_a_refresh_brought(
    run: Run, clips: Path, tmp_path: Path
) -> None:
    assert run("refresh")[0] == 0
    status, out, err = run("list", "--search", "lupus WATCH", "--new", "--json")
    assert (status, err) == (0, "")
    assert titles(out) == ["CAR-T puts lupus into remission"]  # the first time: every match
    assert run("list", "--search", "Lupus watch", "--new") == (0, "", "")  # nothing new

    (clips / "three.txt").write_text(clipping("Lupus nephritis trial doses patient"), "utf-8")
    (clips / "four.txt").write_text(clipping("Oncology news"), "utf-8")
    assert run("refresh")[0] == 0
    status, out, err = run("list", "--search", "Lupus watch", "--new")
    assert (status, err) == (0, "")
    assert len(out.splitlines()) == 1 and "Lupus nephritis trial doses patient" in out
    assert run("list", "--search", "Lupus watch", "--new", "--json") == (0, "", "")
    # The plain listing still lists both, and the app's bookmark was never touched.
    assert len(run("list", "--search", "Lupus watch")[1].splitlines()) == 2
    with Store.open(tmp_path / "data") as store:
        assert store.watch.bookmarks(APP) == {}
        assert store.watch.bookmarks(CLI) == {"Lupus watch": store.watch.high_water()}


def test_new_and_trend_need_a_saved_search_and_refuse_what_they_cannot_honour(
    run: Run, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(*args: str) -> str:
        with pytest.raises(SystemExit) as exited:
            run(*args)
        assert exited.value.code == 2
        return capsys.readouterr().err.splitlines()[-1]

    for option in ("--new", "--trend"):
        assert refused("list", option) == f"biotui: error: list {option} needs --search NAME"
        for other in ("limit", "muted", "unread"):
            args = ("list", "--search", "Lupus watch", option, f"--{other}")
            message = refused(*args, *(["3"] if other == "limit" else []))
            assert message == f"biotui: error: list {option} cannot be used with --{other}"
    assert "not allowed with" in refused("list", "--search", "Lupus watch", "--new", "--trend")
    status, out, err = run("list", "--search", "Nope", "--new")
    assert status == 2 and out == ""
    assert err.startswith("biotui: no saved search named 'Nope'") and "Lupus watch" in err


def test_trend_prints_thirty_days_ending_today(run: Run) -> None:
    assert run("refresh")[0] == 0
    status, out, err = run("list", "--search", "Lupus watch", "--trend")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 30
    today = datetime.now().astimezone().date().isoformat()
    assert lines[-1].startswith(today)
    # The clipping's date (April 2025) is long gone: nothing in the last 30 days.
    assert all(line.split()[1] == "0" for line in lines)
    status, out, _ = run("list", "--search", "Lupus watch", "--trend", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert records[-1] == {"date": today, "count": 0} and len(records) == 30
