"""How biotui grows from 10,000 to 1,000,000 articles (issue 30; run by hand, no test uses it).

    PYTHONPATH=src python bench/scale_bench.py --sizes 10000,100000 --rounds 3
    PYTHONPATH=src python bench/scale_bench.py --rounds 1 --results bench/RESULTS.md
    PYTHONPATH=src python bench/scale_bench.py --datasets /tmp/biotui-folder-bench ...

Stores. Each size is a folder of saved feed files from ``feedgen.py`` (2,500 items each: 4,
40 and 400 files, ``folder_bench.py``'s datasets, reused from ``--datasets``), ingested the
way a reader would: ``python -m biotui --config F --data-dir D refresh`` of one local folder
feed, with every feature on (identifiers and stories are always on; the configuration adds a
saved search and a mute rule). That refresh is the ingest figure: wall time, the largest
process's peak (``ru_maxrss``) and the process tree's (sampled). A refresh of that size leaves
part of the stories' grouping for later, so ``biotui group`` runs next, timed too, and the
store is complete. A store is kept in ``--data`` with a manifest of what it was built from
and what its build measured, and reused while the manifest matches (``--rebuild`` builds
again; ``--skip-build`` refuses to build and uses what is there).

Figures, every round, sizes in rotated order so the 1M and 100k figures stand side by side:
``biotui list --filter "CAR-T OR lupus" --limit 100 --json`` and the same without a limit
(every hit), whole processes; in the real app under a private tmux server (``search_bench``'s
driver): the first headline on screen from the start (start frame included), the app's peak
memory (VmHWM), filter keystrokes (each until the status line shows its count), ``j`` and
Page Down ×50 and ``G`` (each until the list is redrawn), ``z`` on the first story that has
other sources (until it unfolds), ``b`` (until the side panel shows its counts) and a
``drug:`` filter typed at once (until its count shows). Also, in-process, ``read_counts`` (all
the side panel's counts) on a freshly opened store.

It prints a table (each figure at every size, the 1M ÷ 100k ratio, issue 30's target and a
verdict) and, with ``--results FILE``, rewrites the block between the ``scale-bench`` markers
of FILE.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
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
BENCH_VERSION = 1
"""Bump when the stores' configuration or build changes, so old stores are built again."""
MARK_BEGIN = "<!-- scale-bench:begin -->"
MARK_END = "<!-- scale-bench:end -->"
LIST_QUERY = "CAR-T OR lupus"
TYPED_QUERY = "CAR-T OR lupus"
SEARCH = ("CAR-T in lupus", "CAR-T lupus")
MUTE = ("Carter", "Carter")
"""A mute rule (name, query): the decoy sentence naming an analyst, a few % of articles."""
FEED = "Saved"


def config_text(folder: Path) -> str:
    """The configuration of a store: its folder feed, a saved search and a mute rule."""
    return (
        "[settings]\nrefresh_on_start = false\n\n"
        f'[[feeds]]\nname = "{FEED}"\npath = "{folder}/feed-*"\n\n'
        f'[[searches]]\nname = "{SEARCH[0]}"\nquery = "{SEARCH[1]}"\n\n'
        f'[[mute]]\nname = "{MUTE[0]}"\nquery = "{MUTE[1]}"\n'
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


def build(store: Store, env: dict[str, str], out: TextIO) -> dict[str, Any]:
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
    group = rb.run_measured([*store.command(), "group"], env, sample_tree=True, timeout=7200)
    if group.returncode != 0:
        raise SystemExit(f"biotui group failed: {group.stderr.strip()[-400:]}")
    say(
        out,
        f"  {store.size:,}: group {group.seconds:.1f} s, largest process "
        f"{group.max_rss_mb:.0f} MB: {group.stdout.strip()}",
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
            "output": group.stdout.strip(),
        },
        "db_mb": round(db_bytes(store.data) / 2**20, 1),
    }
    store.manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def ungrouped(data_dir: Path) -> int:
    """How many stored articles are in no story yet (as ``biotui group`` counts them)."""
    from biotui.store import Store as BiotuiStore

    with BiotuiStore.open(data_dir) as opened:
        return int(opened.stories.ungrouped())


def db_bytes(data_dir: Path) -> int:
    """The store's size on disk, its write-ahead log included."""
    return sum(path.stat().st_size for path in data_dir.glob("biotui.db*"))


def ensure(
    store: Store, env: dict[str, str], out: TextIO, *, rebuild: bool, skip: bool
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
    return build(store, env, out)


def say(out: TextIO, text: str) -> None:
    """Print a progress line at once."""
    print(text, file=out, flush=True)


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
    parser.add_argument("--results", type=Path, help="rewrite the scale-bench block of FILE")
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
        manifests[size] = ensure(
            stores[size], env, out, rebuild=args.rebuild, skip=args.skip_build
        )
    if args.build_only:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
