"""``biotui refresh --due`` end to end against a server on 127.0.0.1; a feed's own timeout
and User-Agent as the server sees them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.cli import main
from biotui.refresh.http import USER_AGENT
from biotui.store import Store

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><guid>{g}</guid><title>Story {g}</title></item></channel></rss>"
)


def rss(guid: str) -> bytes:
    return RSS.replace(b"{g}", guid.encode())


@pytest.fixture
def run(
    httpserver: HTTPServer,
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str]]:
    for name in ("a", "b", "c"):
        httpserver.expect_request(f"/{name}.xml").respond_with_data(
            rss(name), content_type="application/rss+xml"
        )
    config = make_config(
        f"""
[settings]
refresh_every = "30m"
concurrency = 2

[[feeds]]
name = "A"
url = "{httpserver.url_for("/a.xml")}"

[[feeds]]
name = "B"
url = "{httpserver.url_for("/b.xml")}"
refresh_every = "off"

[[feeds]]
name = "C"
url = "{httpserver.url_for("/c.xml")}"
refresh_every = "1h"
user_agent = "MyReader/1.0"
"""
    )
    data = tmp_path / "data"

    def invoke(*args: str) -> tuple[int, str]:
        status = main(["--config", str(config), "--data-dir", str(data), *args])
        return status, capsys.readouterr().out

    return invoke


def asked(httpserver: HTTPServer) -> list[tuple[str, str]]:
    """Each request's path and User-Agent, in order, then forget them."""
    seen = [(request.path, request.headers.get("User-Agent", "")) for request, _ in httpserver.log]
    httpserver.clear_log()
    return seen


def age(data: Path, minutes: float) -> None:
    """Make every feed's last check ``minutes`` older, through the store's public API."""
    with Store.open(data) as store:
        statuses = store.feed_statuses()
        store.save_feed_statuses(
            [
                replace(s, last_checked=s.last_checked - timedelta(minutes=minutes))
                for s in statuses
                if s.last_checked is not None
            ]
        )


def test_refresh_due_takes_only_the_feeds_that_are_due(
    run: Callable[..., tuple[int, str]], httpserver: HTTPServer, tmp_path: Path
) -> None:
    status, out = run("refresh", "--due")
    assert status == 0
    assert sorted(asked(httpserver)) == [("/a.xml", USER_AGENT), ("/c.xml", "MyReader/1.0")]
    assert out.splitlines() == ["✓ A: 1 new, 0 updated", "✓ C: 1 new, 0 updated"]

    assert run("refresh", "--due") == (0, "no feed is due\n")
    assert asked(httpserver) == []

    age(tmp_path / "data", 31)  # A (every 30m) is due again; C (every 1h) is not
    status, out = run("refresh", "--due")
    assert [path for path, _ in asked(httpserver)] == ["/a.xml"]
    assert [line.split(":")[0] for line in out.splitlines()] == ["✓ A"]

    status, out = run("refresh")  # a plain refresh still takes every feed, B included
    assert sorted(path for path, _ in asked(httpserver)) == ["/a.xml", "/b.xml", "/c.xml"]
    _, listed = run("list")
    assert all(f"Story {guid}" in listed for guid in "abc"), listed


def test_a_feeds_own_timeout_cuts_it_off(
    httpserver: HTTPServer,
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def slow(request: Request) -> Response:
        time.sleep(2)
        return Response(rss("s"), content_type="application/rss+xml")

    httpserver.expect_request("/slow.xml").respond_with_handler(slow)
    httpserver.expect_request("/fine.xml").respond_with_data(rss("f"), content_type="text/xml")
    config = make_config(
        f"""
[settings]
timeout = 30

[[feeds]]
name = "Slow"
url = "{httpserver.url_for("/slow.xml")}"
timeout = 0.5

[[feeds]]
name = "Fine"
url = "{httpserver.url_for("/fine.xml")}"
"""
    )
    assert (
        main(["--config", str(config), "--data-dir", str(tmp_path / "d"), "refresh", "--due"]) == 0
    )
    out = capsys.readouterr().out
    slow_line = next(line for line in out.splitlines() if "Slow:" in line)
    assert "timed out after 0.5 s" in slow_line
    assert "timed out" not in next(line for line in out.splitlines() if "Fine:" in line)
