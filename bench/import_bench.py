"""Time ``biotui import`` of an OPML file of many feeds into a configuration (target: < 1 s).

    PYTHONPATH=src python bench/import_bench.py [--feeds 1000] [--existing 100] [--rounds 3]
        [--results bench/RESULTS.md]

Writes an OPML file of N feeds in 20 folders and a configuration that already holds
``--existing`` of them, then runs the import in-process (reading, merging with tomlkit, the
atomic write and the check that the result loads) and prints the wall time of each round;
``--results`` rewrites the ``import-bench`` block of that file.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from biotui.cli import main
from biotui.config import load_config

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import refresh_bench as rb  # noqa: E402  (bench/ is not a package)

TARGET_SECONDS = 1.0


def opml(count: int) -> str:
    folders: dict[int, list[str]] = {}
    for number in range(count):
        folders.setdefault(number % 20, []).append(
            f'<outline type="rss" text="Feed {number}" title="Feed {number}" '
            f'xmlUrl="https://feeds{number}.example.org/rss.xml"/>'
        )
    body = "".join(
        f'<outline text="Folder {folder}">{"".join(items)}</outline>'
        for folder, items in folders.items()
    )
    return f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'


def config(existing: int) -> str:
    return "# benchmark configuration\n" + "".join(
        f'\n[[feeds]]\nname = "Feed {n}"\nurl = "https://feeds{n}.example.org/rss.xml"\n'
        for n in range(existing)
    )


def run_import(feeds: int, existing: int) -> tuple[float, int, int]:
    """One import into a fresh configuration; its wall time, exit status and feeds configured."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "feeds.opml"
        source.write_text(opml(feeds), encoding="utf-8")
        target = root / "feeds.toml"
        target.write_text(config(existing), encoding="utf-8")
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            status = main(["--config", str(target), "import", str(source)])
        elapsed = time.perf_counter() - started
        return elapsed, status, len(load_config(target).feeds)


def main_bench() -> int:
    """Run the benchmark; return 1 if a round failed or took longer than the target."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--existing", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--results", type=Path, help="rewrite this file's import-bench block")
    args = parser.parse_args()
    runs = [run_import(args.feeds, args.existing) for _ in range(args.rounds)]
    for elapsed, status, loaded in runs:
        print(
            f"import of {args.feeds} feeds ({args.existing} already configured): "
            f"{elapsed:.3f} s, exit {status}, {loaded} feeds configured"
        )
    walls = [elapsed for elapsed, _, _ in runs]
    problems = [
        f"exit {status}, {loaded} feeds configured"
        for _, status, loaded in runs
        if status != 0 or loaded != args.feeds
    ]
    if max(walls) >= TARGET_SECONDS:
        problems.append(f"slowest round {max(walls):.3f} s, over the target")
    rows = [
        f"`biotui import` of an OPML file of {args.feeds:,} feeds in 20 folders into a "
        f"configuration holding {args.existing} of them, in-process, {args.rounds} round(s), "
        f"at `{rb.sb.machine()['commit']}`:",
        "",
        "| figure | value | target |",
        "|---|---:|---|",
        f"| wall time (median; min–max) | {statistics.median(walls):.3f} s "
        f"({min(walls):.3f}–{max(walls):.3f} s) | under {TARGET_SECONDS:g} s |",
        f"| feeds configured after the import | {runs[-1][2]:,} | {args.feeds:,} |",
    ]
    if problems:
        rows += ["", "Problems:", *(f"- {problem}" for problem in problems)]
    if args.results:
        rb.write_block(
            args.results,
            rows,
            "<!-- import-bench:begin -->",
            "<!-- import-bench:end -->",
            "Importing 1,000 feeds",
        )
        print("\n".join(rows))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main_bench())
