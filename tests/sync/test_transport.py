"""The sync backends' HTTP: answers read whole, and every failure one line that names the
server and never what was sent (passwords, keys and tokens travel in forms and headers)."""

from __future__ import annotations

import socket
import threading

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.sync.backend import SyncAuthError, SyncError
from biotui.sync.transport import Transport, server_name

SECRET = "hunter2-very-secret"


def test_a_form_is_posted_and_the_answer_read_as_json(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/api", method="POST", data=f"api_key={SECRET}&i=1&i=2", query_string="api"
    ).respond_with_json({"auth": 1})
    with_server = Transport("server")
    answer = with_server.request(
        "POST",
        httpserver.url_for("/api") + "?api",
        form=[("api_key", SECRET), ("i", "1"), ("i", "2")],
    )
    assert answer.json("server") == {"auth": 1}
    with_server.close()


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (401, SyncAuthError, "HTTP 401: the server refused the credentials"),
        (403, SyncAuthError, "HTTP 403"),
        (500, SyncError, "HTTP 500"),
        (302, SyncError, "moved to https://elsewhere.example/; set [sync] url to it"),
    ],
)
def test_an_error_status_is_one_line_naming_the_server(
    httpserver: HTTPServer, status: int, error: type[SyncError], words: str
) -> None:
    httpserver.expect_request("/api").respond_with_response(
        Response(
            f"token {SECRET}", status=status, headers={"Location": "https://elsewhere.example/"}
        )
    )
    name = server_name(httpserver.url_for("/api"))
    transport = Transport(name)
    with pytest.raises(error) as caught:
        transport.request("POST", httpserver.url_for("/api"), form={"Passwd": SECRET})
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and words in message
    assert SECRET not in message and "\n" not in message


def test_malformed_json_and_a_refused_connection_are_one_line(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api").respond_with_data("<html>not json")
    transport = Transport("srv")
    answer = transport.request("GET", httpserver.url_for("/api"))
    with pytest.raises(SyncError, match=r"^srv: the answer is not valid JSON$"):
        answer.json("srv")
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with pytest.raises(SyncError, match=r"^srv: cannot connect"):
        transport.request("GET", f"http://127.0.0.1:{port}/api", query={"key": SECRET})


def test_a_slow_server_times_out_and_an_oversized_answer_is_cut(httpserver: HTTPServer) -> None:
    stop = threading.Event()

    def slow(request: Request) -> Response:
        stop.wait(5)
        return Response("{}")

    httpserver.expect_request("/big").respond_with_data(b"[" + b"1," * 600_000 + b"1]")
    httpserver.expect_request("/slow").respond_with_handler(slow)
    transport = Transport("srv", timeout=0.5, max_bytes=1_000_000)
    with pytest.raises(SyncError, match=r"^srv: the answer is larger than 1,000,000 bytes$"):
        transport.request("GET", httpserver.url_for("/big"))
    try:
        with pytest.raises(SyncError, match=r"^srv: timed out after 0.5 s$"):
            transport.request("GET", httpserver.url_for("/slow"))
    finally:
        stop.set()


def test_the_server_is_named_without_credentials_or_query() -> None:
    assert server_name("https://me:pw@rss.example:8443/api/greader.php?x=1#f") == (
        "https://rss.example:8443/api/greader.php"
    )
