"""How biotui grows from 10,000 to 1,000,000 articles (issue 30; run by hand, no test uses it).

    PYTHONPATH=src python bench/scale_bench.py --sizes 10000,100000 --rounds 3
    PYTHONPATH=src python bench/scale_bench.py --rounds 1 --results bench/RESULTS.md
    PYTHONPATH=src python bench/scale_bench.py --datasets /tmp/biotui-folder-bench ...

Stores. Each size is a folder of saved feed files from ``feedgen.py`` (2,500 items each: 4,
40 and 400 files, ``folder_bench.py``'s datasets, reused from ``--datasets``), ingested the
way a reader would: ``python -m biotui --config F --data-dir D refresh`` of the folder as four
local feeds (``FEEDS``: a story only joins articles of different feeds), with every feature on
(identifiers and stories are always on; the configuration adds a saved search and a mute
rule). That refresh is the ingest figure: wall time, the largest
process's peak (``ru_maxrss``) and the process tree's (sampled). A refresh of that size leaves
part of the stories' grouping for later, so ``biotui group`` runs next, timed too, and the
store is complete. A store is kept in ``--data`` with a manifest of what it was built from
and what its build measured, and reused while the manifest matches (``--rebuild`` builds
again; ``--skip-build`` refuses to build and uses what is there).

Figures, every round, sizes in rotated order so the 1M and 100k figures stand side by side:
``biotui list --filter "CAR-T OR lupus" --limit 100 --json`` and the same without a limit
(every hit), whole processes; in the real app under a private tmux server (``search_bench``'s
driver): the first headline on screen from the start (start frame included), the app's peak
memory (VmHWM), filter keystrokes (the query typed three times, each key until the status
line shows its count), ``j`` and Page Down ×50 and ``G`` (each until the list is redrawn),
``z`` on the first story that has other sources (until it unfolds), ``b`` (until the side
panel shows its counts) and a ``drug:`` filter typed at once (until its count shows), each of
the last three :data:`REPEATS` times. Also,
in-process, ``read_counts`` (all the side panel's counts) on a freshly opened store.

It prints a table (each figure at every size, the 1M ÷ 100k ratio, issue 30's target and a
verdict) and, with ``--results FILE``, rewrites the block between the ``scale-bench`` markers
of FILE.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import folder_bench  # noqa: E402  (bench/ is not a package)
import refresh_bench as rb  # noqa: E402
import search_bench as sb  # noqa: E402

ITEMS = 2500
"""Items per saved feed file."""
BENCH_VERSION = 2
"""Bump when the stores' configuration, build or feed files change, so old stores are built
again."""
MARK_BEGIN = "<!-- scale-bench:begin -->"
MARK_END = "<!-- scale-bench:end -->"
LIST_QUERY = "CAR-T OR lupus"
TYPED_QUERY = "CAR-T OR lupus"
TYPINGS = 3
"""Times a session types the query (six of each typing's keys change the count), so that the
keystroke's p95 is not simply its slowest key."""
REPEATS = 5
"""Times a session opens the side panel (``b``), types each identifier filter and unfolds a
story (``z``): a figure's p95 over a round's few presses would be its slowest one."""
SEARCH = ("CAR-T in lupus", "CAR-T lupus")
MUTE = ("Carter", "Carter")
"""A mute rule (name, query): the decoy sentence naming an analyst, a few % of articles."""
FEEDS = {"Saved A": "[048]", "Saved B": "[159]", "Saved C": "[26]", "Saved D": "[37]"}
"""The folder's files as four feeds, by the last digit of their number: stories join articles
of different feeds only, so one feed of every file would leave every story a single article."""


def config_text(folder: Path) -> str:
    """The configuration of a store: its folder feeds, a saved search and a mute rule."""
    feeds = "".join(
        f'[[feeds]]\nname = "{name}"\npath = "{folder}/feed-*{digits}.*"\n\n'
        for name, digits in FEEDS.items()
    )
    return (
        "[settings]\nrefresh_on_start = false\n\n"
        + feeds
        + f'[[searches]]\nname = "{SEARCH[0]}"\nquery = "{SEARCH[1]}"\n\n'
        + f'[[mute]]\nname = "{MUTE[0]}"\nquery = "{MUTE[1]}"\n'
    )


# -- the stores -------------------------------------------------------------------------------


@dataclass
class Store:
    """One benchmark store: where it is and what its build measured."""

    size: int
    folder: Path
    root: Path

    @property
    def config(self) -> Path:
        """Its configuration file."""
        return self.root / "feeds.toml"

    @property
    def data(self) -> Path:
        """Its data folder (``--data-dir``)."""
        return self.root / "data"

    @property
    def manifest_path(self) -> Path:
        """Where its manifest is."""
        return self.root / "manifest.json"

    def command(self) -> list[str]:
        """``python -m biotui --config F --data-dir D``."""
        return sb.biotui_command(self.config, self.data)


def schema_version() -> int:
    """The store schema of the biotui on the path."""
    from biotui.store import SCHEMA_VERSION

    return int(SCHEMA_VERSION)


def wanted(size: int) -> dict[str, Any]:
    """What a store's manifest must hold for it to be reused."""
    return {
        "bench": BENCH_VERSION,
        "files": size // ITEMS,
        "items": ITEMS,
        "schema_version": schema_version(),
        "search": list(SEARCH),
        "mute": list(MUTE),
        "feeds": FEEDS,
    }


def load_manifest(store: Store) -> dict[str, Any] | None:
    """The store's manifest, or None when it is missing or the store is not there."""
    if not (store.data / "biotui.db").is_file():
        return None
    try:
        manifest: dict[str, Any] = json.loads(store.manifest_path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return manifest


def article_count(data_dir: Path) -> int:
    """How many articles the store in ``data_dir`` holds."""
    return folder_bench.stored(data_dir)


def build(store: Store, env: dict[str, str], out: TextIO, group_limit: float) -> dict[str, Any]:
    """Ingest the store's folder by a real refresh, then group what it left; return (and
    save) the manifest with both measurements."""
    shutil.rmtree(store.root, ignore_errors=True)
    store.root.mkdir(parents=True)
    store.config.write_text(config_text(store.folder), encoding="utf-8")
    info = sb.machine()
    say(out, f"  {store.size:,}: ingesting {store.folder} (load {info['load']}) …")
    ingest = rb.run_measured([*store.command(), "refresh"], env, sample_tree=True, timeout=7200)
    if ingest.returncode != 0:
        raise SystemExit(f"refresh of {store.folder} failed: {ingest.stderr.strip()[-400:]}")
    count = article_count(store.data)
    ungrouped_before = ungrouped(store.data)
    say(
        out,
        f"  {store.size:,}: ingest {ingest.seconds:.1f} s, CPU {ingest.cpu_seconds:.1f} s, "
        f"largest process {ingest.max_rss_mb:.0f} MB, tree {ingest.tree_mb or 0:.0f} MB, "
        f"{count:,} stored, {ungrouped_before:,} left ungrouped; grouping …",
    )
    group = run_interrupted([*store.command(), "group"], env, group_limit)
    left = ungrouped(store.data)
    say(
        out,
        f"  {store.size:,}: group {group.seconds:.1f} s (exit {group.returncode}), largest "
        f"process {group.max_rss_mb:.0f} MB, {left:,} left ungrouped: "
        f"{(group.stdout + group.stderr).strip()[-200:]}",
    )
    manifest = {
        **wanted(store.size),
        "articles": count,
        "built": info["date"],
        "commit": info["commit"],
        "load": info["load"],
        "ingest": {
            "seconds": round(ingest.seconds, 2),
            "cpu_seconds": round(ingest.cpu_seconds, 2),
            "largest_mb": round(ingest.max_rss_mb, 1),
            "tree_mb": round(ingest.tree_mb or 0, 1),
            "left_ungrouped": ungrouped_before,
        },
        "group": {
            "seconds": round(group.seconds, 2),
            "cpu_seconds": round(group.cpu_seconds, 2),
            "largest_mb": round(group.max_rss_mb, 1),
            "output": (group.stdout + group.stderr).strip()[-300:],
            "stopped_after": round(group.seconds) if left else None,
            "left_ungrouped": left,
        },
        "db_mb": round(db_bytes(store.data) / 2**20, 1),
    }
    store.manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def run_interrupted(argv: list[str], env: dict[str, str], limit: float) -> rb.Run:
    """Run ``argv``; after ``limit`` seconds send it Ctrl-C (``biotui group`` keeps what it
    grouped) and wait for its end. Wall time, CPU and the largest process from ``wait4``."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        began = time.perf_counter()
        process = subprocess.Popen(
            argv,
            stdout=stdout,
            stderr=stderr,
            env=env,
            start_new_session=True,
            # A background shell starts us with Ctrl-C ignored, which children inherit.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        done = threading.Event()

        def interrupt() -> None:
            if not done.wait(limit):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGINT)

        watcher = threading.Thread(target=interrupt, daemon=True)
        watcher.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
        done.set()
        watcher.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        return rb.Run(
            seconds=seconds,
            returncode=process.returncode,
            max_rss_mb=usage.ru_maxrss / 1024,
            tree_mb=None,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            stdout=stdout.read().decode("utf-8", "replace"),
            stderr=stderr.read().decode("utf-8", "replace"),
        )


def ingest_again(store: Store, manifest: dict[str, Any], env: dict[str, str], out: TextIO) -> None:
    """Measure the ingest of a built store's folder again, into a scratch data folder, and
    keep the new figures in its manifest (so that sizes built at other times can be compared
    side by side)."""
    scratch = store.root.parent / "ingest-again"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    config = scratch / "feeds.toml"
    config.write_text(config_text(store.folder), encoding="utf-8")
    load = sb.machine()["load"]
    argv = [*sb.biotui_command(config, scratch / "data"), "refresh"]
    ingest = rb.run_measured(argv, env, sample_tree=True, timeout=7200)
    left = ungrouped(scratch / "data")
    shutil.rmtree(scratch, ignore_errors=True)
    if ingest.returncode != 0:
        raise SystemExit(f"refresh of {store.folder} failed: {ingest.stderr.strip()[-400:]}")
    say(
        out,
        f"  {store.size:,}: ingest again (load {load}) {ingest.seconds:.1f} s, CPU "
        f"{ingest.cpu_seconds:.1f} s, largest process {ingest.max_rss_mb:.0f} MB, tree "
        f"{ingest.tree_mb or 0:.0f} MB",
    )
    manifest["ingest"] = {
        "seconds": round(ingest.seconds, 2),
        "cpu_seconds": round(ingest.cpu_seconds, 2),
        "largest_mb": round(ingest.max_rss_mb, 1),
        "tree_mb": round(ingest.tree_mb or 0, 1),
        "left_ungrouped": left,
        "measured": sb.machine()["date"],
        "load": load,
    }
    store.manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def ungrouped(data_dir: Path) -> int:
    """How many stored articles are in no story yet (as ``biotui group`` counts them)."""
    from biotui.store import Store as BiotuiStore

    with BiotuiStore.open(data_dir) as opened:
        return int(opened.stories.ungrouped())


def db_bytes(data_dir: Path) -> int:
    """The store's size on disk, its write-ahead log included."""
    return sum(path.stat().st_size for path in data_dir.glob("biotui.db*"))


def ensure(
    store: Store,
    env: dict[str, str],
    out: TextIO,
    *,
    rebuild: bool,
    skip: bool,
    group_limit: float,
) -> dict[str, Any]:
    """The store's manifest: reused when it matches, else built (unless ``skip``)."""
    manifest = load_manifest(store)
    matches = manifest is not None and all(
        manifest.get(key) == value for key, value in wanted(store.size).items()
    )
    if manifest is not None and (matches or skip) and not rebuild:
        if not matches:
            say(out, f"  {store.size:,}: the store's manifest differs; used anyway (--skip-build)")
        say(out, f"  {store.size:,}: reused (built {manifest.get('built')})")
        return manifest
    if skip:
        raise SystemExit(f"no store of {store.size:,} articles in {store.root} (--skip-build)")
    return build(store, env, out, group_limit)


def say(out: TextIO, text: str) -> None:
    """Print a progress line at once."""
    print(text, file=out, flush=True)


# -- what each store should show ---------------------------------------------------------------


@dataclass
class Expected:
    """What the app must show on a store, read once before the rounds."""

    headline: str
    """The first row's title (the first story of ``list --stories``), as far as it shows."""
    total: int
    """The articles the status line counts with no filter."""
    typed: dict[str, int | None]
    """Each prefix of the typed query and the count it shows (None: malformed)."""
    id_filters: dict[str, int]
    """The identifier filters typed at once and their counts."""


ID_FILTERS = ("drug:KJ-C2219", "target:CD19")
"""A drug code (the folder datasets name none: an index lookup that finds nothing) and a
target a quarter of the articles name."""


def expected(store: Store, env: dict[str, str]) -> Expected:
    """Read the store through ``biotui list`` and the store's own counts (mute rule on)."""
    from biotui.config import load_config
    from biotui.search import mute_queries, parse_filter
    from biotui.store import Store as BiotuiStore

    rows = subprocess.run(
        [*store.command(), "list", "--stories", "--json", "--limit", "1"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.splitlines()
    records = [json.loads(row) for row in rows]
    config = load_config(store.config)
    counts: dict[str, int | None] = {}
    with BiotuiStore.open(store.data) as opened:
        opened.set_mute(mute_queries(rule.query for rule in config.mutes))
        total = opened.article_count()
        for text in [TYPED_QUERY[:end] for end in range(1, len(TYPED_QUERY) + 1)] + list(
            ID_FILTERS
        ):
            result = parse_filter(text)
            if result.error is not None:
                counts[text] = None
            else:
                counts[text] = total if result.query is None else opened.article_count(result.query)
    return Expected(
        headline=records[0]["title"][:24],
        total=total,
        typed={text: counts[text] for text in counts if text not in ID_FILTERS},
        id_filters={text: counts[text] or 0 for text in ID_FILTERS},
    )


# -- the figures ------------------------------------------------------------------------------


@dataclass
class Samples:
    """Every sample of every figure, per store size."""

    values: dict[str, dict[int, list[float]]] = field(default_factory=dict)
    failures: dict[str, dict[int, int]] = field(default_factory=dict)

    def add(self, name: str, size: int, value: float | None) -> None:
        """Record one sample (None: it timed out or failed)."""
        if value is None:
            per = self.failures.setdefault(name, {})
            per[size] = per.get(size, 0) + 1
        else:
            self.values.setdefault(name, {}).setdefault(size, []).append(value)

    def get(self, name: str, size: int) -> list[float]:
        """The samples of ``name`` at ``size``."""
        return self.values.get(name, {}).get(size, [])


def timed_run(argv: list[str], env: dict[str, str]) -> tuple[float | None, int]:
    """Wall time of one process (None if it failed) and the lines it printed."""
    began = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, env=env)
    took = time.perf_counter() - began
    return (took if result.returncode == 0 else None), result.stdout.count(b"\n")


def panel_counts_in_process(store: Store) -> float:
    """Seconds of ``read_counts`` (every side panel count) on a freshly opened store."""
    from biotui.app.queries import read_counts
    from biotui.config import load_config
    from biotui.search import mute_queries
    from biotui.store import Store as BiotuiStore

    config = load_config(store.config)
    with BiotuiStore.open(store.data) as opened:
        opened.set_mute(mute_queries(rule.query for rule in config.mutes))
        began = time.perf_counter()
        read_counts(opened, config)
        return time.perf_counter() - began


def panel_shows_counts(lines: list[str]) -> bool:
    """True when the side panel shows the count of All articles and of the mute rule."""

    def counted(label: str) -> bool:
        for line in lines:
            if label in line:
                rest = line.split(label, 1)[1].split("▕", 1)[0]
                return any(char.isdigit() for char in rest)
        return False

    return counted("All articles") and counted(MUTE[0])


def app_session(
    tmux: sb.Tmux,
    store: Store,
    want: Expected,
    samples: Samples,
    starts: int,
    poll: float,
    out: TextIO,
) -> None:
    """Start the app ``starts`` times (first headline), then in the last one press every
    key measured; record the app's peak memory."""
    size = store.size
    pid = 0
    for _ in range(starts):
        _paint, seen, pid = sb.run_app(tmux, store.command(), sb.shows(want.headline), poll)
        samples.add("first headline", size, seen)
        sb.settle(tmux, 0.3, poll)
    hwm = sb.vm_kb(pid, "VmHWM")
    samples.add("app memory after start", size, hwm and hwm / 1024)
    for _ in range(REPEATS):
        began = time.perf_counter()
        tmux.keys("b")
        at = sb.wait_for(tmux, panel_shows_counts, poll, "the side panel's counts")
        samples.add("side panel's counts (b)", size, at and at - began)
        sb.settle(tmux, 0.3, poll)
        tmux.keys("b")  # the panel has focus: b hides it
        sb.wait_for(tmux, lambda lines: not panel_shows_counts(lines), poll, "the panel hidden")
        sb.settle(tmux, 0.3, poll)
    for _ in range(TYPINGS):
        type_filter(tmux, want, samples, size, poll)
    for _ in range(REPEATS):
        for text, count in want.id_filters.items():
            sb.focus_filter(tmux, poll)
            began = time.perf_counter()
            tmux.type(text)
            at = sb.wait_for(tmux, sb.status_shows(count), poll, f"count of {text!r}")
            samples.add(f"`{text.split(':')[0]}:` filter typed at once", size, at and at - began)
            tmux.keys("Escape")
            sb.wait_for(tmux, sb.status_shows(want.total), poll, "the unfiltered count")
            sb.settle(tmux, 0.3, poll)
    scroll = sb.bench_scroll(tmux, poll, out)
    for label, name in (("j", "j"), ("Page Down", "Page Down"), ("End (G)", "G")):
        for value in scroll[label].samples:
            samples.add(name, size, value)
    expand_story(tmux, samples, size, poll)
    hwm = sb.vm_kb(pid, "VmHWM")
    samples.add("app memory", size, hwm and hwm / 1024)
    tmux.stop_app(poll)


def type_filter(tmux: sb.Tmux, want: Expected, samples: Samples, size: int, poll: float) -> None:
    """Type the query key by key; time each keystroke until the status shows its count."""
    sb.focus_filter(tmux, poll)
    shown = want.total
    for end in range(1, len(TYPED_QUERY) + 1):
        prefix = TYPED_QUERY[:end]
        count = want.typed[prefix]
        began = time.perf_counter()
        tmux.type(prefix[-1])
        if count is not None and count != shown:
            at = sb.wait_for(tmux, sb.status_shows(count), poll, f"count of {prefix!r}")
            samples.add("filter keystroke", size, at and at - began)
            shown = count
        else:
            sb.settle(tmux, 0.25, poll)
    tmux.keys("Escape")
    sb.wait_for(tmux, sb.status_shows(want.total), poll, "the unfiltered count")
    sb.settle(tmux, 0.3, poll)


STORY_MARK = re.compile(r"\+\d+ sources?\b")
"""How a story's row in the list says it has other sources."""


def expand_story(tmux: sb.Tmux, samples: Samples, size: int, poll: float) -> None:
    """Go to the first story row with other sources on the first page (its ``+N sources``
    shows); time ``z`` until it unfolds (and again until it folds), :data:`REPEATS` times."""
    columns = int(tmux.width * 0.4)
    width = int(tmux.width * 0.45)

    def list_region(lines: list[str]) -> tuple[str, ...]:
        return sb.region(lines, columns, 2, tmux.height - 2)

    tmux.keys("g")
    sb.settle(tmux, 0.3, poll)
    lines = tmux.capture()
    found = [n for n in range(1, tmux.height - 2) if STORY_MARK.search(lines[n][:width])]
    if not found:
        samples.add("story expanded (z)", size, None)
        return
    if found[0] > 1:
        tmux.keys(*["j"] * (found[0] - 1))
    sb.settle(tmux, 0.5, poll)
    for _ in range(REPEATS):
        took = sb.press_until_redrawn(tmux, "z", list_region, poll)
        samples.add("story expanded (z)", size, took)
        sb.settle(tmux, 0.3, poll)
        sb.press_until_redrawn(tmux, "z", list_region, poll)
        sb.settle(tmux, 0.3, poll)


# -- the table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One row of the table: how its samples become one number, and its targets."""

    name: str
    unit: str
    """``s``, ``ms`` or ``MB``."""
    stat: str
    """``median``, ``p95`` or ``max`` of the samples."""
    target: float | None = None
    """At the largest size (the unit's number)."""
    ratio: float | None = None
    """The largest size's figure over the one a tenth of it, at most."""


FIGURES = (
    Figure("ingest (refresh of the folder)", "s", "median", 150.0, 10.0),
    Figure("ingest: largest process", "MB", "max", 500.0),
    Figure("ingest: process tree", "MB", "max"),
    Figure("`biotui group` after the refresh", "s", "median"),
    Figure("`list --filter … --limit 100 --json`", "s", "median", 0.3),
    Figure("`list --filter … --json` (every hit)", "s", "median", 1.0, 10.0),
    Figure("first headline", "s", "median", 0.4, 1.15),
    Figure("app memory after start", "MB", "max"),
    Figure("app memory", "MB", "max", 100.0, 1.15),
    Figure("filter keystroke", "ms", "p95", 100.0, 1.15),
    Figure("j", "ms", "p95", 100.0, 1.15),
    Figure("Page Down", "ms", "p95", 100.0, 1.15),
    Figure("G", "ms", "p95", 100.0, 1.15),
    Figure("side panel's counts (b)", "ms", "p95", 100.0, 1.15),
    Figure("side panel's counts, `read_counts` in-process", "ms", "median", 100.0, 1.15),
    Figure("story expanded (z)", "ms", "p95", 100.0, 1.15),
    Figure("`drug:` filter typed at once", "ms", "p95", 100.0, 1.15),
    Figure("`target:` filter typed at once", "ms", "p95"),
)


def statistic(values: list[float], stat: str) -> float | None:
    """The figure's number from its samples."""
    if not values:
        return None
    if stat == "max":
        return max(values)
    if stat == "p95":
        return sb.percentile(sorted(values), 95)
    return statistics.median(values)


def shown(value: float | None, unit: str) -> str:
    """A number for the table in its figure's unit (samples are in seconds or MB)."""
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s" if value < 10 else f"{value:.0f} s"
    return f"{value:.0f} MB"


def in_unit(value: float, unit: str) -> float:
    """A sample in the figure's unit (targets are given in it)."""
    return value * 1000 if unit == "ms" else value


def short(size: int) -> str:
    """1000000 as ``1M``, 100000 as ``100k``."""
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"


def table(samples: Samples, sizes: list[int]) -> list[str]:
    """The Markdown table: every figure at every size, the ratio, the target, the verdict."""
    large = max(sizes)
    small = large // 10 if large // 10 in sizes else None
    ratio_name = f"{short(large)} ÷ {short(small)}" if small else "ratio"
    lines = [
        "| figure | " + " | ".join(f"{size:,}" for size in sizes) + f" | {ratio_name} "
        "| target | verdict |",
        "|---|" + "---:|" * len(sizes) + "---:|---|---|",
    ]
    for figure in FIGURES:
        values = {size: statistic(samples.get(figure.name, size), figure.stat) for size in sizes}
        if all(value is None for value in values.values()):
            continue
        failed = sum(samples.failures.get(figure.name, {}).values())
        top, below = values[large], values.get(small) if small else None
        ratio = top / below if top is not None and below else None
        checks: list[bool] = []
        target = []
        if figure.target is not None:
            target.append(f"≤ {figure.target:g} {figure.unit}")
            if top is not None:
                checks.append(in_unit(top, figure.unit) <= figure.target)
        if figure.ratio is not None:
            target.append(f"≤ {figure.ratio:g}×")
            if ratio is not None:
                checks.append(ratio <= figure.ratio)
        verdict = "" if not checks else ("ok" if all(checks) else "OVER")
        if failed:
            verdict = f"{verdict} ({failed} timed out)".strip()
        label = f"{figure.name} ({figure.stat})"
        lines.append(
            f"| {label} | "
            + " | ".join(shown(values[size], figure.unit) for size in sizes)
            + f" | {'-' if ratio is None else f'{ratio:.2f}×'} | {', '.join(target)} "
            f"| {verdict} |"
        )
    return lines


def main() -> int:
    """Build (or reuse) the stores, measure every size, print and write the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="articles per store")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "biotui-scale-bench"
    )
    parser.add_argument("--datasets", type=Path, help="the feed folders (default: --data)")
    parser.add_argument("--skip-build", action="store_true", help="only use stores built before")
    parser.add_argument("--rebuild", action="store_true", help="build every store again")
    parser.add_argument("--build-only", action="store_true", help="build the stores and stop")
    parser.add_argument(
        "--ingest-again",
        action="store_true",
        help="measure the ingest of every store that is reused again (into a scratch folder)",
    )
    parser.add_argument(
        "--group-limit",
        type=float,
        default=600.0,
        help="seconds `biotui group` may take before it is stopped (Ctrl-C keeps its work)",
    )
    parser.add_argument("--results", type=Path, help="rewrite the scale-bench block of FILE")
    parser.add_argument("--list-runs", type=int, default=3, help="`list` runs per round")
    parser.add_argument("--starts", type=int, default=2, help="app starts per round")
    parser.add_argument("--poll-ms", type=float, default=5.0, help="screen poll interval")
    parser.add_argument("--size", default="160x48", help="terminal size, COLSxROWS")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    root: Path = args.data.resolve()
    datasets: Path = (args.datasets or args.data).resolve()
    out = sys.stdout
    env = sb.child_env(root, True, None)
    stores: dict[int, Store] = {}
    manifests: dict[int, dict[str, Any]] = {}
    say(out, "stores:")
    for size in sizes:
        folder = folder_bench.ensure_folder(datasets, size // ITEMS, ITEMS)
        stores[size] = Store(size, folder, root / f"store-{size}")
        reused = load_manifest(stores[size])
        if args.ingest_again and reused is not None and not args.rebuild:
            ingest_again(stores[size], reused, env, out)
        manifests[size] = ensure(
            stores[size],
            env,
            out,
            rebuild=args.rebuild,
            skip=args.skip_build,
            group_limit=args.group_limit,
        )
    if args.build_only:
        return 0
    samples = Samples()
    for size in sizes:
        ingest, group = manifests[size]["ingest"], manifests[size]["group"]
        samples.add("ingest (refresh of the folder)", size, ingest["seconds"])
        samples.add("ingest: largest process", size, ingest["largest_mb"])
        samples.add("ingest: process tree", size, ingest["tree_mb"])
        samples.add("`biotui group` after the refresh", size, group["seconds"])
    wants = {size: expected(stores[size], env) for size in sizes}
    for size in sizes:
        want = wants[size]
        say(
            out,
            f"  {size:,}: {want.total:,} articles shown, first row {want.headline!r}, "
            f"filters {want.id_filters}",
        )
    width, height = (int(n) for n in args.size.lower().split("x"))
    poll = args.poll_ms / 1000
    tmux = sb.Tmux(width, height, env)
    hits: dict[int, int] = {}
    try:
        say(out, "warming up (page cache, bytecode, each store's start frame) …")
        for size in sizes:
            store = stores[size]
            subprocess.run([*store.command(), "list", "--limit", "1"], capture_output=True, env=env)
            for _ in range(2):
                sb.run_app(tmux, store.command(), sb.shows(wants[size].headline), poll)
                sb.settle(tmux, 0.5, poll)
            tmux.stop_app(poll)
        for round_no in range(args.rounds):
            for size in rb.alternate(sizes, round_no):
                store = stores[size]
                say(out, f"round {round_no + 1}, {size:,} articles (load {os.getloadavg()[0]:.2f})")
                list_base = [*store.command(), "list", "--filter", LIST_QUERY, "--json"]
                for _ in range(args.list_runs):
                    took, _lines = timed_run([*list_base, "--limit", "100"], env)
                    samples.add("`list --filter … --limit 100 --json`", size, took)
                    took, hits[size] = timed_run(list_base, env)
                    samples.add("`list --filter … --json` (every hit)", size, took)
                    samples.add(
                        "side panel's counts, `read_counts` in-process",
                        size,
                        panel_counts_in_process(store),
                    )
                app_session(tmux, store, wants[size], samples, args.starts, poll, out)
                say(out, "  " + progress(samples, size))
    except sb.AppFailed as failure:
        say(out, f"APP FAILED: {failure}")
    finally:
        for line in tmux.diagnostics:
            say(out, f"  {line}")
        tmux.close()
    rows = table(samples, sizes)
    info = sb.machine()
    notes = notes_for(sizes, manifests, wants, hits, args, info)
    print("\n".join(["", *rows, "", *notes]), file=out)
    if args.results:
        rb.write_block(
            args.results,
            [*notes[:1], "", *rows, "", *notes[1:]],
            MARK_BEGIN,
            MARK_END,
            "Scale benchmark, 10,000 to 1,000,000 articles (issue 30)",
        )
        say(out, f"wrote {args.results}")
    return 0


def progress(samples: Samples, size: int) -> str:
    """One line of this size's figures so far (medians)."""
    parts = []
    for figure in FIGURES[4:]:
        value = statistic(samples.get(figure.name, size), "median")
        if value is not None:
            parts.append(f"{figure.name.split(' (')[0]} {shown(value, figure.unit)}")
    return " · ".join(parts)


def store_note(size: int, manifest: dict[str, Any]) -> str:
    """When a store was built and its ingest measured, and what grouping left."""
    ingest, group = manifest["ingest"], manifest["group"]
    measured = ingest.get("measured", manifest.get("built"))
    left = group.get("left_ungrouped", 0)
    stopped = f" (stopped after {group['stopped_after']:.0f} s)" if left else ""
    return (
        f"{size:,}: {manifest['articles']:,} articles, {manifest.get('db_mb', 0):,.0f} MB on "
        f"disk, built {manifest.get('built')} at `{manifest.get('commit')}`; ingest measured "
        f"{measured} (load {ingest.get('load', manifest.get('load'))}), CPU "
        f"{ingest['cpu_seconds']:.0f} s; the refresh left {ingest['left_ungrouped']:,} "
        f"articles ungrouped, `biotui group` took {group['seconds']:.0f} s{stopped} and left "
        f"{left:,}"
    )


def notes_for(
    sizes: list[int],
    manifests: dict[int, dict[str, Any]],
    wants: dict[int, Expected],
    hits: dict[int, int],
    args: argparse.Namespace,
    info: dict[str, str],
) -> list[str]:
    """The lines under the table: when, where and on what it was measured."""
    built = "; ".join(store_note(size, manifests[size]) for size in sizes)
    return [
        f"Measured {info['date']} at `{info['commit']}` (load {info['load']}), "
        f"{args.rounds} round(s), sizes alternating; {info['cpu']}, Python {info['python']}, "
        f"SQLite {info['sqlite']}, Textual {info['textual']}, terminal {args.size}.",
        f"- Stores: {built}.",
        "- Articles the app counts (mute rule on) and `CAR-T OR lupus` hits: "
        + ", ".join(f"{size:,}: {wants[size].total:,} and {hits.get(size, 0):,}" for size in sizes)
        + "; identifier filters: "
        + ", ".join(f"{size:,}: {wants[size].id_filters}" for size in sizes)
        + ".",
        "- p95 over every key of every round (50 `j`, 50 Page Down, 3 `G`, the query's "
        f"keystrokes typed {TYPINGS} times, {REPEATS} `b`, {REPEATS} of each identifier filter "
        f"and {REPEATS} `z` per round); memory: the app's VmHWM after every key.",
        f"- Rerun: `PYTHONPATH=src python bench/scale_bench.py --sizes {args.sizes} "
        f"--rounds {args.rounds} --data {args.data}`.",
    ]


if __name__ == "__main__":
    raise SystemExit(main())
