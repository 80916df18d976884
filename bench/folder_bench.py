"""Ingest a folder of saved feeds: time, cores used and peak memory (issue 25, part 2).

    python bench/folder_bench.py --files 40 --items 2500                 # 100,000 items
    python bench/folder_bench.py --files 400 --items 2500 --rounds 1     # 1,000,000 items
    python bench/folder_bench.py --files 40 --items 2500 --baseline ../before/src

Run by hand; no test depends on it. The dataset (RSS and Atom files from ``feedgen.py``) is
generated under ``--data`` once and reused. Each round refreshes one local feed whose path is
the dataset's files into a fresh data dir: ``python -m biotui --config F --data-dir D
refresh``, measured from spawn to exit. Reported: wall time, CPU time of the process tree
(CPU ÷ wall is how many cores it kept busy), the largest single process's peak RSS
(``ru_maxrss`` from ``wait4``) and the peak of the tree's summed RSS (sampled). With
``--baseline SRC`` the biotui package in SRC runs too, alternately.
``--results FILE`` rewrites the block between the ``folder-bench FILESxITEMS`` markers of FILE
(one block per dataset size).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import feedgen  # noqa: E402  (bench/ is not a package)
import refresh_bench as rb  # noqa: E402
import search_bench as sb  # noqa: E402

PEAK_TARGET_MB = 500.0
"""The issue's bound on the largest process while a million items are ingested."""


def ensure_folder(root: Path, files: int, items: int) -> Path:
    """The dataset of ``files`` feed files of ``items`` items each, generated if missing; the
    benchmark terms come at ``make_store``'s rates, as in the stores issue 30 measured."""
    spec = feedgen.Spec(
        files,
        items,
        6003,
        datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        timedelta(seconds=31),
        mention_rate=feedgen.make_store.MENTION_RATE,
    )
    out = root / f"folder-{files}x{items}"
    began = time.perf_counter()
    _manifest, built = feedgen.ensure_dataset(out, "folder", spec, quiet=True)
    if built:
        print(f"generated {out} in {time.perf_counter() - began:.0f} s", flush=True)
    return out


def stored(data_dir: Path) -> int:
    """How many articles the store in ``data_dir`` holds."""
    with sqlite3.connect(f"file:{data_dir / 'biotui.db'}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])


def one_run(name: str, env: dict[str, str], folder: Path, run_dir: Path) -> rb.Run:
    """One cold refresh of the folder feed by the biotui in ``env``."""
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    config = run_dir / "feeds.toml"
    config.write_text(
        f'[settings]\nrefresh_on_start = false\n\n[[feeds]]\nname = "Saved"\npath = '
        f'"{folder}/feed-*"\n',
        encoding="utf-8",
    )
    argv = [*sb.biotui_command(config, run_dir / "data"), "refresh"]
    return rb.run_measured(argv, env, sample_tree=True, timeout=3600)


def main() -> int:
    """Run the benchmark; return 1 if a run failed or stored the wrong count."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--items", type=int, default=2500, help="items per file")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--data", type=Path, default=Path(tempfile.gettempdir()) / "biotui-folder-bench"
    )
    parser.add_argument("--baseline", type=Path, help="another tree's src/ to run alternately")
    parser.add_argument("--results", type=Path, help="rewrite the folder-bench block of FILE")
    args = parser.parse_args()
    root: Path = args.data.resolve()
    folder = ensure_folder(root, args.files, args.items)
    expected = args.files * args.items
    readers = {"biotui": sb.child_env(root, True, None)}
    if args.baseline is not None:
        readers["baseline"] = sb.child_env(root, True, args.baseline.resolve())
    runs: dict[str, list[rb.Run]] = {name: [] for name in readers}
    problems: list[str] = []
    for round_no in range(args.rounds):
        for name in rb.alternate(list(readers), round_no):
            run_dir = root / "runs" / name
            run = one_run(name, readers[name], folder, run_dir)
            count = stored(run_dir / "data") if run.returncode == 0 else 0
            if run.returncode != 0 or count != expected:
                problems.append(
                    f"{name}: exit {run.returncode}, {count} of {expected} stored "
                    f"{run.stderr.strip()[-300:]}"
                )
            runs[name].append(run)
            print(
                f"round {round_no + 1} {name}: {run.seconds:.1f} s, CPU {run.cpu_seconds:.1f} s, "
                f"largest process {run.max_rss_mb:.0f} MB, tree {run.tree_mb or 0:.0f} MB, "
                f"{count} stored",
                flush=True,
            )
    rows = [
        f"Ingest of one local feed of {args.files} saved feed files × {args.items} items "
        f"({expected:,} items), {args.rounds} round(s), at `{sb.machine()['commit']}`:",
        "",
        "| reader | wall (median) | CPU | cores busy (CPU ÷ wall) | largest process (max) "
        "| process tree (max) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, done in runs.items():
        wall = statistics.median(run.seconds for run in done)
        cpu = statistics.median(run.cpu_seconds for run in done)
        largest = max(run.max_rss_mb for run in done)
        tree = max(run.tree_mb or 0 for run in done)
        rows.append(
            f"| {name} | {wall:.1f} s | {cpu:.1f} s | {cpu / wall:.2f} | {largest:.0f} MB "
            f"| {tree:.0f} MB |"
        )
    rows += ["", f"Target: the largest process under {PEAK_TARGET_MB:.0f} MB at 1,000,000 items."]
    if problems:
        rows += ["", "Problems:", *(f"- {problem}" for problem in problems)]
    print("\n".join(rows))
    if args.results:
        size = f"{args.files}x{args.items}"
        rb.write_block(
            args.results,
            rows,
            f"<!-- folder-bench {size}:begin -->",
            f"<!-- folder-bench {size}:end -->",
            f"Folder ingest benchmark, {expected:,} items",
        )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
