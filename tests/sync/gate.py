"""A proxy on 127.0.0.1 in front of a sync server that holds back one page of items: the
``block_at``-th request ``is_page`` picks waits (``reached`` set) until ``release`` is set, so
that a test can kill biotui while it waits between two pages, every page before stored."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

PagePredicate = Callable[[str, str], bool]
"""``(method, path with query) -> whether it asks for a page of items``."""


def greader_page(method: str, path: str) -> bool:
    return "/stream/contents/" in path or "/stream/items/contents" in path


def fever_page(method: str, path: str) -> bool:
    return "items" in parse_qs(urlsplit(path).query, keep_blank_values=True)


class Gate:
    """Forwards every request to ``upstream`` (scheme://host:port); ``url`` is its own."""

    def __init__(self, upstream: str, is_page: PagePredicate, block_at: int) -> None:
        self.reached = threading.Event()
        self.release = threading.Event()
        self.pages = 0
        self.seen: list[str] = []
        """The pages asked for, in order."""
        lock = threading.Lock()
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._forward(None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._forward(self.rfile.read(length))

            def _forward(self, body: bytes | None) -> None:
                if is_page(self.command, self.path):
                    with lock:
                        gate.pages += 1
                        gate.seen.append(self.path)
                        number = gate.pages
                    if number == block_at:
                        gate.reached.set()
                        gate.release.wait(60)
                headers = {
                    key: value
                    for key, value in self.headers.items()
                    if key.lower() not in ("host", "connection", "accept-encoding")
                }
                request = urllib.request.Request(
                    upstream + self.path, data=body, headers=headers, method=self.command
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as answer:
                        status, kept, data = answer.status, answer.headers, answer.read()
                except urllib.error.HTTPError as exc:
                    status, kept, data = exc.code, exc.headers, exc.read()
                try:
                    self.send_response(status)
                    for key in ("Content-Type", "X-Reader-Google-Bad-Token"):
                        if kept.get(key):
                            self.send_header(key, kept[key])
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client was killed meanwhile
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Gate:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
