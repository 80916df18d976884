"""Full text during refresh, measured: feeds stored as fast as without it, keys answered.

    PYTHONPATH=src python bench/fulltext_bench.py [--feeds 200] [--items 50] [--rounds 3]
        [--page-delay-ms 20] [--feed-delay-ms 100] [--presses 150] [--results bench/RESULTS.md]

A server process (this script with ``--serve``) serves ``--feeds`` JSON Feeds of ``--items``
teasers each on 127.0.0.1 (``--feed-delay-ms`` before each answer) and the articles' pages on
four more loopback hosts, 127.0.0.2 to 127.0.0.5 (a threaded ``http.server`` each, the feeds'
pages spread over them, ``--page-delay-ms`` before each answer). The pages are generated
article pages of a realistic size (scripts, styles, navigation, a related-links block and an
article of several hundred words, 60–90 KB).

1. **Feeds stored, full text off vs on.** In alternating runs on a fresh store each, the time
   from the refresh's start until every feed's articles are stored (``refresh_all``'s
   ``on_stored``); with full text on, the pages that would follow are cancelled there.
2. **Keys while the pages arrive.** The app, headless (``App.run_test``), on a fresh store
   with full text on: ``r``, then once pages are arriving ``j`` is pressed ``--presses``
   times (one every 40 ms) and each press is timed until the list's cursor has moved; the
   same before the refresh, idle, for reference. Then ``q``, timed until the app is gone.

Prints the figures; ``--results`` rewrites the ``fulltext-bench`` block of that file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

PAGE_HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5")
KEY_TARGET_MS = 100.0
KEY_GAP_S = 0.04
VOCABULARY = (
    "antibody trial phase patients cohort dose endpoint remission lupus nephritis CAR-T "
    "myeloma biopsy safety efficacy regulator approval biotech license manufacturing vector "
    "gene therapy cell receptor oncology readout placebo randomized investigators sites "
    "enrolment biomarker response survival interim analysis company shares financing"
)
WORDS = VOCABULARY.split()


# -- the server process -----------------------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    return " ".join(words).capitalize() + "."


def page_bodies(count: int = 32, seed: int = 27) -> list[str]:
    """``count`` article pages with a ``{title}`` to fill in: head, navigation, article,
    related links, footer, 60–90 KB each."""
    rng = random.Random(seed)
    bodies = []
    for _ in range(count):
        script = "".join(f"var v{i}={rng.random()};" for i in range(rng.randint(900, 1400)))
        style = "".join(f".c{i}{{margin:{i}px;color:#{i:06x}}}" for i in range(600))
        nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
        paragraphs = "".join(
            "<p>" + " ".join(_sentence(rng) for _ in range(rng.randint(3, 6))) + "</p>"
            for _ in range(rng.randint(12, 22))
        )
        related = "".join(
            f'<li><a href="/news/{rng.randint(1, 10**6)}">{_sentence(rng)}</a></li>'
            for _ in range(40)
        )
        bodies.append(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{style}</style><script>{script}</script></head><body>"
            f"<header><ul class='nav'>{nav}</ul></header><main><article><h1>{{title}}</h1>"
            f"<p class='byline'>By A. Writer</p>{paragraphs}</article>"
            f"<aside><h2>Related</h2><ul>{related}</ul></aside></main>"
            "<footer><p>© Bench Wire. All rights reserved.</p></footer></body></html>"
        )
    return bodies


def feed_json(feed: int, items: int, host: str, port: int) -> bytes:
    rng = random.Random(feed)
    entries = [
        {
            "id": f"f{feed}-{n}",
            "title": f"Feed {feed} story {n}: {_sentence(rng)[:60]}",
            "url": f"http://{host}:{port}/a/{feed}/{n}",
            "summary": _sentence(rng),
            "date_published": f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:00:00Z",
        }
        for n in range(items)
    ]
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"F{feed}",
        "items": entries,
    }
    return json.dumps(document).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a client that hangs up (a refresh cancelled) is no server error."""

    def __init__(self, host: str, delay: float, answer: Callable[[str], bytes | None]) -> None:
        self.delay, self.answer = delay, answer
        self.served = 0
        super().__init__((host, 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        time.sleep(self.server.delay)
        body = self.server.answer(self.path)
        kind = "application/feed+json" if self.path.startswith("/feed") else "text/html"
        status = 200 if body is not None else 404
        data = body if body is not None else b"not found"
        self.server.served += 1
        head = (
            f"HTTP/1.1 {status} OK\r\nContent-Type: {kind}; charset=utf-8\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        )
        self.wfile.write(head.encode("latin-1") + data)


def serve(feeds: int, items: int, page_delay: float, feed_delay: float) -> None:
    """Serve the pages and the feeds; print the feeds' base address, then wait for stdin."""
    bodies = page_bodies()

    def page(path: str) -> bytes | None:
        parts = path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "a":
            return None
        body = bodies[zlib.crc32(path.encode()) % len(bodies)]
        return body.replace("{title}", f"Story {parts[1]}-{parts[2]}").encode()

    servers = [_Server(host, page_delay, page) for host in PAGE_HOSTS]
    documents = {
        f"/feed{n}.json": feed_json(n, items, PAGE_HOSTS[n % 4], servers[n % 4].server_address[1])
        for n in range(feeds)
    }
    servers.append(_Server("127.0.0.1", feed_delay, documents.get))
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{servers[-1].server_address[1]}", flush=True)
    sys.stdin.read()  # until the benchmark closes it


class Site:
    """The server process, as a context manager; ``url`` is the feeds' base address."""

    def __init__(self, args: argparse.Namespace) -> None:
        command = [sys.executable, __file__, "--serve", "--feeds", str(args.feeds)]
        command += ["--items", str(args.items), "--page-delay-ms", str(args.page_delay_ms)]
        command += ["--feed-delay-ms", str(args.feed_delay_ms)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().decode().strip()
        if not self.url.startswith("http://"):
            raise RuntimeError("the bench server did not start")

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(10)


# -- the measurements -------------------------------------------------------------------------


def make_config(path: Path, url: str, feeds: int, full_text: bool) -> Any:
    from biotui.config import load_config

    lines = ["[settings]", "refresh_on_start = false", ""]
    for n in range(feeds):
        lines += ["[[feeds]]", f'name = "Feed {n:03d}"', f'url = "{url}/feed{n}.json"']
        lines += ["full_text = true", ""] if full_text else [""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return load_config(path)


def feeds_stored_s(work: Path, url: str, feeds: int, full_text: bool) -> tuple[float, int, int]:
    """One cold refresh: seconds until every feed is stored, articles stored, pages due."""
    from biotui.refresh import refresh_all
    from biotui.refresh.page_pool import page_requests
    from biotui.store import Store

    config = make_config(work / "feeds.toml", url, feeds, full_text)
    cancel = threading.Event()
    seen: list[float] = []
    began = time.perf_counter()

    def stored(outcomes: Sequence[Any]) -> None:
        seen.append(time.perf_counter() - began)
        cancel.set()  # the pages are measured in the app

    with Store.open(work / f"data-{full_text}-{time.monotonic_ns()}") as store:
        refresh_all(config, store, on_stored=stored, cancel=cancel)
        articles = store.total()
        due = len(page_requests(config, store, config.feeds))
    return seen[0], articles, due


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def keys_in_app(work: Path, url: str, feeds: int, presses: int) -> dict[str, Any]:
    """Key latencies idle and while pages arrive, the pages stored meanwhile, and quitting."""
    from textual import events

    from biotui.app.app import BiotuiApp
    from biotui.app.widgets.headline_list import HeadlineList
    from biotui.app.widgets.status_line import StatusLine
    from biotui.store import DB_NAME, Store

    config = make_config(work / "app.toml", url, feeds, True)
    store = Store.open(work / "data-app")
    started = asyncio.Event()
    app = BiotuiApp(config, store, on_started=started.set)
    result: dict[str, Any] = {}

    def activity() -> str:
        return str(app.screen.query_one(StatusLine).activity)

    def pages_done() -> int:
        text = activity()
        if "Fetching pages " not in text:
            return 0
        return int(text.split("Fetching pages ", 1)[1].split("/", 1)[0])

    async def press_j(count: int) -> list[float]:
        headlines = app.screen.query_one(HeadlineList)
        timings = []
        for _ in range(count):
            before = headlines.cursor
            pressed = time.perf_counter()
            app.post_message(events.Key("j", None))
            while headlines.cursor == before:
                await asyncio.sleep(0.001)
            timings.append((time.perf_counter() - pressed) * 1000)
            await asyncio.sleep(KEY_GAP_S)
        return timings

    async with app.run_test(size=(160, 48)) as pilot:
        await asyncio.wait_for(started.wait(), 60)
        await pilot.pause()
        app.post_message(events.Key("r", None))
        deadline = time.monotonic() + 300
        while pages_done() < 50:  # the workers have loaded the page reader
            if time.monotonic() > deadline:
                raise RuntimeError(f"no pages arrived: {activity()!r}")
            await asyncio.sleep(0.05)
        first, cpu = pages_done(), time.process_time()
        window = time.perf_counter()
        result["busy"] = await press_j(presses)
        window = time.perf_counter() - window
        result["pages"] = pages_done() - first
        result["window_s"] = window
        result["ui_cpu"] = (time.process_time() - cpu) / window
        result["total_pages"] = int(activity().split("/", 1)[1].split("…", 1)[0])
        quitting = time.perf_counter()
        app.post_message(events.Key("q", None))
        while app.is_running:
            await asyncio.sleep(0.005)
    result["quit_ms"] = (time.perf_counter() - quitting) * 1000
    store.close()
    with sqlite3.connect(work / "data-app" / DB_NAME) as db:
        texts, failures = db.execute(
            "SELECT count(body), count(*) - count(body) FROM full_texts"
        ).fetchone()
        words = db.execute("SELECT body FROM full_texts WHERE body IS NOT NULL LIMIT 1").fetchone()
    sample = len((words or [""])[0].split())
    result["stored"] = f"{texts:,} full texts ({sample} words the first), {failures:,} failures"
    return result


async def idle_keys(work: Path, url: str, feeds: int, presses: int) -> list[float]:
    """Key latencies in the app over the store the busy run left, no refresh running."""
    from textual import events

    from biotui.app.app import BiotuiApp
    from biotui.app.widgets.headline_list import HeadlineList
    from biotui.store import Store

    config = make_config(work / "app.toml", url, feeds, True)
    store = Store.open(work / "data-app")
    started = asyncio.Event()
    app = BiotuiApp(config, store, on_started=started.set)
    timings = []
    async with app.run_test(size=(160, 48)) as pilot:
        await asyncio.wait_for(started.wait(), 60)
        await pilot.pause()
        headlines = app.screen.query_one(HeadlineList)
        for _ in range(presses):
            before = headlines.cursor
            pressed = time.perf_counter()
            app.post_message(events.Key("j", None))
            while headlines.cursor == before:
                await asyncio.sleep(0.001)
            timings.append((time.perf_counter() - pressed) * 1000)
            await asyncio.sleep(KEY_GAP_S)
        app.exit()
    store.close()
    return timings


def latency_row(name: str, values: Sequence[float]) -> str:
    p95 = percentile(values, 0.95)
    verdict = "ok" if p95 <= KEY_TARGET_MS else "over"
    return (
        f"| {name} | {len(values)} | {statistics.median(values):.1f} | {p95:.1f} | "
        f"{max(values):.1f} | {KEY_TARGET_MS:.0f} | {verdict} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page-delay-ms", type=float, default=20.0)
    parser.add_argument("--feed-delay-ms", type=float, default=100.0)
    parser.add_argument("--presses", type=int, default=150)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--results", type=Path, help="rewrite this file's fulltext-bench block")
    args = parser.parse_args()
    if args.serve:
        serve(args.feeds, args.items, args.page_delay_ms / 1000, args.feed_delay_ms / 1000)
        return 0
    import refresh_bench as rb

    began = time.perf_counter()
    stored: dict[bool, list[float]] = {False: [], True: []}
    checks: dict[bool, str] = {}
    with Site(args) as site, tempfile.TemporaryDirectory(prefix="biotui-fulltext-") as folder:
        work = Path(folder)
        for round_no in range(args.rounds):
            for full_text in (False, True) if round_no % 2 == 0 else (True, False):
                seconds, articles, pages = feeds_stored_s(work, site.url, args.feeds, full_text)
                stored[full_text].append(seconds)
                checks[full_text] = f"{articles:,} articles, {pages:,} pages due"
                state = "on " if full_text else "off"
                print(
                    f"round {round_no + 1}, full text {state}: feeds stored in {seconds:.2f} s "
                    f"({articles:,} articles, {pages:,} pages due)",
                    flush=True,
                )
        busy = asyncio.run(keys_in_app(work, site.url, args.feeds, args.presses))
        idle = asyncio.run(idle_keys(work, site.url, args.feeds, min(args.presses, 60)))
    off, on = stored[False], stored[True]
    ratio = statistics.median(on) / statistics.median(off)
    rate = busy["pages"] / busy["window_s"]
    rows = [
        f"{args.feeds} JSON Feeds of {args.items} teasers on 127.0.0.1 ({args.feed_delay_ms:g} ms "
        f"an answer), their pages (60–90 KB generated articles) on {len(PAGE_HOSTS)} loopback "
        f"hosts ({args.page_delay_ms:g} ms a page), {os.cpu_count()} cores, at "
        f"`{rb.sb.machine()['commit']}`; the benchmark took {time.perf_counter() - began:.0f} s.",
        "",
        "Feeds stored (cold refresh, fresh store, alternating runs; the pages that follow are "
        "cancelled there):",
        "",
        "| full text | runs | median (s) | min–max (s) | target |",
        "|---|---:|---:|---|---|",
        f"| off | {len(off)} | {statistics.median(off):.2f} | {min(off):.2f}–{max(off):.2f} | |",
        f"| on | {len(on)} | {statistics.median(on):.2f} | {min(on):.2f}–{max(on):.2f} | "
        f"the same within noise: {ratio:.2f}× |",
        "",
        f"The app, headless, full text on: `j` pressed every {KEY_GAP_S * 1000:.0f} ms, "
        "press → list cursor moved:",
        "",
        "| keys | n | p50 (ms) | p95 (ms) | max (ms) | target (p95) | verdict |",
        "|---|---:|---:|---:|---:|---:|---|",
        latency_row("while pages arrive", busy["busy"]),
        latency_row("idle, same store", idle),
        "",
        f"- pages stored while the keys were timed: {busy['pages']:,} in "
        f"{busy['window_s']:.1f} s ({rate:.0f} pages/s) of {busy['total_pages']:,} due; the "
        f"app's process used {busy['ui_cpu']:.0%} of a core meanwhile (extraction runs in the "
        "parse workers)",
        f"- `q` while pages arrive → app gone: {busy['quit_ms']:.0f} ms",
        f"- each run stored: full text off {checks[False]}; on {checks[True]}",
        f"- the app's store when it quit: {busy['stored']}",
    ]
    print("\n".join(rows))
    if args.results:
        rb.write_block(
            args.results,
            rows,
            "<!-- fulltext-bench:begin -->",
            "<!-- fulltext-bench:end -->",
            "Full text during refresh",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
