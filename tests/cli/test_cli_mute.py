"""``[[mute]]`` rules seen from the command line: ``list`` hides muted articles, ``list
--muted`` shows them, ``show`` still shows one, ``mark`` by a selection leaves them alone, a
starred article is never hidden, and a malformed rule is a configuration error with its place."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.cli import main

Run = Callable[..., tuple[int, str, str]]

MUTE = """
[[mute]]
query = "sponsored OR webinar"

[[mute]]
name = "Clips podcasts"
query = "feed:Clips title:podcast"
"""


def clipping(title: str, body: str) -> str:
    return f"April 2025 — Test Desk\nBasel — {body}\nSource: {title} — Example Wire\n"


@pytest.fixture
def folders(tmp_path: Path) -> str:
    """Two folder feeds: Clips (lupus, a sponsored post, a podcast, a webinar) and Notes
    (a lupus note, a podcast)."""
    texts = {
        "clips": {
            "a.txt": ("Lupus remission", "CAR-T in lupus."),
            "b.txt": ("Sponsored: a better pipette", "Buy it."),
            "c.txt": ("Biotech podcast 12", "We talk."),
            "d.txt": ("Join our webinar", "On trials."),
        },
        "notes": {
            "e.txt": ("Lupus note", "More lupus news."),
            "f.txt": ("Notes podcast", "Talk."),
        },
    }
    feeds = ""
    for folder, files in texts.items():
        (tmp_path / folder).mkdir()
        for name, (title, body) in files.items():
            (tmp_path / folder / name).write_text(clipping(title, body), encoding="utf-8")
        feeds += f'[[feeds]]\nname = "{folder.title()}"\npath = "{tmp_path / folder}"\n'
    return feeds


@pytest.fixture
def run(
    make_config: Callable[[str], Path],
    folders: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    """``biotui`` over the two refreshed feeds, with the two mute rules."""
    config = make_config(folders + MUTE)

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(config), "--data-dir", str(tmp_path / "data"), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    assert invoke("refresh")[0] == 0
    return invoke


def records(run: Run, *args: str) -> dict[str, dict[str, object]]:
    """Title -> record, as ``biotui list --json ARGS`` prints them."""
    status, out, err = run("list", "--json", *args)
    assert (status, err) == (0, "")
    return {r["title"]: r for r in map(json.loads, out.splitlines())}


VISIBLE = {"Lupus remission", "Lupus note", "Notes podcast"}
MUTED = {"Sponsored: a better pipette", "Biotech podcast 12", "Join our webinar"}


def test_list_hides_muted_and_list_muted_shows_them(run: Run) -> None:
    assert set(records(run)) == VISIBLE
    assert set(records(run, "--muted")) == MUTED
    status, out, _ = run("list")
    assert status == 0
    assert "webinar" not in out and "Lupus remission" in out


def test_list_muted_combines_with_filter_search_and_unread(run: Run) -> None:
    assert set(records(run, "--muted", "--filter", "podcast")) == {"Biotech podcast 12"}
    assert set(records(run, "--filter", "podcast")) == {"Notes podcast"}
    assert set(records(run, "--filter", "feed:Clips")) == {"Lupus remission"}
    assert set(records(run, "--muted", "--unread", "--limit", "2")) <= MUTED
    assert len(records(run, "--muted", "--limit", "2")) == 2


def test_show_still_shows_a_muted_article(run: Run) -> None:
    muted = records(run, "--muted")["Join our webinar"]
    status, out, err = run("show", str(muted["id"]))
    assert (status, err) == (0, "")
    assert "Join our webinar" in out
    status, out, _ = run("show", "--json", str(muted["id"]))
    assert json.loads(out)["title"] == "Join our webinar"


@pytest.mark.parametrize(
    "selector",
    [["--all"], ["--filter", "podcast OR lupus"], ["--feed", "Clips"], ["--search", "Pods"]],
)
def test_marking_a_selection_leaves_muted_articles_unread(
    make_config: Callable[[str], Path], folders: str, tmp_path: Path, selector: list[str]
) -> None:
    config = make_config(folders + MUTE + '[[searches]]\nname = "Pods"\nquery = "podcast"\n')
    base = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    assert main([*base, "refresh"]) == 0
    assert main([*base, "mark", "--read", *selector]) == 0
    muted = {}
    for line in _output(base, "list", "--muted", "--json").splitlines():
        record = json.loads(line)
        muted[record["title"]] = record["read"]
    assert muted == dict.fromkeys(MUTED, False)
    assert any(json.loads(line)["read"] for line in _output(base, "list", "--json").splitlines())


def _output(base: list[str], *args: str) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*base, *args]) == 0
    return out.getvalue()


def test_a_starred_article_is_never_hidden(run: Run) -> None:
    webinar = records(run, "--muted")["Join our webinar"]
    assert run("mark", "--star", str(webinar["id"]))[0] == 0
    shown = records(run)
    assert "Join our webinar" in shown and shown["Join our webinar"]["starred"] is True
    assert "Join our webinar" not in records(run, "--muted")
    assert run("mark", "--unstar", str(webinar["id"]))[0] == 0
    assert "Join our webinar" not in records(run)


def test_feeds_counts_leave_muted_articles_out(run: Run) -> None:
    status, out, _ = run("feeds", "--json")
    assert status == 0
    counts = {r["name"]: (r["articles"], r["unread"]) for r in map(json.loads, out.splitlines())}
    assert counts == {"Clips": (1, 1), "Notes": (2, 2)}


def test_a_mark_by_id_reaches_a_muted_article(run: Run) -> None:
    webinar = records(run, "--muted")["Join our webinar"]
    assert run("mark", "--read", str(webinar["id"]))[:2] == (0, "marked 1 article read\n")
    assert records(run, "--muted")["Join our webinar"]["read"] is True


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            '[[mute]]\nquery = "sponsored OR"\n',
            "feeds.toml: mute[1]: 'query' 'sponsored OR': 'OR' needs a term on both sides",
        ),
        ('[[mute]]\nname = "Ads"\n', "feeds.toml: mute[1]: needs a 'query'"),
        ("[[mute]]\nquery = 3\n", "feeds.toml: mute[1]: 'query' must be a string, not an integer"),
        (
            '[[mute]]\nquery = "ads"\ncolour = "red"\n',
            "feeds.toml: mute[1]: unknown key 'colour' (expected name, query)",
        ),
        (
            '[[mute]]\nquery = "ads"\n[[mute]]\nquery = "(a"\n',
            "feeds.toml: mute[2]: 'query' '(a': '(' without ')'",
        ),
        ('mute = "ads"\n', "feeds.toml: mute: must be an array of tables ([[mute]])"),
    ],
)
def test_a_malformed_rule_is_a_configuration_error_with_its_place(
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    body: str,
    problem: str,
) -> None:
    config = make_config(body)
    status = main(["--config", str(config), "--data-dir", str(tmp_path / "data"), "list"])
    err = capsys.readouterr().err
    assert status == 2
    assert f"biotui: {problem}" in err
    assert "Traceback" not in err
