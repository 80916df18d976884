"""Refresh, ingest and open: biotui against newsboat on the same data, in one run (issue 6).

    python bench/refresh_bench.py --rounds 3 --results bench/RESULTS.md
    python bench/refresh_bench.py --only net --rounds 1 --no-newsboat   # quick look

Run by hand; no test depends on it. What it measures (``--only`` picks some, comma-separated):

- **net** — 200 feeds × 50 items served by ``loopback_server.py`` with 100 ms per response.
  Each round, in alternating order, each tool refreshes into a fresh data dir ("cold"), then
  again on the same dir ("second"; newsboat also a "third" time: its second reload is never
  conditional). The server's counts of 200 and 304 answers are read after every run. Once:
  newsboat with its default ``reload-threads`` 1. The network floor is
  ⌈200 / concurrency⌉ × 100 ms.
- **big** — 20 feeds × 2,500 items (≈ 130 MB) served without delay: time of a cold ingest and
  peak memory: the largest process (``ru_maxrss`` from ``wait4``) and the sum of RSS over the
  process tree (sampled every 50 ms).
- **open** — the real app in tmux (``search_bench.py``'s driver): from start to the newest
  headline on screen with caches of 10k, 50k and 100k articles (``make_store.py``), and
  newsboat opening the 50k-item cache left by its **big** ingest, until its feed list shows.
- **responsive** — the app on a copy of the 10k cache, configured with the **big** feeds:
  ``r``, then ``j``/``k`` alternately while the refresh runs, each timed until the headline
  list changes on screen (idle presses before, for comparison).

biotui runs as ``python -m biotui --config FEEDS --data-dir DIR refresh`` with
``[settings] concurrency`` (default: biotui's own); newsboat as ``newsboat -x reload -u URLS
-c CACHE -C CONFIG`` with ``reload-threads`` equal to that concurrency. newsboat is installed
with ``apt-get install -y newsboat`` when missing; when that fails (or with ``--no-newsboat``)
biotui's side runs alone. Datasets live under ``--data`` and are reused when their manifests
match. ``--results FILE`` rewrites the block between the ``refresh-bench`` markers of FILE.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import search_bench as sb  # noqa: E402  (bench/ is not a package)
from loopback_server import ServerProcess  # noqa: E402

MARK_BEGIN = "<!-- refresh-bench:begin -->"
MARK_END = "<!-- refresh-bench:end -->"
PARTS = ("net", "big", "open", "responsive")
TARGETS = {
    "cold_floor": 1.3,
    "cold_newsboat": 0.6,
    "second_floor": 1.2,
    "big_newsboat": 0.5,
    "cold_baseline": 1.25,
    "big_mb": 300.0,
    "first_headline": 0.5,
    "key": 0.100,
}
CORES = os.cpu_count() or 1
"""The cores the work can spread over: CPU time ÷ this is the least wall time it can take."""
RUN_TIMEOUT = 900.0
"""A refresh that takes longer than this is killed and counted as failed."""
KEY_SPACING = 0.1
"""While the refresh runs, a key is pressed at most this often (a person scrolling)."""
IDLE_KEYS = 20
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY")


# -- running and measuring one process --------------------------------------------------------


@dataclass
class Run:
    """One finished process: wall time, exit status, memory, output."""

    seconds: float
    returncode: int
    max_rss_mb: float
    """``ru_maxrss`` from ``wait4``: the largest single process of the tree."""
    tree_mb: float | None
    """Peak of the summed RSS of the process and its descendants, sampled; None if unsampled."""
    cpu_seconds: float
    """User and system time of the process and the children it waited for (its workers)."""
    stdout: str
    stderr: str


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found += [int(child) for child in children.read().split()]
        except OSError:
            continue
    return found


def tree_rss_bytes(root: int) -> int:
    """The summed RSS of ``root`` and all its descendants (shared pages counted in each)."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        pending += _children(pid)
    return total


def run_measured(
    argv: Sequence[str],
    env: dict[str, str],
    *,
    sample_tree: bool = False,
    timeout: float = RUN_TIMEOUT,
) -> Run:
    """Run ``argv`` to its end; wall time from spawn to exit, memory from ``wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        process = subprocess.Popen(
            list(argv), stdout=out, stderr=err, env=env, start_new_session=True
        )
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                peak[0] = max(peak[0], tree_rss_bytes(process.pid))

        def kill() -> None:
            if not done.wait(timeout):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, 9)

        watchers = [threading.Thread(target=kill, daemon=True)]
        if sample_tree:
            watchers.append(threading.Thread(target=sample, daemon=True))
        for watcher in watchers:
            watcher.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
        done.set()
        process.returncode = os.waitstatus_to_exitcode(status)
        for watcher in watchers:
            watcher.join()
        out.seek(0)
        err.seek(0)
        return Run(
            seconds=seconds,
            returncode=process.returncode,
            max_rss_mb=usage.ru_maxrss / 1024,
            tree_mb=peak[0] / 2**20 if sample_tree else None,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


# -- the two readers --------------------------------------------------------------------------


@dataclass
class Reader:
    """How to run one reader against a list of feed URLs in a run folder."""

    kind: str
    """``biotui`` or ``newsboat``."""
    threads: int
    """biotui's ``concurrency`` or newsboat's ``reload-threads``."""
    env: dict[str, str]
    name: str = ""
    """What tables call it (default: ``kind``); ``biotui-baseline`` for ``--baseline``."""

    @property
    def title(self) -> str:
        """The reader's name in tables and run folders."""
        return self.name or self.kind

    @property
    def label(self) -> str:
        """For tables: ``biotui (concurrency 16)``, ``newsboat (reload-threads 1)``."""
        knob = "concurrency" if self.kind == "biotui" else "reload-threads"
        return f"{self.title} ({knob} {self.threads})"

    def prepare(self, run_dir: Path, urls: list[str], prefix: str, fresh: bool = True) -> None:
        """Write the reader's configuration for ``urls`` into ``run_dir`` (emptied first)."""
        if fresh and run_dir.exists():
            shutil.rmtree(run_dir)
        run_dir.mkdir(parents=True, exist_ok=True)
        if self.kind == "biotui":
            feeds = "".join(
                f'[[feeds]]\nname = "{prefix}-{number:03d}"\nurl = "{url}"\n\n'
                for number, url in enumerate(urls)
            )
            (run_dir / "feeds.toml").write_text(
                f"[settings]\nconcurrency = {self.threads}\nrefresh_on_start = false\n"
                f"timeout = 120\n\n{feeds}",
                encoding="utf-8",
            )
        else:
            (run_dir / "urls").write_text("".join(f"{url}\n" for url in urls), encoding="utf-8")
            (run_dir / "config").write_text(
                f"reload-threads {self.threads}\ndownload-timeout 120\n", encoding="utf-8"
            )
            (run_dir / "home").mkdir(exist_ok=True)

    def refresh_argv(self, run_dir: Path) -> list[str]:
        """The command of one refresh (reload) in ``run_dir``."""
        if self.kind == "biotui":
            return [
                *sb.biotui_command(run_dir / "feeds.toml", run_dir / "data"),
                "refresh",
            ]
        return ["newsboat", "-x", "reload", *self.files(run_dir)]

    def open_argv(self, run_dir: Path) -> list[str]:
        """newsboat's interactive start on the cache of ``run_dir`` (no reload)."""
        return ["env", f"HOME={run_dir / 'home'}", "newsboat", *self.files(run_dir)]

    @staticmethod
    def files(run_dir: Path) -> list[str]:
        """newsboat's ``-u URLS -c CACHE -C CONFIG``."""
        return [
            "-u",
            str(run_dir / "urls"),
            "-c",
            str(run_dir / "cache.db"),
            "-C",
            str(run_dir / "config"),
        ]

    def run(self, run_dir: Path, *, sample_tree: bool = False) -> Run:
        """One refresh in ``run_dir``, measured."""
        env = self.env
        if self.kind == "newsboat":
            env = {**env, "HOME": str(run_dir / "home")}
        return run_measured(self.refresh_argv(run_dir), env, sample_tree=sample_tree)

    def stored(self, run_dir: Path) -> int | None:
        """How many articles (items) the reader holds after its runs in ``run_dir``."""
        path = run_dir / ("data/biotui.db" if self.kind == "biotui" else "cache.db")
        if not path.exists():
            return None
        table = "articles" if self.kind == "biotui" else "rss_item"
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        except sqlite3.Error:
            return None


@dataclass
class BiotuiSummary:
    """What ``biotui refresh`` printed: one line per feed."""

    ok: int = 0
    not_modified: int = 0
    failed: int = 0
    new: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


_OUTCOME = re.compile(r"^✓ .*: (\d+) new, (\d+) updated$")


def parse_biotui(stdout: str) -> BiotuiSummary:
    """Count the per-feed lines of ``biotui refresh``."""
    summary = BiotuiSummary()
    for line in stdout.splitlines():
        match = _OUTCOME.match(line)
        if match:
            summary.ok += 1
            summary.new += int(match[1])
            summary.updated += int(match[2])
        elif line.startswith("= "):
            summary.not_modified += 1
        elif line.startswith("✗ "):
            summary.failed += 1
            summary.errors.append(line)
    return summary


# -- bookkeeping ------------------------------------------------------------------------------


@dataclass
class Results:
    """Every series measured, the checks that failed and notes for the report."""

    series: dict[str, sb.Series] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, list[dict[str, int]]] = field(default_factory=dict)
    """Server statistics of each run, by series name."""
    floor: float | None = None
    """The network floor of the net refresh, in seconds."""

    def get(self, name: str, unit: str = "ms") -> sb.Series:
        """The series called ``name``, created on first use."""
        if name not in self.series:
            self.series[name] = sb.Series(name, unit=unit)
        return self.series[name]

    def median(self, name: str) -> float | None:
        """The median of series ``name``, or None if it has no samples."""
        one = self.series.get(name)
        return one.stats().get("median") if one is not None else None


def say(out: TextIO, text: str) -> None:
    """Print a progress line at once."""
    print(text, file=out, flush=True)


def check_run(
    results: Results,
    reader: Reader,
    run: Run,
    run_dir: Path,
    expected_new: int,
    expected_total: int,
    what: str,
) -> str:
    """Check a run's exit status and counts; return a short description of what it did."""
    if run.returncode != 0:
        results.problems.append(
            f"{what}, {reader.label}: exit {run.returncode}: {run.stderr.strip()[-300:]}"
        )
    stored = reader.stored(run_dir)
    if stored != expected_total:
        results.problems.append(
            f"{what}, {reader.label}: {stored} articles stored, expected {expected_total}"
        )
    if reader.kind != "biotui":
        return f"{stored} stored"
    summary = parse_biotui(run.stdout)
    if summary.new != expected_new or summary.failed:
        results.problems.append(
            f"{what}, {reader.label}: {summary.new} new (expected {expected_new}), "
            f"{summary.failed} failed {summary.errors[:2]}"
        )
    return (
        f"{summary.ok} ok ({summary.new} new, {summary.updated} updated), "
        f"{summary.not_modified} not modified, {summary.failed} failed; {stored} stored"
    )


def describe(run: Run, stats: dict[str, int] | None = None) -> str:
    """One line about a run."""
    text = f"{run.seconds:6.2f} s, cpu {run.cpu_seconds:5.2f} s, maxrss {run.max_rss_mb:.0f} MB"
    if run.tree_mb is not None:
        text += f", tree {run.tree_mb:.0f} MB"
    if stats is not None:
        text += (
            f"; server: {stats['200']}×200 {stats['304']}×304 "
            f"(+{stats['404'] + stats['other']} other), in flight ≤ {stats['max_in_flight']}"
        )
    return text


def alternate(items: Sequence[Any], round_no: int) -> list[Any]:
    """``items`` in rotated order, so that no reader always runs first."""
    shift = round_no % max(1, len(items))
    return [*items[shift:], *items[:shift]]


def warm_up(readers: Iterable[Reader], server: ServerProcess, names: list[str], root: Path) -> None:
    """A refresh of two feeds per reader: bytecode compiled, binaries and libraries cached."""
    urls = [server.feed_url(name) for name in names[:2]]
    for reader in readers:
        run_dir = root / f"warm-up-{reader.title}"
        reader.prepare(run_dir, urls, "warm")
        reader.run(run_dir)
        shutil.rmtree(run_dir, ignore_errors=True)
    server.reset()


# -- figure 1 and 2: net ----------------------------------------------------------------------


def bench_net(
    root: Path,
    manifest: dict[str, Any],
    readers: list[Reader],
    slow: Reader | None,
    rounds: int,
    delay_ms: float,
    results: Results,
    out: TextIO,
) -> None:
    """Cold and second refresh of **net** by each reader, alternating, ``rounds`` times."""
    names = [entry["name"] for entry in manifest["files"]]
    total = int(manifest["total_items"])
    with ServerProcess(root / "net", delay_ms) as server:
        urls = [server.feed_url(name) for name in names]
        warm_up([*readers, *([slow] if slow else [])], server, names, root / "runs")
        for round_no in range(rounds):
            for reader in alternate(readers, round_no):
                run_dir = root / "runs" / f"net-{reader.title}"
                reader.prepare(run_dir, urls, "net")
                passes = ["cold", "second"] + (["third"] if reader.kind == "newsboat" else [])
                for number, name in enumerate(passes):
                    line = net_run(
                        reader, run_dir, server, f"net {name}, {reader.label}",
                        total if number == 0 else 0, total, results,
                    )  # fmt: skip
                    say(out, f"  round {round_no + 1}/{rounds} {line}")
        if slow is not None:
            run_dir = root / "runs" / "net-newsboat-1"
            slow.prepare(run_dir, urls, "net")
            line = net_run(slow, run_dir, server, f"net cold, {slow.label}", total, total, results)
            say(out, f"  once {line}")


def net_run(
    reader: Reader,
    run_dir: Path,
    server: ServerProcess,
    series: str,
    new: int,
    total: int,
    results: Results,
) -> str:
    """One timed refresh of **net** in ``run_dir``, recorded under ``series``, checked for
    ``new`` new articles of ``total``; returns the line that describes it."""
    run = reader.run(run_dir)
    stats = server.reset()
    results.get(series).add(run.seconds if run.returncode == 0 else None)
    results.get(f"{series}, CPU").add(run.cpu_seconds if run.returncode == 0 else None)
    results.counts.setdefault(series, []).append(stats)
    did = check_run(results, reader, run, run_dir, new, total, series)
    return f"{series}: {describe(run, stats)}; {did}"


# -- figure 3: big ----------------------------------------------------------------------------


def bench_big(
    root: Path,
    manifest: dict[str, Any],
    readers: list[Reader],
    rounds: int,
    results: Results,
    out: TextIO,
) -> None:
    """Cold ingest of **big** by each reader, alternating: time and peak memory."""
    names = [entry["name"] for entry in manifest["files"]]
    total = int(manifest["total_items"])
    with ServerProcess(root / "big", 0) as server:
        urls = [server.feed_url(name) for name in names]
        warm_up(readers, server, names, root / "runs")
        for round_no in range(rounds):
            for reader in alternate(readers, round_no):
                run_dir = root / "runs" / f"big-{reader.title}"
                reader.prepare(run_dir, urls, "big")
                run = reader.run(run_dir, sample_tree=True)
                stats = server.reset()
                ok = run.returncode == 0
                results.get(f"big ingest, {reader.label}").add(run.seconds if ok else None)
                results.get(f"big peak RSS, largest process, {reader.title}", "MB").add(
                    run.max_rss_mb if ok else None
                )
                results.get(f"big peak RSS, process tree, {reader.title}", "MB").add(
                    run.tree_mb if ok else None
                )
                did = check_run(results, reader, run, run_dir, total, total, "big ingest")
                say(
                    out,
                    f"  round {round_no + 1}/{rounds} big ingest, {reader.label}: "
                    f"{describe(run, stats)}; {did}",
                )


def ensure_newsboat_cache(
    root: Path, manifest: dict[str, Any], reader: Reader, out: TextIO
) -> Path | None:
    """The run folder of newsboat's **big** ingest (its 50k cache), made now if missing."""
    run_dir = root / "runs" / "big-newsboat"
    if reader.stored(run_dir) == manifest["total_items"] and (run_dir / "urls").exists():
        return run_dir
    say(out, "  newsboat has no big cache yet: ingesting big (untimed) …")
    names = [entry["name"] for entry in manifest["files"]]
    with ServerProcess(root / "big", 0) as server:
        reader.prepare(run_dir, [server.feed_url(name) for name in names], "big")
        reader.run(run_dir)
    return run_dir if reader.stored(run_dir) == manifest["total_items"] else None


# -- figure 4: open ---------------------------------------------------------------------------


_NEWSBOAT_ROW = re.compile(r"\(\s*\d+/\s*\d+\)")


def newsboat_ready(lines: list[str]) -> bool:
    """True when newsboat's feed list is on screen: its title and a ``(unread/total)`` row."""
    return any("Your feeds" in line for line in lines[:2]) and any(
        _NEWSBOAT_ROW.search(line) for line in lines[1:]
    )


def bench_open(
    root: Path,
    feedgen: ModuleType,
    newsboat: tuple[Reader, Path] | None,
    rounds: int,
    poll: float,
    size: tuple[int, int],
    env: dict[str, str],
    results: Results,
    out: TextIO,
) -> None:
    """Start to first headline for each cache, and newsboat opening its 50k cache."""
    starts: list[tuple[str, list[str], Callable[[list[str]], bool]]] = []
    for articles in feedgen.CACHE_SIZES:
        manifest, built = feedgen.ensure_cache(root, articles)
        state = f"built in {manifest['build_seconds']} s" if built else "reused"
        say(out, f"  cache of {articles:,} articles: {state}")
        data_dir = feedgen.cache_dir(root, articles)
        no_refresh, _refresh, _feed = sb.write_configs(data_dir)
        starts.append(
            (
                f"first headline, biotui, {articles // 1000}k cached",
                sb.biotui_command(no_refresh, data_dir),
                sb.shows(manifest["newest_title"][:24]),
            )
        )
    if newsboat is not None:
        reader, run_dir = newsboat
        items = reader.stored(run_dir) or 0
        starts.append(
            (
                f"feed list, newsboat, {items // 1000}k cached",
                reader.open_argv(run_dir),
                newsboat_ready,
            )
        )
    tmux = sb.Tmux(*size, env=env)
    try:
        for name, argv, seen in starts:  # warm the caches; record biotui's start frame
            sb.run_app(tmux, argv, seen, poll, ready=None if "newsboat" in name else sb.app_ready)
            sb.settle(tmux, 0.3, poll)
        for round_no in range(rounds):
            for name, argv, seen in alternate(starts, round_no):
                ours = name.startswith("first headline")
                ready, shown, _pid = sb.run_app(
                    tmux, argv, seen, poll, ready=sb.app_ready if ours else None
                )
                results.get(name).add(shown)
                if ours:
                    results.get(name.replace("first headline", "app ready")).add(ready)
                say(
                    out,
                    f"  round {round_no + 1}/{rounds} {name}: {sb.fmt(shown, 's')} ms "
                    f"({'app ready' if ours else 'first paint'} {sb.fmt(ready, 's')} ms)",
                )
                sb.settle(tmux, 0.3, poll)
        tmux.stop_app(poll)
    finally:
        for line in tmux.diagnostics:
            say(out, f"  {line}")
        tmux.close()


# -- figure 5: responsive ---------------------------------------------------------------------


def _refreshing(lines: list[str]) -> bool:
    return any("Refreshing" in line for line in lines[-4:])


def bench_responsive(
    root: Path,
    feedgen: ModuleType,
    big: dict[str, Any],
    concurrency: int,
    rounds: int,
    poll: float,
    size: tuple[int, int],
    env: dict[str, str],
    results: Results,
    out: TextIO,
) -> None:
    """``j``/``k`` latency in the app while it ingests **big** in the background."""
    cache, _built = feedgen.ensure_cache(root, feedgen.CACHE_SIZES[0])
    source = feedgen.cache_dir(root, feedgen.CACHE_SIZES[0])
    expected = int(cache["articles"]) + int(big["total_items"])
    names = [entry["name"] for entry in big["files"]]
    width, height = size
    columns, first, last = int(width * 0.4), 2, height - 2  # the list, as search_bench sees it

    def list_region(lines: list[str]) -> tuple[str, ...]:
        return sb.region(lines, columns, first, last)

    def press(key: str) -> float | None:
        return sb.press_until_redrawn(tmux, key, list_region, poll)

    idle = results.get("key → list redrawn, idle")
    busy = results.get("key → list redrawn, during big ingest")
    took = results.get("big ingest in the app, r → status done")
    with ServerProcess(root / "big", 0) as server:
        tmux = sb.Tmux(*size, env=env)
        try:
            for round_no in range(rounds):
                run_dir = root / "runs" / "responsive"
                reader = Reader("biotui", concurrency, env)
                reader.prepare(run_dir, [server.feed_url(name) for name in names], "big")
                (run_dir / "data").mkdir()
                for part in ("biotui.db", "biotui.db-wal", "biotui.db-shm"):
                    if (source / part).exists():
                        shutil.copy2(source / part, run_dir / "data" / part)
                command = sb.biotui_command(run_dir / "feeds.toml", run_dir / "data")
                sb.run_app(tmux, command, sb.shows(cache["newest_title"][:24]), poll)
                sb.settle(tmux, 0.5, poll)
                keys = ("j", "k")
                for number in range(IDLE_KEYS):
                    idle.add(press(keys[number % 2]))
                    time.sleep(KEY_SPACING)
                sb.settle(tmux, 0.3, poll)
                began = time.perf_counter()
                tmux.keys("r")
                sb.wait_for(tmux, _refreshing, poll, "the refresh to start")
                pressed = 0
                while _refreshing(tmux.capture()):
                    if time.perf_counter() - began > RUN_TIMEOUT:
                        results.problems.append("responsive: the refresh did not finish")
                        break
                    start = time.perf_counter()
                    busy.add(press(keys[pressed % 2]))
                    pressed += 1
                    rest = KEY_SPACING - (time.perf_counter() - start)
                    if rest > 0:
                        time.sleep(rest)
                ended = time.perf_counter() - began
                took.add(ended)
                counted = sb.wait_for(tmux, sb.status_shows(expected), poll, "the final count")
                if counted is None:
                    shown = sb.status_count(tmux.capture())
                    results.problems.append(
                        f"responsive: the status line shows {shown} articles, expected {expected}"
                    )
                say(
                    out,
                    f"  round {round_no + 1}/{rounds}: refresh took {ended:.1f} s in the app, "
                    f"{pressed} keys pressed during it; status line {'ok' if counted else '?'}",
                )
                tmux.stop_app(poll)
        finally:
            for line in tmux.diagnostics:
                say(out, f"  {line}")
            tmux.close()
        results.notes.append(
            f"responsive: keys during the refresh, server answered {server.stats()['200']} "
            "feeds in the last round"
        )


# -- newsboat ---------------------------------------------------------------------------------


def ensure_newsboat(wanted: bool, out: TextIO) -> tuple[str | None, str]:
    """The newsboat binary (installed with apt-get if missing), or None and why not."""
    if not wanted:
        return None, "--no-newsboat"
    found = shutil.which("newsboat")
    if found:
        return found, ""
    apt = shutil.which("apt-get")
    if apt is None:
        return None, "newsboat is not installed and there is no apt-get"
    prefix: list[str] = []
    if os.geteuid() != 0:
        sudo = shutil.which("sudo")
        if sudo is None:
            return None, "newsboat is not installed; installing it needs root (no sudo)"
        prefix = [sudo, "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    say(out, "installing newsboat: apt-get install -y newsboat …")
    install = [*prefix, apt, "install", "-y", "newsboat"]
    result = subprocess.run(install, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        subprocess.run([*prefix, apt, "update"], capture_output=True, env=env)
        result = subprocess.run(install, capture_output=True, text=True, env=env)
    found = shutil.which("newsboat")
    if found:
        return found, ""
    return None, "apt-get install -y newsboat failed: " + result.stderr.strip()[-200:]


def newsboat_version() -> str:
    """``newsboat 2.21.0`` or ``-``."""
    result = subprocess.run(["newsboat", "-v"], capture_output=True, text=True)
    lines = result.stdout.splitlines()
    return lines[0].split(" - ")[0] if lines else "-"


# -- the report -------------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    """``1.42 s`` (or ``-``)."""
    if value is None:
        return "-"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def ratio(mine: float | None, theirs: float | None) -> float | None:
    """``mine / theirs`` when both are known."""
    if mine is None or not theirs:
        return None
    return mine / theirs


def times(value: float | None) -> str:
    """``0.42×`` (or blank)."""
    return "" if value is None else f"{value:.2f}×"


def verdict(checks: Iterable[bool | None]) -> str:
    """``ok`` if every known check passes, ``OVER`` if one fails, blank if none is known."""
    known = [check for check in checks if check is not None]
    if not known:
        return ""
    return "ok" if all(known) else "OVER"


def at_most(value: float | None, limit: float) -> bool | None:
    """``value <= limit``, or None if unknown."""
    return None if value is None else value <= limit


def median_counts(results: Results, name: str, key: str) -> str:
    """The server counts of ``key`` over the runs of series ``name``, e.g. ``200, 200``."""
    runs = results.counts.get(name, [])
    return ", ".join(str(stats[key]) for stats in runs) or "-"


def summary_table(results: Results, biotui: Reader, others: dict[str, Reader]) -> list[str]:
    """The issue's table: the figures, biotui against newsboat, the ratios and targets; with
    a baseline, its figures and biotui ÷ baseline follow in a second table."""
    floor = results.floor
    rows = [
        "| figure | biotui | newsboat | biotui ÷ newsboat | biotui ÷ floor | target | verdict |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    mine_label = biotui.label
    same = others.get("same")
    one = others.get("one")
    if f"net cold, {mine_label}" in results.series:
        mine = results.median(f"net cold, {mine_label}")
        theirs = results.median(f"net cold, {same.label}") if same else None
        to_them, to_floor = ratio(mine, theirs), ratio(mine, floor)
        rows.append(
            f"| cold refresh of net, {biotui.threads} at once (median) | {seconds(mine)} | "
            f"{seconds(theirs)} | {times(to_them)} | {times(to_floor)} | ≤ "
            f"{TARGETS['cold_floor']}× floor, ≤ {TARGETS['cold_newsboat']}× newsboat | "
            + verdict(
                [
                    at_most(to_floor, TARGETS["cold_floor"]),
                    at_most(to_them, TARGETS["cold_newsboat"]),
                ]
            )
            + " |"
        )
        cpu = results.median(f"net cold, {mine_label}, CPU")
        their_cpu = results.median(f"net cold, {same.label}, CPU") if same else None
        least = None if cpu is None else cpu / CORES
        rows.append(
            f"| CPU time of that refresh, all processes (median; ÷ {CORES} cores: the least "
            f"wall time the work can take here) | {seconds(cpu)} ({seconds(least)}) | "
            f"{seconds(their_cpu)} | {times(ratio(cpu, their_cpu))} | "
            f"{times(ratio(least, floor))} | | |"
        )
        if one is not None:
            slow = results.median(f"net cold, {one.label}")
            rows.append(
                f"| cold refresh of net, newsboat reload-threads 1 (once) | | {seconds(slow)} | "
                f"{times(ratio(mine, slow))} | | | |"
            )
        second = results.median(f"net second, {mine_label}")
        name = f"net second, {mine_label}"
        answered = (
            f"304: {median_counts(results, name, '304')}; "
            f"200: {median_counts(results, name, '200')}"
        )
        all_304 = all(stats["304"] == stats["requests"] for stats in results.counts.get(name, []))
        theirs2 = results.median(f"net second, {same.label}") if same else None
        to_floor2 = ratio(second, floor)
        rows.append(
            f"| second refresh of net ({answered}) | {seconds(second)} | {seconds(theirs2)} | "
            f"{times(ratio(second, theirs2))} | {times(to_floor2)} | every feed 304, ≤ "
            f"{TARGETS['second_floor']}× floor | "
            + verdict([all_304, at_most(to_floor2, TARGETS["second_floor"])])
            + " |"
        )
        if same is not None:
            third = results.median(f"net third, {same.label}")
            name3 = f"net third, {same.label}"
            rows.append(
                f"| newsboat's third reload (304: {median_counts(results, name3, '304')}) | | "
                f"{seconds(third)} | {times(ratio(second, third))} | | | |"
            )
    if f"big ingest, {mine_label}" in results.series:
        mine = results.median(f"big ingest, {mine_label}")
        theirs = results.median(f"big ingest, {same.label}") if same else None
        to_them = ratio(mine, theirs)
        rows.append(
            f"| ingest of big (median) | {seconds(mine)} | {seconds(theirs)} | {times(to_them)} "
            f"| | ≤ {TARGETS['big_newsboat']}× newsboat | "
            + verdict([at_most(to_them, TARGETS["big_newsboat"])])
            + " |"
        )
        for kind_name, key in (("process tree", "tree"), ("largest process", "largest")):
            mine_mb = _max(results, f"big peak RSS, {kind_name}, biotui")
            their_mb = _max(results, f"big peak RSS, {kind_name}, newsboat")
            rows.append(
                f"| peak memory of the big ingest, {kind_name} (max) | {_mb(mine_mb)} | "
                f"{_mb(their_mb)} | {times(ratio(mine_mb, their_mb))} | | "
                + (f"≤ {TARGETS['big_mb']:.0f} MB | " if key == "tree" else " | ")
                + (verdict([at_most(mine_mb, TARGETS["big_mb"])]) if key == "tree" else "")
                + " |"
            )
    newsboat_open = next(
        (name for name in results.series if name.startswith("feed list, newsboat")), None
    )
    theirs_open = results.median(newsboat_open) if newsboat_open else None
    for name in results.series:
        if name.startswith("first headline, biotui"):
            mine = results.median(name)
            cached = name.rsplit(", ", 1)[1]
            compare = theirs_open if cached.startswith("50k") else None
            rows.append(
                f"| first headline on screen, {cached} (median) | {sb.fmt(mine, 's')} ms | "
                f"{sb.fmt(compare, 's') + ' ms' if compare else ''} | "
                f"{times(ratio(mine, compare))} | | ≤ {TARGETS['first_headline'] * 1000:.0f} ms | "
                + verdict([at_most(mine, TARGETS["first_headline"])])
                + " |"
            )
            ready = results.median(name.replace("first headline", "app ready"))
            rows.append(
                f"| app ready (Textual's first frame), {cached} (median) | "
                f"{sb.fmt(ready, 's')} ms | | | | | |"
            )
    baseline = others.get("baseline")
    if baseline is not None:
        rows += baseline_table(results, biotui, baseline)
    busy = results.series.get("key → list redrawn, during big ingest")
    if busy is not None and busy.samples:
        stats = busy.stats()
        rows.append(
            "| key → list redrawn while big is ingested, median / p95 / max "
            f"(n = {len(busy.samples)}) | {sb.fmt(stats['median'], 's')} / "
            f"{sb.fmt(stats['p95'], 's')} / {sb.fmt(stats['max'], 's')} ms | | | | "
            f"≤ {TARGETS['key'] * 1000:.0f} ms (p95) | "
            + verdict([at_most(stats["p95"], TARGETS["key"]) and not busy.failures])
            + " |"
        )
    return rows


def baseline_table(results: Results, biotui: Reader, baseline: Reader) -> list[str]:
    """biotui against another tree of itself (``--baseline``), run alternately with it."""
    rows = [
        "",
        f"| figure | biotui | {baseline.title} | biotui ÷ {baseline.title} | target |",
        "|---|---:|---:|---:|---|",
    ]
    for figure, target in (
        ("net cold", f"≤ {TARGETS['cold_baseline']}×"),
        ("net second", ""),
        ("big ingest", ""),
    ):
        mine = results.median(f"{figure}, {biotui.label}")
        theirs = results.median(f"{figure}, {baseline.label}")
        if mine is None and theirs is None:
            continue
        to_them = ratio(mine, theirs)
        ok = verdict([at_most(to_them, TARGETS["cold_baseline"])]) if target else ""
        rows.append(
            f"| {figure} (median) | {seconds(mine)} | {seconds(theirs)} | {times(to_them)} | "
            f"{target} {ok} |"
        )
    for kind_name in ("process tree", "largest process"):
        mine_mb = _max(results, f"big peak RSS, {kind_name}, {biotui.title}")
        their_mb = _max(results, f"big peak RSS, {kind_name}, {baseline.title}")
        if mine_mb is not None or their_mb is not None:
            rows.append(
                f"| peak memory of the big ingest, {kind_name} (max) | {_mb(mine_mb)} | "
                f"{_mb(their_mb)} | {times(ratio(mine_mb, their_mb))} | |"
            )
    return rows


def _max(results: Results, name: str) -> float | None:
    one = results.series.get(name)
    return one.stats().get("max") if one is not None else None


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def write_block(
    path: Path,
    body: list[str],
    begin: str = MARK_BEGIN,
    end: str = MARK_END,
    heading: str = "Refresh benchmark",
) -> None:
    """Replace the block between ``begin`` and ``end`` of ``path``; append it (with a
    heading) if absent."""
    block = "\n".join([begin, *body, end])
    text = path.read_text(encoding="utf-8") if path.exists() else "# biotui benchmark results\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


# -- main -------------------------------------------------------------------------------------


def main() -> int:
    """Run the benchmark; return 1 if a check failed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "biotui-refresh-bench",
        help="where datasets, caches and run folders live (reused when manifests match)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per figure")
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated, of: {', '.join(PARTS)}"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        help="biotui's concurrency and newsboat's reload-threads (default: biotui's own default)",
    )
    parser.add_argument("--delay-ms", type=float, default=100.0, help="per response, for net")
    parser.add_argument("--no-newsboat", action="store_true", help="run biotui's side alone")
    parser.add_argument(
        "--skip-slow", action="store_true", help="skip newsboat with reload-threads 1 (≈ 25 s)"
    )
    parser.add_argument("--poll-ms", type=float, default=5.0, help="screen poll interval (tmux)")
    parser.add_argument("--size", default="160x48", help="terminal size, COLSxROWS")
    parser.add_argument("--results", type=Path, help="rewrite the refresh-bench block of FILE")
    parser.add_argument(
        "--src", type=Path, help="run the biotui package in this folder instead of the installed"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also run the biotui package in this folder (another tree's src/), alternately",
    )
    args = parser.parse_args()
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) for --only: {', '.join(sorted(unknown))}")
    if args.src is not None:
        args.src = args.src.resolve()
        sys.path.insert(0, str(args.src))
    import feedgen  # after --src: it imports biotui through make_store

    from biotui.model import Settings

    out = sys.stdout
    began = time.perf_counter()
    root: Path = args.data.resolve()
    (root / "runs").mkdir(parents=True, exist_ok=True)
    concurrency = args.concurrency or Settings().concurrency
    floor = math.ceil(200 / concurrency) * args.delay_ms / 1000
    width, height = (int(n) for n in args.size.lower().split("x"))
    poll = args.poll_ms / 1000

    env = sb.child_env(root, True, args.src)
    for name in PROXY_VARIABLES:
        env.pop(name, None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"

    newsboat_path, why_not = ensure_newsboat(not args.no_newsboat, out)
    info = sb.machine()
    info["newsboat"] = newsboat_version() if newsboat_path else f"not run: {why_not}"
    say(out, " · ".join(f"{k}: {v}" for k, v in info.items()))

    biotui = Reader("biotui", concurrency, env)
    others: dict[str, Reader] = {}
    if args.baseline is not None:
        others["baseline"] = Reader(
            "biotui", concurrency, sb.child_env(root, True, args.baseline.resolve()), "baseline"
        )
    if newsboat_path:
        others["same"] = Reader("newsboat", concurrency, env)
        if not args.skip_slow and concurrency != 1:
            others["one"] = Reader("newsboat", 1, env)
    readers = [biotui, *(others[key] for key in ("baseline", "same") if key in others)]

    manifests: dict[str, dict[str, Any]] = {}
    needed = {"net"} & set(parts) | (
        {"big"} if {"big", "open", "responsive"} & set(parts) else set()
    )
    for name in sorted(needed):
        manifest, built = feedgen.ensure_dataset(root / name, name, quiet=True)
        manifests[name] = manifest
        say(
            out,
            f"dataset {name}: {manifest['feeds']} feeds × {manifest['items_per_feed']} items, "
            f"{manifest['total_bytes'] / 1e6:.1f} MB, "
            + (f"generated in {manifest['build_seconds']} s" if built else "reused"),
        )

    results = Results(floor=floor)
    if "net" in parts:
        say(out, f"net: cold and second refresh, floor {floor:.2f} s …")
        bench_net(
            root,
            manifests["net"],
            readers,
            others.get("one"),
            args.rounds,
            args.delay_ms,
            results,
            out,
        )
    if "big" in parts:
        say(out, "big: cold ingest …")
        bench_big(root, manifests["big"], readers, args.rounds, results, out)
    if "open" in parts:
        say(out, "open: first headline in tmux …")
        newsboat_open = None
        if "same" in others:
            run_dir = ensure_newsboat_cache(root, manifests["big"], others["same"], out)
            if run_dir is None:
                results.problems.append("open: newsboat's big cache could not be made")
            else:
                newsboat_open = (others["same"], run_dir)
        try:
            bench_open(
                root, feedgen, newsboat_open, args.rounds, poll, (width, height), env, results, out
            )
        except sb.AppFailed as failure:
            results.problems.append(f"open: {failure}")
    if "responsive" in parts:
        say(out, "responsive: keys while big is ingested in the app …")
        try:
            bench_responsive(
                root,
                feedgen,
                manifests["big"],
                concurrency,
                max(1, args.rounds - 1),
                poll,
                (width, height),
                env,
                results,
                out,
            )
        except sb.AppFailed as failure:
            results.problems.append(f"responsive: {failure}")

    elapsed = time.perf_counter() - began
    summary = summary_table(results, biotui, others)
    detail = sb.table(results.series.values())
    say(out, "")
    say(out, "\n".join(summary))
    say(out, "")
    say(out, "\n".join(detail))
    if results.problems:
        say(out, "\nPROBLEMS:\n  " + "\n  ".join(results.problems))
    say(out, f"\nbenchmark took {elapsed:.0f} s")
    (root / "results.json").write_text(
        json.dumps(
            {
                "machine": info,
                "concurrency": concurrency,
                "floor": floor,
                "series": {name: one.as_json() for name, one in results.series.items()},
                "server": results.counts,
                "problems": results.problems,
                "seconds": round(elapsed, 1),
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    if args.results:
        rerun = f"python bench/refresh_bench.py --rounds {args.rounds} --results {args.results}"
        if args.only != ",".join(PARTS):
            rerun += f" --only {args.only}"
        body = [
            f"Measured {info['date']} at `{info['commit']}`: concurrency {concurrency} "
            f"(newsboat `reload-threads` {concurrency}), {args.delay_ms:g} ms per response on "
            f"net, network floor ⌈200 / {concurrency}⌉ × {args.delay_ms:g} ms = {floor:.2f} s, "
            f"{args.rounds} alternating rounds; the benchmark took {elapsed:.0f} s.",
            "",
            "| machine | |",
            "|---|---|",
            *(f"| {k} | {v} |" for k, v in info.items()),
            "",
            *summary,
            "",
            "All runs (ms; MB for memory):",
            "",
            *detail,
            "",
            *(
                ["Checks: all counts as expected."]
                if not results.problems
                else ["Checks that failed:", "", *(f"- {p}" for p in results.problems)]
            ),
            "",
            f"Rerun: `{rerun}`",
        ]
        write_block(args.results, body)
        say(out, f"wrote {args.results}")
    return 1 if results.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
