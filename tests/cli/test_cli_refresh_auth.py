"""Private feeds end to end: ``biotui refresh`` sends basic auth to the feed's own host only,
runs a password command once for the feeds sharing it, and a failing command skips its feed
with one line that holds neither the command's output nor the password."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from biotui.cli import main
from biotui.secrets import forget_secrets

PASSWORD = "s3cret-hunter2"
BASIC = "Basic " + base64.b64encode(f"reader:{PASSWORD}".encode()).decode()


def rss(guid: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<item><guid>{guid}</guid><title>Story {guid}</title></item></channel></rss>"
    ).encode()


@pytest.fixture(autouse=True)
def fresh_secrets() -> Iterator[None]:
    forget_secrets()
    yield
    forget_secrets()


@pytest.fixture
def other() -> Iterator[HTTPServer]:
    """A second server: another port on 127.0.0.1 is another host for credentials."""
    with HTTPServer(threaded=True) as server:
        yield server


def authorizations(server: HTTPServer) -> dict[str, str | None]:
    return {request.path: request.headers.get("Authorization") for request, _ in server.log}


def invoke(
    config: Path, data: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    status = main(["--config", str(config), "--data-dir", str(data), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_credentials_reach_the_feeds_host_only(
    httpserver: HTTPServer,
    other: HTTPServer,
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("a", "b", "open"):
        httpserver.expect_request(f"/{name}.xml").respond_with_data(
            rss(name), content_type="application/rss+xml"
        )
    httpserver.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": "/b.xml"}
    )
    httpserver.expect_request("/away.xml").respond_with_data(
        "", status=302, headers={"Location": other.url_for("/elsewhere.xml")}
    )
    other.expect_request("/elsewhere.xml").respond_with_data(
        rss("elsewhere"), content_type="application/rss+xml"
    )
    runs = tmp_path / "runs"
    command = f"echo run >> '{runs}'; echo {PASSWORD}"
    config = make_config(
        f"""
[settings]
concurrency = 4

[[feeds]]
name = "A"
url = "{httpserver.url_for("/a.xml")}"
username = "reader"
password_command = "{command}"

[[feeds]]
name = "Moved"
url = "{httpserver.url_for("/old.xml")}"
username = "reader"
password_command = "{command}"

[[feeds]]
name = "Away"
url = "{httpserver.url_for("/away.xml")}"
username = "reader"
password_command = "{command}"

[[feeds]]
name = "Open"
url = "{httpserver.url_for("/open.xml")}"
"""
    )
    data = tmp_path / "data"
    status, out, err = invoke(config, data, capsys, "refresh")
    assert status == 0
    assert out.splitlines() == [
        "✓ A: 1 new, 0 updated",
        "✓ Moved: 1 new, 0 updated",
        "✓ Away: 1 new, 0 updated",
        "✓ Open: 1 new, 0 updated",
    ]
    assert authorizations(httpserver) == {
        "/a.xml": BASIC,
        "/old.xml": BASIC,
        "/b.xml": BASIC,  # a redirect on the feed's own host keeps them
        "/away.xml": BASIC,
        "/open.xml": None,
    }
    assert authorizations(other) == {"/elsewhere.xml": None}
    assert runs.read_text().splitlines() == ["run"]  # three feeds, one run

    _, feeds, _ = invoke(config, data, capsys, "feeds", "--json")
    assert [json.loads(line)["last_error"] for line in feeds.splitlines()] == [None] * 4
    for text in (out, err, feeds, config.read_text()):
        assert PASSWORD not in text.replace(f"echo {PASSWORD}", "")
    assert not any(PASSWORD.encode() in path.read_bytes() for path in data.rglob("*"))


def test_a_failing_command_skips_its_feed_only(
    httpserver: HTTPServer,
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("a", "b"):
        httpserver.expect_request(f"/{name}.xml").respond_with_data(
            rss(name), content_type="application/rss+xml"
        )
    config = make_config(
        f"""
[[feeds]]
name = "Locked"
url = "{httpserver.url_for("/a.xml")}"
username = "reader"
password_command = "echo {PASSWORD}-leaked; echo gpg: decryption failed >&2; exit 2"

[[feeds]]
name = "Open"
url = "{httpserver.url_for("/b.xml")}"
"""
    )
    data = tmp_path / "data"
    status, out, err = invoke(config, data, capsys, "refresh")
    assert status == 0
    error = 'password_command of feed "Locked" failed (exit status 2)'
    assert out.splitlines() == [f"✗ Locked: {error}", "✓ Open: 1 new, 0 updated"]
    assert [request.path for request, _ in httpserver.log] == ["/b.xml"]
    _, feeds, _ = invoke(config, data, capsys, "feeds", "--json")
    assert [json.loads(line)["last_error"] for line in feeds.splitlines()] == [error, None]
    for text in (out, err, feeds):
        assert PASSWORD not in text and "decryption" not in text


def test_the_password_is_asked_only_for_feeds_fetched(
    httpserver: HTTPServer,
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    httpserver.expect_request("/a.xml").respond_with_data(
        rss("a"), content_type="application/rss+xml"
    )
    runs = tmp_path / "runs"
    config = make_config(
        f"""
[[feeds]]
name = "Open"
url = "{httpserver.url_for("/a.xml")}"

[[feeds]]
name = "Private"
url = "{httpserver.url_for("/p.xml")}"
refresh_every = "off"
username = "reader"
password_command = "echo run >> '{runs}'; echo pw"
"""
    )
    status, out, _ = invoke(config, tmp_path / "data", capsys, "refresh", "--due")
    assert status == 0
    assert out.splitlines() == ["✓ Open: 1 new, 0 updated"]
    assert not runs.exists()
