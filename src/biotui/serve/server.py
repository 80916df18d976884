"""The web server of ``biotui serve``: the page, textual-serve's files and one app per tab.

Built with aiohttp's public API: every route lives under the token (see :mod:`guard`), the
page is biotui's own (textual-serve's template links a web font; this one uses the fonts
textual-serve ships), and each websocket runs one app process (:class:`TabProcess`) that ends
with its tab. Stopping the server (SIGINT, SIGTERM) ends every app it started before it
returns.
"""

from __future__ import annotations

import asyncio
import html
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template

from aiohttp import WSMsgType, web

from biotui.serve.guard import Gate, authority, guard, new_token
from biotui.serve.tabs import TabProcess

PAGE = Template(files("biotui.serve").joinpath("page.html").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ServeOptions:
    """Where to listen and what each tab runs: ``argv`` is the app's command line."""

    host: str
    port: int
    argv: tuple[str, ...]
    title: str = "biotui"


@dataclass(frozen=True)
class Listening:
    """The server is up: the URL to open (token included) and the address it is bound to."""

    url: str
    host: str
    port: int


def static_folder() -> Path:
    """textual-serve's own files: textual.js, xterm's CSS and the fonts."""
    return Path(str(files("textual_serve").joinpath("static")))


class TabServer:
    """The aiohttp application and the app processes of its open tabs."""

    def __init__(self, options: ServeOptions, gate: Gate) -> None:
        self.options = options
        self.gate = gate
        self.tabs: set[TabProcess] = set()
        self.sockets: set[web.WebSocketResponse] = set()

    def application(self) -> web.Application:
        app = web.Application(middlewares=[guard(self.gate)])
        prefix = self.gate.prefix
        app.router.add_get(f"{prefix}/", self.page)
        app.router.add_get(f"{prefix}/ws", self.websocket)
        app.router.add_static(f"{prefix}/static", static_folder())
        return app

    async def page(self, request: web.Request) -> web.Response:
        base = f"{self.gate.origin}{self.gate.prefix}"
        text = PAGE.substitute(
            title=html.escape(self.options.title),
            static=html.escape(f"{base}/static"),
            websocket=html.escape(f"ws://{self.gate.authority}{self.gate.prefix}/ws"),
            font_size=_int_query(request, "fontsize", 16),
        )
        response = web.Response(text=text, content_type="text/html")
        response.headers["Content-Security-Policy"] = self.policy()
        return response

    def policy(self) -> str:
        """The page's Content-Security-Policy: nothing but this server, even if a script
        asked (inline styles allowed: the page and the terminal's script use them)."""
        return (
            "default-src 'none'; "
            "script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "font-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' ws://{self.gate.authority}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(heartbeat=15)
        await socket.prepare(request)
        tab = TabProcess(
            self.options.argv,
            write_bytes=socket.send_bytes,
            write_str=socket.send_str,
            close=socket.close,
        )
        self.tabs.add(tab)
        self.sockets.add(socket)
        try:
            await tab.start(_int_query(request, "width", 80), _int_query(request, "height", 24))
            await _relay(socket, tab)
        finally:
            await tab.end()
            self.tabs.discard(tab)
            self.sockets.discard(socket)
            await socket.close()
        return socket

    async def end_all(self) -> None:
        """End every tab's app and close every websocket."""
        await asyncio.gather(*(tab.end() for tab in list(self.tabs)))
        await asyncio.gather(*(socket.close() for socket in list(self.sockets)))


async def _relay(socket: web.WebSocketResponse, tab: TabProcess) -> None:
    """Pass what the browser sends to the app until the tab closes."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = message.json()
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        except (ValueError, TypeError, IndexError, KeyError):
            continue
        if kind == "stdin" and isinstance(data, str):
            await tab.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width, height = data.get("width"), data.get("height")
            if isinstance(width, int) and isinstance(height, int):
                await tab.set_terminal_size(width, height)
        elif kind == "ping":
            await socket.send_json(["pong", data])
        elif kind == "blur":
            await tab.blur()
        elif kind == "focus":
            await tab.focus()


def _int_query(request: web.Request, name: str, default: int) -> int:
    try:
        return max(1, min(int(request.query.get(name, default)), 1000))
    except ValueError:
        return default


def serve(options: ServeOptions, on_listening: Callable[[Listening], None]) -> None:
    """Serve until SIGINT or SIGTERM, then end every app process and return."""
    asyncio.run(_serve(options, on_listening))


async def _serve(options: ServeOptions, on_listening: Callable[[Listening], None]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    # Bound first: with port 0 the system picks a free port, and the Host check needs it.
    listener = bind(options.host, options.port)
    port = listener.getsockname()[1]
    gate = Gate(new_token(), authority(options.host, port))
    server = TabServer(options, gate)
    runner = web.AppRunner(server.application(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.SockSite(runner, listener)
    try:
        await site.start()
        on_listening(Listening(f"{gate.origin}{gate.prefix}/", options.host, port))
        await stop.wait()
    finally:
        # No new tab from here on, then every tab's app ends, then the connections close.
        await site.stop()
        await server.end_all()
        await runner.cleanup()
        listener.close()


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (an OSError names what went wrong)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    listener.setblocking(False)
    return listener
