"""``full_text = true``: ``biotui refresh`` stores a feed's teasers, then fetches their pages
(served on 127.0.0.1) and waits for them; a page fetched once is not fetched again, a failing
one is tried at most four times in all; the feed sending its teasers again keeps the texts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from biotui.cli import main
from biotui.cli.formatting import page_summary
from biotui.model import FULL_TEXT_NOTE
from biotui.refresh.pages import PageOutcome
from page_site import PROSE, RELEASE, SLOW_ARRIVED, TEASER, item_id, site_config

Run = Callable[..., tuple[int, str, str]]
FAILING = ["/pages/big", "/pages/missing", "/pages/nav", "/pages/pdf", "/pages/slow"]


@pytest.fixture
def httpserver() -> Iterator[HTTPServer]:
    """A server answering requests at once in threads: the slow page must not hold up the
    others, fetched two at a time per host."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    RELEASE.set()
    server.clear()
    server.stop()


@pytest.fixture
def run(
    httpserver: HTTPServer,
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Run]:
    config = site_config(httpserver, make_config, "full_text = true")
    SLOW_ARRIVED.clear()

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(config), "--data-dir", str(tmp_path / "data"), *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    yield invoke
    RELEASE.set()


def pages_asked(httpserver: HTTPServer) -> list[str]:
    """The pages requested since the last call, sorted, each once (a request cut off by its
    deadline may reach the server twice: the client's one retry of a dropped connection)."""
    log = [r.path for r, _ in httpserver.log if r.path.startswith("/pages/")]
    paths = sorted({path for path in log if path != "/pages/slow"} | set(SLOW_ARRIVED))
    httpserver.clear_log()
    SLOW_ARRIVED.clear()
    return paths


def test_refresh_fetches_the_pages_once_and_retries_failures_at_most_four_times(
    run: Run, httpserver: HTTPServer
) -> None:
    status, out, err = run("refresh")
    assert status == 0, err
    assert pages_asked(httpserver) == sorted(["/pages/full", "/pages/hostile", *FAILING])
    lines = out.splitlines()
    assert lines[:2] == ["✓ Biotech Wire: 7 new, 0 updated", "pages: 2 fetched, 5 failed"]
    assert sorted(lines[2:]) == [
        "    ✗ Story big (Biotech Wire): body too large (over 20,971,520 bytes)",
        "    ✗ Story missing (Biotech Wire): HTTP 404 NOT FOUND",
        "    ✗ Story nav (Biotech Wire): no article text on the page (only links or short lines)",
        "    ✗ Story pdf (Biotech Wire): not an HTML page (application/pdf)",
        "    ✗ Story slow (Biotech Wire): timed out after 0.5 s",
    ]
    listed = run("list", "--filter", "nephrologists")[1]
    assert "Story full" in listed and len(listed.splitlines()) == 1
    shown = run("show", item_id("full"))[1]
    assert PROSE in shown and f"Note: {FULL_TEXT_NOTE}" in shown
    assert TEASER.format(guid="missing") in run("show", item_id("missing"))[1]
    for _ in range(3):  # the failing pages are tried again, the fetched ones are not
        assert run("refresh")[0] == 0
        assert pages_asked(httpserver) == FAILING
    status, out, _ = run("refresh")
    assert status == 0 and out == "✓ Biotech Wire: 0 new, 0 updated\n"  # no pages: no line
    assert pages_asked(httpserver) == []
    assert "Story full" in run("list", "--filter", "nephrologists")[1]  # teasers sent again
    assert PROSE in run("show", item_id("full"))[1]


def test_full_text_must_be_true_or_false(
    make_config: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config(
        '[[feeds]]\nname = "A"\nurl = "https://a.example/feed"\nfull_text = "yes"\n'
    )
    assert main(["--config", str(config), "--data-dir", str(tmp_path / "d"), "list"]) == 2
    assert "'full_text' must be true or false, not a string" in capsys.readouterr().err


def test_the_pages_summary_names_five_failures_and_counts_the_rest() -> None:
    pages = [PageOutcome(f"id{n}", "HTTP 500", "Feed", f"Story {n}") for n in range(7)]
    lines = page_summary([PageOutcome("ok", None, "Feed", "Fine"), *pages])
    assert lines[0] == "pages: 1 fetched, 7 failed"
    assert lines[1:6] == [f"    ✗ Story {n} (Feed): HTTP 500" for n in range(5)]
    assert lines[6:] == ["    … and 2 more"]
