"""HTTP fetching against a real server on 127.0.0.1: validators, errors, limits."""

from __future__ import annotations

import gzip
import io
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.errors import SourceError
from biotui.refresh.http import (
    USER_AGENT,
    FetchResult,
    HttpClient,
    RetryLater,
    fetch,
    parse_retry_after,
)

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>"


def get(url: str, **kwargs: Any) -> FetchResult:
    with HttpClient() as client:
        return fetch(client, url, **kwargs)


def test_200_returns_body_and_validators(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed", headers={"User-Agent": USER_AGENT}).respond_with_data(
        FEED,
        content_type="application/rss+xml",
        headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Apr 2025 10:00:00 GMT"},
    )
    result = get(httpserver.url_for("/feed"))
    assert result.status == 200
    assert result.body == FEED
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 01 Apr 2025 10:00:00 GMT"
    assert result.content_type == "application/rss+xml"


def test_a_body_can_go_to_a_file_as_it_arrives(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(FEED * 1000)
    sink = io.BytesIO()
    with HttpClient() as client:
        result = fetch(client, httpserver.url_for("/feed"), sink=sink)
    assert result.status == 200 and result.body == b""
    assert sink.getvalue() == FEED * 1000


def test_validators_are_sent_and_304_has_no_body(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/feed",
        headers={"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 01 Apr 2025 10:00:00 GMT"},
    ).respond_with_data("", status=304, headers={"ETag": '"v1"'})
    result = get(
        httpserver.url_for("/feed"), etag='"v1"', last_modified="Tue, 01 Apr 2025 10:00:00 GMT"
    )
    assert result.not_modified
    assert result.body == b""


def test_redirect_is_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_data(FEED)
    result = get(httpserver.url_for("/old"))
    assert result.url.endswith("/new")
    assert result.body == FEED


def test_redirect_loop_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(SourceError, match="too many redirects"):
        get(httpserver.url_for("/a"))


@pytest.mark.parametrize(("status", "text"), [(404, "HTTP 404 NOT FOUND"), (500, "HTTP 500")])
def test_http_errors(httpserver: HTTPServer, status: int, text: str) -> None:
    httpserver.expect_request("/feed").respond_with_data("nope", status=status)
    with pytest.raises(SourceError) as caught:
        get(httpserver.url_for("/feed"))
    assert str(caught.value).upper().startswith(text)


def test_slow_server_times_out(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response(FEED)

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"timed out after 0\.5 s"):
        get(httpserver.url_for("/slow"), timeout=0.5)
    assert time.monotonic() - started < 1.4


def test_connection_refused() -> None:
    with pytest.raises(SourceError, match="cannot connect"):
        get("http://127.0.0.1:9/feed", timeout=2)


def test_body_cap(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(SourceError, match="body too large"):
        get(httpserver.url_for("/big"), max_bytes=1000)


def test_gzip_is_decoded_and_the_cap_counts_decoded_bytes(httpserver: HTTPServer) -> None:
    bomb = gzip.compress(b"\0" * 200_000)
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(FEED), headers={"Content-Encoding": "gzip"}
    )
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    result = get(httpserver.url_for("/gz"))
    assert result.body == FEED
    assert len(bomb) < 1000
    with pytest.raises(SourceError, match="body too large"):
        get(httpserver.url_for("/bomb"), max_bytes=100_000)


def test_429_carries_retry_after(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy").respond_with_data(
        "", status=429, headers={"Retry-After": "120"}
    )
    with pytest.raises(RetryLater) as caught:
        get(httpserver.url_for("/busy"))
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > datetime.now(UTC)


def test_parse_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("60", now) == datetime(2026, 1, 1, 0, 1, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 01:00:00 GMT", now) == datetime(
        2026, 1, 1, 1, 0, tzinfo=UTC
    )
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("2147483648 JAN 0 0:0 GMT", now) is None  # year out of range
    assert parse_retry_after("Fri, 31 Dec 9999 23:59:59 -2359", now) is None
    assert parse_retry_after(None, now) is None


def test_the_client_names_itself_and_asks_for_feeds(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/feed", headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    ).respond_with_data(FEED)
    result = get(httpserver.url_for("/feed"))
    assert result.body == FEED
    ((request, _),) = httpserver.log
    assert request.headers["Accept"].startswith("application/rss+xml, application/atom+xml")


def test_environment_proxies_are_ignored(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    httpserver.expect_request("/feed").respond_with_data(FEED)
    assert (get(httpserver.url_for("/feed"))).body == FEED
