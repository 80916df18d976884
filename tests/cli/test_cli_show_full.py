"""``biotui show ID --full`` against a teaser feed and its pages on 127.0.0.1: the full text
shown, stored, found by the filter; each kind of failing page shows the teaser and one line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from biotui.cli import main
from biotui.model import FULL_TEXT_NOTE
from page_site import PROSE, RELEASE, TEASER, item_id, site_config

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(
    httpserver: HTTPServer,
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Run]:
    config = site_config(httpserver, make_config)

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(config), "--data-dir", str(tmp_path / "data"), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    status, _, err = invoke("refresh")
    assert status == 0, err
    yield invoke
    RELEASE.set()


def test_show_full_prints_the_page_text_stores_it_and_the_filter_finds_its_words(
    run: Run,
) -> None:
    assert run("list", "--filter", "lupus")[1] == ""
    status, out, err = run("show", item_id("full"), "--full")
    assert (status, err) == (0, "")
    assert PROSE in out and "Nephrologists followed" in out
    assert f"Note: {FULL_TEXT_NOTE} on " in out
    assert TEASER.format(guid="full") not in out and "Home" not in out
    listed = run("list", "--filter", "lupus")[1]
    assert "Story full" in listed and len(listed.splitlines()) == 1
    assert "Story full" in run("list", "--filter", "nephrologists")[1]
    status, out, _ = run("show", item_id("full"))  # stored: shown without fetching again
    assert PROSE in out
    record = json.loads(run("show", item_id("full"), "--json")[1])
    assert PROSE in record["body"] and record["notes"][0].startswith(FULL_TEXT_NOTE)


def test_the_feed_sending_its_teasers_again_keeps_the_full_text(run: Run) -> None:
    run("show", item_id("full"), "--full")
    status, _, _ = run("refresh")
    assert status == 0
    assert PROSE in run("show", item_id("full"))[1]
    assert "Story full" in run("list", "--filter", "lupus")[1]


@pytest.mark.parametrize(
    ("guid", "reason"),
    [
        ("slow", "timed out after 0.5 s"),
        ("big", "body too large (over 20,971,520 bytes)"),
        ("nav", "no article text on the page (only links or short lines)"),
        ("missing", "HTTP 404 NOT FOUND"),
        ("pdf", "not an HTML page (application/pdf)"),
    ],
)
def test_a_failing_page_shows_the_teaser_and_one_line_why(run: Run, guid: str, reason: str) -> None:
    status, out, err = run("show", item_id(guid), "--full")
    assert status == 0
    assert TEASER.format(guid=guid) in out and FULL_TEXT_NOTE not in out
    assert err == f"biotui: no full text for {item_id(guid)}: {reason}\n"


def test_a_hostile_page_gives_its_text_without_script_or_markup(run: Run) -> None:
    status, out, err = run("show", item_id("hostile"), "--full")
    assert status == 0 and PROSE in out, err
    assert "lupus-script-word" not in out and "xxxx" not in out and "<" not in out


def test_show_full_of_an_unknown_id_is_an_error(run: Run) -> None:
    status, out, err = run("show", "0000000000000000", "--full")
    assert (status, out) == (1, "")
    assert err == "biotui: no article with id '0000000000000000'\n"
