"""``biotui serve`` over plain HTTP and a websocket: who is refused (403) and what a tab's
app process does, from its first frame to its end (the tab closes, the server stops)."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest
from serve_helpers import Served, start_server, stop_server, wait_gone

FRAME_SECONDS = 30.0
HEADLINE = "CARsgen doses"
"""A clipping's headline as the list draws it (titles are cut to the column)."""


def get(served: Served, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET ``path`` from the server with ``headers`` (Host included when given)."""
    status, body, _ = get_response(served, path, headers)
    return status, body


def get_response(
    served: Served, path: str, headers: dict[str, str] | None = None
) -> tuple[int, bytes, http.client.HTTPMessage]:
    """GET ``path``: the status, body and headers of the answer."""
    split = urlsplit(served.url)
    connection = http.client.HTTPConnection(split.hostname or "", split.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.headers
    finally:
        connection.close()


def test_the_page_loads_with_its_token(served: Served) -> None:
    status, body, headers = get_response(served, f"/{served.token}/")
    assert status == 200
    # Even a script that asked could reach nothing but this server.
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    page = body.decode()
    assert "textual.js" in page
    # Offline means offline: the page names no other host (no web font stylesheet).
    for address in re.findall(r"""(?:https?|wss?)://[^"'\s)]+""", page):
        assert urlsplit(address).netloc == served.authority, address
    status, script = get(served, f"/{served.token}/static/js/textual.js")
    assert status == 200 and len(script) > 100_000
    fonts = re.findall(r'url\("([^"]+\.ttf)"\)', page)
    assert fonts
    for font in fonts:
        assert get(served, urlsplit(font).path)[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/static/js/textual.js",
        "/ws",
        "/download/x",
        "/{wrong}/",
        "/{wrong}/static/js/textual.js",
    ],
)
def test_no_token_or_a_wrong_one_is_refused(served: Served, path: str) -> None:
    wrong = served.token[:-1] + ("A" if served.token[-1] != "A" else "B")
    status, body = get(served, path.format(wrong=wrong))
    assert status == 403
    assert served.token.encode() not in body


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "http://127.0.0.1", "https://{authority}", "null"]
)
def test_a_foreign_origin_is_refused(served: Served, origin: str) -> None:
    headers = {"Origin": origin.format(authority=served.authority)}
    assert get(served, f"/{served.token}/", headers)[0] == 403
    assert get(served, f"/{served.token}/", {"Origin": served.origin})[0] == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "localhost:{port}"])
def test_a_foreign_host_is_refused(served: Served, host: str) -> None:
    """DNS rebinding: a hostile name pointed at 127.0.0.1 still says its own name in Host."""
    port = urlsplit(served.url).port
    headers = {"Host": host.format(port=port)}
    assert get(served, f"/{served.token}/", headers)[0] == 403


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/ws", {}),
        ("/{token}/ws", {"Origin": "http://evil.example"}),
        ("/{token}/ws", {"Host": "evil.example"}),
    ],
)
async def test_a_websocket_without_the_right_token_origin_or_host_is_refused(
    served: Served, path: str, headers: dict[str, str]
) -> None:
    url = f"ws://{served.authority}{path.format(token=served.token)}"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url, headers=headers)
    assert refused.value.status == 403
    assert served.app_pids() == set(), "a refused websocket started an app"


async def read_until(socket: aiohttp.ClientWebSocketResponse, text: str) -> str:
    """What the app draws, until ``text`` is in it."""
    drawn = ""
    async with asyncio.timeout(FRAME_SECONDS):
        while text not in drawn:
            message = await socket.receive()
            assert message.type == aiohttp.WSMsgType.BINARY, message
            drawn += message.data.decode("utf-8", "replace")
    return drawn


async def test_a_tab_shows_the_headlines_and_its_app_ends_with_it(served: Served) -> None:
    url = f"ws://{served.authority}/{served.token}/ws?width=120&height=30"
    async with aiohttp.ClientSession() as session:
        socket = await session.ws_connect(url, headers={"Origin": served.origin})
        await read_until(socket, HEADLINE)
        (app,) = served.app_pids()
        await socket.send_str(json.dumps(["stdin", "?"]))
        await read_until(socket, "undo the last marking")
        await socket.close()
    assert wait_gone(app, 15), "the tab's app outlived its tab"
    assert served.process.poll() is None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_stopping_the_server_ends_every_app(
    clippings_store: tuple[Path, Path], signum: signal.Signals
) -> None:
    """A service manager's SIGTERM, or Ctrl-C's SIGINT (the apps are in groups of their own:
    the terminal's Ctrl-C reaches only the server, which ends them)."""
    server = start_server(*clippings_store)
    try:
        url = f"ws://{server.authority}/{server.token}/ws?width=120&height=30"
        async with aiohttp.ClientSession() as session:
            sockets = [await session.ws_connect(url) for _ in range(2)]
            for socket in sockets:
                await read_until(socket, HEADLINE)
            apps = server.app_pids()
            assert len(apps) == 2
            assert stop_server(server.process, signum)[0] == 0
            for socket in sockets:
                await socket.close()
        for app in apps:
            assert wait_gone(app, 15), "an app outlived the server"
    finally:
        stop_server(server.process)


def test_a_host_other_than_loopback_is_warned_about(clippings_store: tuple[Path, Path]) -> None:
    server = start_server(*clippings_store, "--host", "0.0.0.0")
    status, errors = stop_server(server.process)
    assert status == 0
    assert errors.startswith("biotui: warning: serving on 0.0.0.0, not loopback")


def test_a_port_in_use_is_one_line(clippings_store: tuple[Path, Path]) -> None:
    config, data = clippings_store
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "biotui", "--config", str(config), "--data-dir", str(data)]
        result = subprocess.run(
            [*command, "serve", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert result.stderr == f"biotui: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert result.stdout == ""
