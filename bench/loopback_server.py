"""An HTTP server on 127.0.0.1 that serves a dataset folder like a slow feed host would.

    python bench/loopback_server.py /tmp/biotui-refresh-bench/net --delay-ms 100 [--port 0]

It prints ``http://127.0.0.1:PORT/`` on its first line once it listens, then serves every file
of the folder (not below it) at ``/NAME`` with:

- ``--delay-ms`` added before each response (a sleep in the request's own thread: no lock is
  held, so 16 clients wait 100 ms together, not one after the other);
- ``ETag`` (size and mtime) and ``Last-Modified``; a request whose ``If-None-Match`` matches,
  or (without ``If-None-Match``) whose ``If-Modified-Since`` is not older than the file, gets
  ``304 Not Modified`` with no body;
- HTTP/1.1 keep-alive, no compression, one ``write`` per response and ``TCP_NODELAY``.

With ``--no-validators`` it sends neither validator and never 304: a host that ignores
conditional requests, so that every refresh downloads every feed again.

Statistics: ``GET /__stats`` returns a JSON object of counts (``200``, ``304``, ``404``,
``other``, ``requests``, ``conditional`` — requests that carried a validator — ``bytes``
sent and ``max_in_flight``, the most requests being answered at once). ``GET /__reset`` returns
the same and sets everything back to zero. These two are answered at once and not counted.

``ServerProcess`` runs the server in its own process, for the benchmark and the tests.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import subprocess
import sys
import threading
import time
import urllib.request
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

CONTENT_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json",
}


class _File:
    """One served file, read once at start."""

    __slots__ = ("body", "etag", "last_modified", "mtime", "type")

    def __init__(self, path: Path) -> None:
        stat = path.stat()
        self.body = path.read_bytes()
        self.mtime = int(stat.st_mtime)
        self.etag = f'"{len(self.body):x}-{stat.st_mtime_ns:x}"'
        self.last_modified = formatdate(self.mtime, usegmt=True)
        self.type = CONTENT_TYPES.get(path.suffix) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )


class FeedServer(ThreadingHTTPServer):
    """A threaded server of the files in ``root`` with a per-response delay and counters."""

    daemon_threads = True
    request_queue_size = 256
    """A burst of connections must not overflow the listen backlog (a 1 s SYN retry)."""

    def __init__(
        self,
        root: Path,
        delay: float,
        port: int = 0,
        host: str = "127.0.0.1",
        validators: bool = True,
    ) -> None:
        """Read every file of ``root`` and listen on ``host:port`` (0: any free port).

        Without ``validators``, no ETag nor Last-Modified is sent and no request gets 304.
        """
        self.delay = delay
        self.validators = validators
        self.files = {f"/{p.name}": _File(p) for p in sorted(root.iterdir()) if p.is_file()}
        self._lock = threading.Lock()
        self._stats = self._zero()
        self._in_flight = 0
        super().__init__((host, port), _Handler)

    @staticmethod
    def _zero() -> dict[str, int]:
        names = ("200", "304", "404", "other", "requests", "conditional", "bytes")
        return {**dict.fromkeys(names, 0), "max_in_flight": 0}

    def begin(self, conditional: bool) -> None:
        """Count a request that starts being answered."""
        with self._lock:
            self._in_flight += 1
            stats = self._stats
            stats["requests"] += 1
            stats["conditional"] += conditional
            stats["max_in_flight"] = max(stats["max_in_flight"], self._in_flight)

    def end(self, status: int, sent: int) -> None:
        """Count a finished response."""
        key = str(status) if status in (200, 304, 404) else "other"
        with self._lock:
            self._in_flight -= 1
            self._stats[key] += 1
            self._stats["bytes"] += sent

    def stats(self, reset: bool = False) -> dict[str, int]:
        """A copy of the counters; with ``reset`` they start again from zero."""
        with self._lock:
            copy = dict(self._stats)
            if reset:
                self._stats = self._zero()
                self._stats["max_in_flight"] = self._in_flight
        return copy


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 120
    server: FeedServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: logging every request would cost more than serving it."""

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        path = self.path.split("?", 1)[0]
        if path in ("/__stats", "/__reset"):
            data = json.dumps(self.server.stats(reset=path == "/__reset")).encode()
            self._send(200, {"Content-Type": "application/json"}, data, body, counted=False)
            return
        none_match = self.headers.get("If-None-Match")
        modified_since = self.headers.get("If-Modified-Since")
        self.server.begin(conditional=bool(none_match or modified_since))
        try:
            if self.server.delay > 0:
                time.sleep(self.server.delay)
            served = self.server.files.get(path)
        except BaseException:
            self.server.end(500, 0)
            raise
        if served is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found\n", body)
            return
        headers = {"Content-Type": served.type, "Cache-Control": "no-cache"}
        if self.server.validators:
            headers["ETag"] = served.etag
            headers["Last-Modified"] = served.last_modified
        if self.server.validators and _not_modified(served, none_match, modified_since):
            self._send(304, headers, b"", False)
        else:
            self._send(200, headers, served.body, body)

    def _send(
        self, status: int, headers: dict[str, str], data: bytes, body: bool, counted: bool = True
    ) -> None:
        """Write the whole response in one call, counted (``counted``) before it is written:
        a client that asks for the counts once it has its answer finds it counted."""
        lines = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}"]
        lines.append(f"Date: {self.date_time_string()}")
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if status != 304:
            lines.append(f"Content-Length: {len(data)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        message = head + data if body else head
        if counted:
            self.server.end(status, len(message))
        self.wfile.write(message)
        self.log_request(status)


def _not_modified(served: _File, none_match: str | None, modified_since: str | None) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since."""
    if none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in none_match.split(",")}
        return "*" in tags or served.etag in tags
    if modified_since is not None:
        try:
            since = parsedate_to_datetime(modified_since).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        return served.mtime <= since
    return False


# -- in another process -----------------------------------------------------------------------


class ServerProcess:
    """``loopback_server.py`` run in a child process; ``url`` is its base address.

    Use as a context manager; ``stats()`` and ``reset()`` read its counters.
    """

    def __init__(self, root: Path, delay_ms: float = 100.0, *, validators: bool = True) -> None:
        """Start serving ``root`` with ``delay_ms`` added to each response."""
        self.root = root
        script = [sys.executable, str(Path(__file__).resolve()), str(root)]
        options = ["--delay-ms", f"{delay_ms}", *([] if validators else ["--no-validators"])]
        self.process = subprocess.Popen(
            [*script, *options],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.process.kill()
            raise RuntimeError(f"loopback server did not start: {line!r}")
        self.url = line.rstrip("/")
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def feed_url(self, name: str) -> str:
        """The address of file ``name`` of the dataset."""
        return f"{self.url}/{name}"

    def _get(self, path: str) -> dict[str, int]:
        with self._opener.open(f"{self.url}{path}", timeout=10) as response:
            stats: dict[str, int] = json.loads(response.read())
        return stats

    def stats(self) -> dict[str, int]:
        """The counters since the last reset."""
        return self._get("/__stats")

    def reset(self) -> dict[str, int]:
        """The counters since the last reset, which start again from zero."""
        return self._get("/__reset")

    def close(self) -> None:
        """Stop the server process."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def main() -> None:
    """Serve the folder until killed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("root", type=Path, help="the dataset folder to serve")
    parser.add_argument("--delay-ms", type=float, default=100.0, help="added to each response")
    parser.add_argument("--port", type=int, default=0, help="0 (default): any free port")
    parser.add_argument(
        "--no-validators", action="store_true", help="no ETag, no Last-Modified, never 304"
    )
    args = parser.parse_args()
    server = FeedServer(
        args.root, args.delay_ms / 1000, args.port, validators=not args.no_validators
    )
    host, port = server.server_address[:2]
    print(f"http://{host!s}:{port}/", flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
