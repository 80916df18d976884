"""A real Fever server for the tests: Coldsweat, from its own virtual environment, on
127.0.0.1 with a fresh database per test module, fetching feeds this module serves on
127.0.0.1 (each names an icon there, and the proxy variables point at a dead local port, so
nothing reaches the internet).

Coldsweat is found in ``$BIOTUI_COLDSWEAT`` or ``<repo>/.coldsweat-venv/bin/coldsweat``; the
tests that need it are skipped, with how to install it, when it is absent.

Fixtures (all module-scoped): ``coldsweat_site`` (the feeds' server), ``coldsweat_server``
(a running Coldsweat with a user, stopped with its process group at the end).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALL = "python3 -m venv .coldsweat-venv && .coldsweat-venv/bin/pip install coldsweat==0.10.2"
EMAIL = "reader@example.org"
PASSWORD = "correct horse battery staple"
ICON = (  # a 1x1 GIF
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def coldsweat_executable() -> Path | None:
    """Coldsweat's command, or None when it is not installed."""
    named = os.environ.get("BIOTUI_COLDSWEAT")
    path = Path(named) if named else REPO / ".coldsweat-venv" / "bin" / "coldsweat"
    return path if path.is_file() and os.access(path, os.X_OK) else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Entry:
    """One entry of a served feed."""

    key: str
    title: str
    published: datetime
    html: str = "<p>Body</p>"


def atom(title: str, base: str, entries: Sequence[Entry]) -> bytes:
    """An Atom feed naming its icon on ``base`` (so Coldsweat asks no icon service)."""
    items = "".join(
        f"<entry><id>urn:test:{escape(e.key)}</id><title>{escape(e.title)}</title>"
        f"<link href={quoteattr(f'{base}/a/{e.key}')}/>"
        f"<updated>{e.published.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>"
        f"<author><name>Ann Author</name></author>"
        f'<content type="html">{escape(e.html)}</content></entry>'
        for e in entries
    )
    newest = max((e.published for e in entries), default=datetime(2020, 1, 1, tzinfo=UTC))
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>"
        f"<link href={quoteattr(base + '/')}/><icon>{escape(base)}/icon.gif</icon>"
        f"<updated>{newest.strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>{items}</feed>"
    ).encode()


class FeedSite:
    """Feeds served from 127.0.0.1: ``put(path, body)`` changes what a path answers."""

    def __init__(self) -> None:
        self._bodies: dict[str, bytes] = {"/icon.gif": ICON}
        bodies = self._bodies

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = bodies.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                kind = "image/gif" if self.path.endswith(".gif") else "application/atom+xml"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def put(self, path: str, body: bytes) -> str:
        """Serve ``body`` at ``path``; its URL."""
        self._bodies[path] = body
        return self.base + path

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class Coldsweat:
    """A running Coldsweat: its Fever URL, its user, its command line, and a second Fever
    client that marks as a user would (from another reader)."""

    executable: Path
    folder: Path
    env: Mapping[str, str]
    url: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def cli(self, *args: str) -> str:
        """Run ``coldsweat ARGS``; its output (a failure fails the test with its output)."""
        done = subprocess.run(
            [str(self.executable), *args],
            env=dict(self.env),
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"coldsweat {args[0]}: {done.stdout}{done.stderr}"
        return done.stdout + done.stderr

    def subscribe(self, feeds: Mapping[str, tuple[str, str]]) -> None:
        """Subscribe the user to ``{title: (url, group)}`` and fetch them (an OPML import)."""
        outlines: dict[str, list[str]] = {}
        for title, (url, group) in feeds.items():
            outlines.setdefault(group, []).append(
                f"<outline type='rss' text={quoteattr(title)} xmlUrl={quoteattr(url)}/>"
            )
        body = "".join(
            f"<outline text={quoteattr(group)}>{''.join(lines)}</outline>"
            for group, lines in outlines.items()
        )
        opml = self.folder / f"subs-{len(list(self.folder.glob('subs-*')))}.opml"
        opml.write_text(
            f"<?xml version='1.0'?><opml version='1.0'><head/><body>{body}</body></opml>",
            encoding="utf-8",
        )
        self.cli("import", str(opml), EMAIL, "-f")

    def fetch(self) -> None:
        """Poll every feed again now. Coldsweat skips a feed checked in the last minutes, so
        its last check is forgotten first (a test's clock does not wait for it)."""
        with sqlite3.connect(self.folder / "coldsweat.db") as db:
            db.execute("UPDATE feeds SET last_checked_on = NULL, last_updated_on = NULL")
        self.cli("fetch")

    def fever(self, *command: str, **form: str) -> dict[str, Any]:
        """One Fever request as another reader would send it."""
        key = hashlib.md5(f"{EMAIL}:{PASSWORD}".encode()).hexdigest()
        target = self.url + "?" + "&".join(["api", *command])
        data = urllib.parse.urlencode({"api_key": key, **form}).encode()
        with urllib.request.urlopen(target, data=data, timeout=30) as answer:
            result: dict[str, Any] = json.loads(answer.read())
        assert result["auth"] == 1
        return result

    def mark(self, item: str, status: str) -> None:
        """Mark an item ``read``, ``unread``, ``saved`` or ``unsaved`` on the server."""
        self.fever(mark="item", **{"as": status}, id=item)

    def items(self) -> list[dict[str, Any]]:
        """Every item of the user, asked 50 ids at a time (Coldsweat's ``since_id`` pages
        are not in id order)."""
        found: list[dict[str, Any]] = []
        start, total = 1, 1
        while len(found) < total:
            window = ",".join(str(n) for n in range(start, start + 50))
            answer = self.fever("items", f"with_ids={window}")
            found += answer.get("items", [])
            total, start = int(answer["total_items"]), start + 50
        return found

    def requests(self) -> int:
        """How many Fever requests the server has answered (its log, written as it answers)."""
        log = (self.folder / "server.log").read_text(encoding="utf-8", errors="replace")
        return log.count('"POST /fever/')

    def ids(self, which: str) -> set[str]:
        """The server's ``unread`` or ``saved`` item ids."""
        listed = self.fever(f"{which}_item_ids")[f"{which}_item_ids"]
        return {part for part in str(listed).split(",") if part}

    def start(self) -> None:
        port = free_port()
        self.process = subprocess.Popen(
            [str(self.executable), "run", "--host", "127.0.0.1", "--port", str(port)],
            env=dict(self.env),
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "server.log").open("wb"),
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{port}/fever/"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.folder / "server.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)  # polling the port until it accepts
        raise AssertionError("coldsweat run did not listen within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_coldsweat(folder: Path) -> Coldsweat:
    """Set up a fresh Coldsweat in ``folder`` (database, user) and run it."""
    executable = coldsweat_executable()
    if executable is None:
        pytest.skip(f"Coldsweat is not installed; from the repository run: {INSTALL}")
    dead = f"http://127.0.0.1:{free_port()}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),
        "FLASK_DATABASE_URL": f"sqlite:///{folder / 'coldsweat.db'}",
        "FLASK_SECRET_KEY": "tests-only",
        "http_proxy": dead,
        "https_proxy": dead,
        "HTTP_PROXY": dead,
        "HTTPS_PROXY": dead,
        "no_proxy": "127.0.0.1",
        "NO_PROXY": "127.0.0.1",
    }
    server = Coldsweat(executable, folder, env)
    server.cli("setup", EMAIL, "-p", PASSWORD)
    server.start()
    return server


@pytest.fixture(scope="module")
def coldsweat_site() -> Iterator[FeedSite]:
    """Feeds served from 127.0.0.1 for the module's Coldsweat."""
    site = FeedSite()
    yield site
    site.close()


@pytest.fixture(scope="module")
def coldsweat_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coldsweat]:
    """A running Coldsweat with a user (``EMAIL``, ``PASSWORD``) and no feeds yet."""
    server = start_coldsweat(tmp_path_factory.mktemp("coldsweat"))
    yield server
    server.stop()
