"""HTTP fetching against a raw socket server on 127.0.0.1 that answers byte by byte as told:
kept connections, servers that drop them, trickled headers, broken bodies, odd encodings."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from biotui.errors import SourceError
from biotui.refresh.http import HttpClient, fetch

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>"

Handler = Callable[["RawServer", socket.socket], None]
"""Serves one accepted connection of a server."""


class RawServer:
    """A TCP server on 127.0.0.1 running ``handler`` for each connection, in a thread."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.requests: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str = "/feed.xml") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self.handler(self, conn)

    def read_request(self, conn: socket.socket) -> bytes:
        """Read one request head (up to the blank line); b"" when the client closed."""
        data = b""
        while b"\r\n\r\n" not in data:
            part = conn.recv(65536)
            if not part:
                return b""
            data += part
        self.requests.append(data)
        return data

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Handler) -> RawServer:
        servers.append(RawServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def ok(body: bytes, *headers: str) -> bytes:
    head = "".join(f"{header}\r\n" for header in headers)
    return f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode() + body


def answer_each(reply: bytes, *, delay: float = 0.0) -> Handler:
    """Answers every request of a connection with ``reply``, after ``delay`` seconds."""

    def handler(server: RawServer, conn: socket.socket) -> None:
        while server.read_request(conn):
            time.sleep(delay)
            conn.sendall(reply)

    return handler


def answer_once(reply: bytes) -> Handler:
    """Answers the first request with ``reply``, then closes the connection without a word."""

    def handler(server: RawServer, conn: socket.socket) -> None:
        if server.read_request(conn):
            conn.sendall(reply)

    return handler


def test_requests_of_one_thread_share_a_kept_connection(
    serve: Callable[[Handler], RawServer],
) -> None:
    server = serve(answer_each(ok(FEED)))
    with HttpClient() as client:
        bodies = [fetch(client, server.url(f"/f{n}.xml")).body for n in range(5)]
    assert bodies == [FEED] * 5
    assert server.connections == 1
    assert len(server.requests) == 5


def test_a_kept_connection_the_server_dropped_is_opened_again(
    serve: Callable[[Handler], RawServer],
) -> None:
    # The server says nothing about closing, then closes: the client learns it at its next
    # request.
    server = serve(answer_once(ok(FEED)))
    with HttpClient() as client:
        first = fetch(client, server.url())
        time.sleep(0.2)  # the server has closed its side
        second = fetch(client, server.url())
    assert first.body == second.body == FEED
    assert server.connections == 2


def test_chunked_and_deflated_bodies_are_decoded(serve: Callable[[Handler], RawServer]) -> None:
    packed = zlib.compress(FEED)

    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: deflate\r\n\r\n"
    pieces = [packed[:10], packed[10:]]
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
    server = serve(answer_once(head + chunks))
    with HttpClient() as client:
        assert fetch(client, server.url()).body == FEED


def test_headers_trickled_byte_by_byte_are_cut_off_by_the_deadline(
    serve: Callable[[Handler], RawServer],
) -> None:
    def trickle(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
            conn.sendall(bytes([byte]))
            time.sleep(0.05)  # each byte well within any per-read timeout

    server = serve(trickle)
    started = time.monotonic()
    with HttpClient() as client, pytest.raises(SourceError, match=r"timed out after 0\.5 s"):
        fetch(client, server.url(), timeout=0.5)
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + FEED, "corrupt or cut short"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nContent-Encoding: gzip\r\n\r\nnot gzip!",
            "corrupt or cut short",
        ),
        (b"SSH-2.0-OpenSSH_9.6\r\n", "not HTTP"),
        (b"", "the server closed the connection"),
    ],
)
def test_broken_answers_are_one_line_errors(
    serve: Callable[[Handler], RawServer], answer: bytes, message: str
) -> None:
    server = serve(answer_once(answer))
    with HttpClient() as client, pytest.raises(SourceError, match=message) as caught:
        fetch(client, server.url(), timeout=5)
    assert "\n" not in str(caught.value)


def test_a_redirect_to_another_scheme_is_refused(serve: Callable[[Handler], RawServer]) -> None:
    server = serve(answer_once(b"HTTP/1.1 302 Found\r\nLocation: ftp://example.org/feed\r\n\r\n"))
    with HttpClient() as client, pytest.raises(SourceError, match="unsupported URL scheme"):
        fetch(client, server.url())


def test_a_path_with_spaces_and_accents_is_sent_percent_encoded(
    serve: Callable[[Handler], RawServer],
) -> None:
    server = serve(answer_once(ok(FEED)))
    with HttpClient() as client:
        fetch(client, server.url("/flux/été 2026.xml?q=a b"))
    assert server.requests[0].startswith(b"GET /flux/%C3%A9t%C3%A9%202026.xml?q=a%20b HTTP/1.1")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed", "not http or https"),
        ("http:///feed", "no host"),
        ("http://example.org:99999/feed", "invalid URL"),
    ],
)
def test_unusable_urls_are_refused_before_any_connection(url: str, message: str) -> None:
    with HttpClient() as client, pytest.raises(SourceError, match=message):
        fetch(client, url)


def test_threads_keep_their_own_connections(serve: Callable[[Handler], RawServer]) -> None:
    server = serve(answer_each(ok(FEED), delay=0.05))
    results: list[bytes] = []
    with HttpClient() as client:

        def three() -> None:
            results.extend(fetch(client, server.url()).body for _ in range(3))

        threads = [threading.Thread(target=three) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == [FEED] * 12
    assert server.connections == 4


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no authority signed, made with the openssl tool."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [*command, "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_a_certificate_nobody_vouches_for_is_a_tls_error(
    serve: Callable[[Handler], RawServer], self_signed: tuple[Path, Path]
) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed)

    def tls(server: RawServer, conn: socket.socket) -> None:
        with contextlib.suppress(ssl.SSLError), context.wrap_socket(conn, server_side=True) as s:
            server.read_request(s)
            s.sendall(ok(FEED))

    server = serve(tls)
    url = server.url().replace("http://", "https://")
    with HttpClient() as client, pytest.raises(SourceError, match=r"^TLS error: ") as caught:
        fetch(client, url, timeout=5)
    assert "certificate verify failed" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_closed_client_opens_nothing_more(serve: Callable[[Handler], RawServer]) -> None:
    server = serve(answer_each(ok(FEED)))
    client = HttpClient()
    assert fetch(client, server.url()).body == FEED
    client.close()
    with pytest.raises(SourceError, match="the refresh is over"):
        fetch(client, server.url())
    assert server.connections == 1
