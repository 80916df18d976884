"""Watchlists outside the app: the sparkline, the notification's text, the desktop
notification through a fake ``notify-send`` that records its arguments, and the config's
``notify``."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.config import load_config
from biotui.errors import ConfigError
from biotui.watch.desktop import desktop_notify, escape_body
from biotui.watch.news import MAX_LISTED, WatchNews, notice
from biotui.watch.trend import BLOCKS, sparkline


def test_sparkline_draws_two_days_a_cell_with_any_match_above_the_floor() -> None:
    assert sparkline([0] * 30) == "▁" * 15
    days = [0] * 30
    days[-1] = 8  # today
    days[-3] = 1  # the day before yesterday: its own cell
    assert sparkline(days) == "▁" * 13 + "▂█"
    assert sparkline([1, 2, 3, 4], cells=4) == "▃▅▇█"  # a ceiling of n × 7 / 4
    assert sparkline([5], cells=15) == "█"
    assert sparkline([]) == ""
    assert set(sparkline(list(range(30)))) <= set(BLOCKS)


def test_notice_names_one_watchlist_and_its_headline_or_lists_several() -> None:
    one = WatchNews("CAR-T [b]lupus[/b]", 3, "KJ-C2219 <b>doses</b> & more")
    assert notice([one]) == ("Watchlist CAR-T [b]lupus[/b]", "3 new: KJ-C2219 <b>doses</b> & more")
    many = [WatchNews(f"List {n}", n, f"Headline {n}") for n in range(1, MAX_LISTED + 3)]
    title, text = notice(many)
    assert title == f"{len(many)} watchlists have new articles"
    lines = text.splitlines()
    assert lines[0] == "List 1: 1 new — Headline 1"
    assert lines[-1] == "… and 2 more watchlists" and len(lines) == MAX_LISTED + 1


@pytest.fixture
def fake_notify_send(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ``notify-send`` first on the PATH that writes its arguments as JSON to a file."""
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "argv.json"
    script = folder / "notify-send"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return record


def test_notify_send_gets_plain_arguments_with_the_body_escaped(fake_notify_send: Path) -> None:
    assert desktop_notify("Watchlist -x <b>", "2 new: A <i>drug</i> & a\x1b[31mtrial")
    argv = json.loads(fake_notify_send.read_text(encoding="utf-8"))
    assert argv == [
        "--app-name=biotui",
        "--",
        "Watchlist -x <b>",
        "2 new: A &lt;i&gt;drug&lt;/i&gt; &amp; atrial",  # the escape sequence gone
    ]
    assert escape_body("<&>") == "&lt;&amp;&gt;"


def test_without_notify_send_nothing_happens(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert desktop_notify("Watchlist", "text") is False


def test_notify_is_a_saved_search_setting(make_config: Callable[[str], Path]) -> None:
    config = load_config(
        make_config(
            '[[searches]]\nname = "Loud"\nquery = "lupus"\nnotify = true\n'
            '[[searches]]\nname = "Quiet"\nquery = "myeloma"\n'
        )
    )
    assert [(s.name, s.notify) for s in config.searches] == [("Loud", True), ("Quiet", False)]
    with pytest.raises(ConfigError) as failed:
        load_config(make_config('[[searches]]\nname = "X"\nquery = "y"\nnotify = "yes"\n'))
    assert any("'notify' must be true or false, not a string" in p for p in failed.value.problems)
