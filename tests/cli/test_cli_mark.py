"""``biotui mark``: each selector, their combinations, the flags, errors and exit statuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.cli import main
from biotui.store import Store

Run = Callable[..., tuple[int, str, str]]


def clipping(title: str, body: str) -> str:
    return f"April 2025 — Test Desk\nBasel — {body}\nSource: {title} — Example Wire\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def run(
    make_config: Callable[[str], Path],
    tmp_path: Path,
    data: Path,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    """``biotui`` over two refreshed folder feeds: Clips (lupus, myeloma) and Notes (lupus)."""
    texts = {
        "clips": {"a.txt": ("Lupus remission", "CAR-T in lupus."), "b.txt": ("Myeloma", "A drug.")},
        "notes": {"c.txt": ("Lupus note", "More lupus news.")},
    }
    feeds = ""
    for folder, files in texts.items():
        (tmp_path / folder).mkdir()
        for name, (title, body) in files.items():
            (tmp_path / folder / name).write_text(clipping(title, body), encoding="utf-8")
        feeds += f'[[feeds]]\nname = "{folder.title()}"\npath = "{tmp_path / folder}"\n'
    config = make_config(feeds + '[[searches]]\nname = "Lupus"\nquery = "lupus"\n')

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(config), "--data-dir", str(data), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    assert invoke("refresh")[0] == 0
    return invoke


def listed(run: Run) -> dict[str, tuple[bool, bool]]:
    """Title -> (read, starred), as ``biotui list --json`` shows them."""
    status, out, _ = run("list", "--json")
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    return {r["title"]: (r["read"], r["starred"]) for r in records}


def ids(run: Run) -> dict[str, str]:
    _, out, _ = run("list", "--json")
    return {r["title"]: r["id"] for r in map(json.loads, out.splitlines())}


def test_mark_by_ids(run: Run) -> None:
    known = ids(run)
    status, out, err = run("mark", "--read", known["Myeloma"], known["Lupus note"])
    assert (status, out, err) == (0, "marked 2 articles read\n", "")
    assert listed(run) == {
        "Lupus remission": (False, False),
        "Myeloma": (True, False),
        "Lupus note": (True, False),
    }
    status, out, _ = run("mark", "--read", known["Myeloma"], known["Lupus remission"])
    assert (status, out) == (0, "marked 1 article read (1 already was)\n")


def test_mark_all_then_unread(run: Run) -> None:
    assert run("mark", "--read", "--all")[:2] == (0, "marked 3 articles read\n")
    assert all(read for read, _ in listed(run).values())
    assert run("mark", "--unread", "--all")[:2] == (0, "marked 3 articles unread\n")
    assert not any(read for read, _ in listed(run).values())


def test_mark_by_filter_feed_and_search(run: Run) -> None:
    assert run("mark", "--star", "--filter", "lupus")[:2] == (0, "marked 2 articles starred\n")
    assert {t for t, (_, star) in listed(run).items() if star} == {"Lupus remission", "Lupus note"}
    assert run("mark", "--unstar", "--feed", "notes")[:2] == (0, "marked 1 article unstarred\n")
    assert {t for t, (_, star) in listed(run).items() if star} == {"Lupus remission"}
    status, out, _ = run("mark", "--read", "--search", "lupus")
    assert (status, out) == (0, "marked 2 articles read\n")
    assert {t for t, (read, _) in listed(run).items() if read} == {"Lupus remission", "Lupus note"}


def test_selectors_combine(run: Run) -> None:
    assert run("mark", "--read", "--feed", "Clips", "--filter", "lupus")[1] == (
        "marked 1 article read\n"
    )
    assert {t for t, (read, _) in listed(run).items() if read} == {"Lupus remission"}
    # a filter within a saved search (as `list` does), within the feeds named
    assert run("mark", "--star", "--search", "Lupus", "--filter", "note")[1] == (
        "marked 1 article starred\n"
    )
    assert run("mark", "--unread", "--feed", "Clips", "--feed", "Notes")[1] == (
        "marked 1 article unread (2 already were)\n"
    )
    assert listed(run) == {
        "Lupus remission": (False, False),
        "Myeloma": (False, False),
        "Lupus note": (False, True),
    }
    assert run("mark", "--read", "--filter", "-lupus")[1] == "marked 1 article read\n"
    assert {t for t, (read, _) in listed(run).items() if read} == {"Myeloma"}


def test_the_marking_is_one_undoable_action(run: Run, data: Path) -> None:
    before = listed(run)
    run("mark", "--read", "--all")
    with Store.open(data) as store:
        result = store.undo_last()
    assert result is not None and result.changed == 3
    assert listed(run) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--filter", '"unclosed'], "biotui: filter '\"unclosed'"),
        (["--feed", "Nowhere"], "biotui: no feed named 'Nowhere'"),
        (["--search", "Nothing"], "biotui: no saved search named 'Nothing'"),
        ([], "biotui: mark: say which articles"),
        (["some-id", "--all"], "biotui: mark: ids cannot be combined"),
        (["some-id", "--feed", "Clips"], "biotui: mark: ids cannot be combined"),
        (["--all", "--filter", "lupus"], "biotui: mark: --all cannot be combined"),
    ],
)
def test_errors_exit_2_and_mark_nothing(run: Run, args: list[str], message: str) -> None:
    before = listed(run)
    status, out, err = run("mark", "--read", *args)
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(message)
    assert listed(run) == before


def test_a_flag_is_required_and_only_one(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--all"], ["--read", "--star", "--all"]):
        with pytest.raises(SystemExit) as caught:
            run("mark", *args)
        assert caught.value.code == 2


def test_unknown_ids_are_reported_and_exit_1(run: Run) -> None:
    known = ids(run)
    status, out, err = run("mark", "--star", known["Myeloma"], "no-such-id")
    assert status == 1
    assert out == "marked 1 article starred\n"
    assert err == "biotui: no article with id 'no-such-id'\n"
    assert listed(run)["Myeloma"] == (False, True)
