"""``full_text = true``: ``biotui refresh`` stores a feed's teasers, then fetches their pages
(served on 127.0.0.1) and waits for them; a page fetched once is not fetched again, a failing
one is tried at most four times in all; the feed sending its teasers again keeps the texts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from biotui.cli import main
from biotui.model import FULL_TEXT_NOTE
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
    status, _, err = run("refresh")
    assert status == 0, err
    assert pages_asked(httpserver) == sorted(["/pages/full", "/pages/hostile", *FAILING])
    listed = run("list", "--filter", "nephrologists")[1]
    assert "Story full" in listed and len(listed.splitlines()) == 1
    shown = run("show", item_id("full"))[1]
    assert PROSE in shown and f"Note: {FULL_TEXT_NOTE}" in shown
    assert TEASER.format(guid="missing") in run("show", item_id("missing"))[1]
    for _ in range(3):  # the failing pages are tried again, the fetched ones are not
        assert run("refresh")[0] == 0
        assert pages_asked(httpserver) == FAILING
    assert run("refresh")[0] == 0
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
