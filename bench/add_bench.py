"""Count the requests and time of ``biotui add PAGE`` for a page that names its feed.

    PYTHONPATH=src python bench/add_bench.py [--items 50] [--rounds 3] [--results bench/RESULTS.md]

Serves, on 127.0.0.1 from a thread of this process, a web page whose ``<link
rel="alternate">`` names its RSS feed, and the feed. Each round runs the ``biotui`` command
(``python -m biotui``, a new process, as a user would) with a fresh configuration and data
folder: ``biotui add http://127.0.0.1:PORT/``. It prints what the server was asked and the wall
time of the command, start-up included. Target: one page fetch and one feed fetch.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
SRC = BENCH_DIR.parent / "src"
sys.path.insert(0, str(BENCH_DIR))

import refresh_bench as rb  # noqa: E402  (bench/ is not a package)

MARK_BEGIN = "<!-- add-bench:begin -->"
MARK_END = "<!-- add-bench:end -->"
TARGET_REQUESTS = 2

PAGE = b"""<!doctype html>
<html><head><title>Lab notes</title>
<link rel="alternate" type="application/rss+xml" title="Lab notes" href="/feed.xml">
</head><body><h1>Lab notes</h1><p>A page that names its feed.</p></body></html>
"""


def feed(items: int) -> bytes:
    newest = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    entries = "".join(
        f"<item><title>Note {n}</title><link>http://notes.example/{n}</link>"
        f"<guid>http://notes.example/{n}</guid>"
        f"<pubDate>{format_datetime(newest - timedelta(hours=n))}</pubDate>"
        f"<description>Body of note {n}.</description></item>"
        for n in range(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Lab notes</title><link>http://notes.example/</link>{entries}"
        "</channel></rss>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, feed_body: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.feed_body = feed_body
        self.requests: list[str] = []
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append(f"GET {self.path}")
        if self.path == "/":
            self._send(PAGE, "text/html; charset=utf-8")
        elif self.path == "/feed.xml":
            self._send(self.server.feed_body, "application/rss+xml; charset=utf-8")
        else:
            self._send(b"not found", "text/plain", status=404)

    def do_HEAD(self) -> None:
        with self.server.lock:
            self.server.requests.append(f"HEAD {self.path}")
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the requests are counted, not logged."""


@contextmanager
def serving(feed_body: bytes) -> Iterator[_Server]:
    server = _Server(feed_body)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_add(url: str) -> tuple[float, int, str]:
    """``biotui add url`` in a new process with a fresh configuration; wall time, status, output."""
    with tempfile.TemporaryDirectory(prefix="biotui-add-bench-") as folder:
        root = Path(folder)
        config = root / "feeds.toml"
        config.write_text("# add benchmark\n", encoding="utf-8")
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "data-home"),
            "XDG_CACHE_HOME": str(root / "cache"),
        }
        command = [sys.executable, "-m", "biotui", "--config", str(config)]
        command += ["--data-dir", str(root / "data"), "add", url]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        return elapsed, done.returncode, (done.stdout + done.stderr).strip()


def main() -> int:
    """Run the benchmark; return 1 if a round asked more than the target or failed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=50, help="items in the served feed")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--results", type=Path, help="rewrite this file's add-bench block")
    args = parser.parse_args()
    walls: list[float] = []
    problems: list[str] = []
    asked: list[str] = []
    output = ""
    with serving(feed(args.items)) as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        for round_number in range(1, args.rounds + 1):
            server.requests.clear()
            wall, status, output = run_add(url)
            asked = list(server.requests)
            walls.append(wall)
            if status != 0:
                problems.append(f"round {round_number}: exit {status}: {output.splitlines()[-1:]}")
            if len(asked) != TARGET_REQUESTS:
                problems.append(f"round {round_number}: {len(asked)} requests: {', '.join(asked)}")
    last_line = (output.splitlines() or [""])[-1]
    rows = [
        f"`biotui add` of a page naming its feed ({args.items} items), served on 127.0.0.1, "
        f"{args.rounds} round(s), a new process each, at `{rb.sb.machine()['commit']}`:",
        "",
        "| figure | value | target |",
        "|---|---:|---|",
        f"| requests the server received (last round) | {len(asked)}: {', '.join(asked)} "
        f"| {TARGET_REQUESTS}: the page, then the feed |",
        f"| wall time, start-up included (median; min–max) | {statistics.median(walls):.2f} s "
        f"({min(walls):.2f}–{max(walls):.2f} s) | |",
        "",
        f"Its last line (the feed's articles stored from the one fetch): `{last_line}`",
    ]
    if problems:
        rows += ["", "Problems:", *(f"- {problem}" for problem in problems)]
    print("\n".join(rows))
    if args.results:
        rb.write_block(args.results, rows, MARK_BEGIN, MARK_END, "Adding a feed from a web page")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
