"""Time mute rules on a store of N synthetic articles (run by hand; no test depends on it).

    python bench/make_store.py --articles 100000 --data-dir /tmp/biotui-bench-100000
    python bench/mute_bench.py --data-dir /tmp/biotui-bench-100000

For each set of rules (none; a realistic pair hiding about a tenth of the store; one broad rule
hiding about half of it), it writes a feeds.toml with the store's 20 feeds, two saved searches
and those rules, and measures, median of ``--rounds``:

- the side panel's counts (``read_counts``: every feed, saved search, tag and rule), on a
  freshly opened store and again on the same one;
- the first page (``newest_headlines(40)``) on a freshly opened store;
- the app's filter ``CAR-T OR lupus`` over all articles (``read_headlines``), fresh;
- ``biotui list --filter "CAR-T OR lupus" --limit 100``, ``biotui list --limit 100`` and
  ``biotui list --muted --limit 100`` as subprocesses, end to end.

It prints a Markdown table (docs/performance.md keeps the figures).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

from biotui.app.queries import read_counts, read_headlines  # noqa: E402
from biotui.app.scope import ALL  # noqa: E402
from biotui.config import load_config  # noqa: E402
from biotui.model import Config  # noqa: E402
from biotui.search import mute_queries  # noqa: E402
from biotui.store import Store  # noqa: E402

HALF = ["Amgen", "Vertex", "Regeneron", "Gilead", "Moderna", "BioNTech", "CARsgen", "Kyverna"]
HALF += ["Novartis", "Roche", "Pfizer", "Sanofi", "Intellia", "Biogen"]

RULE_SETS: dict[str, list[tuple[str, str]]] = {
    "no rules": [],
    "2 rules, ~11 % muted": [
        ("Weight and skin", "obesity OR psoriasis"),
        ("Feed 03 on Amgen", 'feed:"Bench Feed 03" title:Amgen'),
    ],
    "1 rule, ~50 % muted": [("Half of the companies", " OR ".join(HALF))],
}


def write_config(path: Path, rules: list[tuple[str, str]]) -> Config:
    feeds = "".join(
        f'[[feeds]]\nname = "Bench Feed {n:02d}"\nurl = "https://bench.example/{n}"\n'
        f'tags = ["{"even" if n % 2 == 0 else "odd"}"]\n'
        for n in range(20)
    )
    searches = (
        '[[searches]]\nname = "CAR-T"\nquery = "CAR-T"\n'
        '[[searches]]\nname = "Lupus not CAR-T"\nquery = "lupus -CAR-T"\n'
    )
    mutes = "".join(
        f"[[mute]]\nname = {json.dumps(name)}\nquery = {json.dumps(query)}\n"
        for name, query in rules
    )
    path.write_text(
        "[settings]\nrefresh_on_start = false\n" + feeds + searches + mutes, encoding="utf-8"
    )
    return load_config(path)


def opened(data_dir: Path, config: Config) -> Store:
    store = Store.open(data_dir)
    if config.mutes:
        store.set_mute(mute_queries(rule.query for rule in config.mutes))
    return store


def timed(job: Callable[[], object]) -> float:
    began = time.perf_counter()
    job()
    return (time.perf_counter() - began) * 1000


def median_ms(rounds: int, job: Callable[[], float]) -> str:
    values = [job() for _ in range(rounds)]
    return f"{statistics.median(values):,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data: Path = args.data_dir
    config_path = data / "mute-bench.toml"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    rows = []
    for label, rules in RULE_SETS.items():
        config = write_config(config_path, rules)
        with opened(data, config) as store:
            muted = store.article_count(muted=True) if rules else 0
            total = store.total()

        def counts_fresh(config: Config = config) -> float:
            with opened(data, config) as store:
                return timed(lambda: read_counts(store, config))

        def counts_again(config: Config = config) -> float:
            with opened(data, config) as store:
                read_counts(store, config)
                return timed(lambda: read_counts(store, config))

        def first_page(config: Config = config) -> float:
            with opened(data, config) as store:
                return timed(lambda: store.newest_headlines(40))

        def app_filter(config: Config = config) -> float:
            with opened(data, config) as store:
                return timed(lambda: read_headlines(store, "CAR-T OR lupus", ALL, "newest"))

        def cli(*words: str) -> Callable[[], float]:
            command = [sys.executable, "-m", "biotui", "--config", str(config_path)]
            command += ["--data-dir", str(data), "list", *words]

            def run() -> float:
                return timed(
                    lambda: subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
                )

            return run

        rounds = args.rounds
        rows.append(
            [
                label,
                f"{muted:,} of {muted + total:,}",
                median_ms(rounds, counts_fresh),
                median_ms(rounds, counts_again),
                median_ms(rounds, first_page),
                median_ms(rounds, app_filter),
                median_ms(rounds, cli("--filter", "CAR-T OR lupus", "--limit", "100")),
                median_ms(rounds, cli("--limit", "100")),
                median_ms(rounds, cli("--muted", "--limit", "100")) if rules else "",
            ]
        )
        print(" | ".join(rows[-1]), file=sys.stderr)
    header = [
        "rules",
        "muted",
        "panel counts, fresh (ms)",
        "panel counts, again (ms)",
        "first page (ms)",
        "app filter (ms)",
        "`list --filter … --limit 100` (ms)",
        "`list --limit 100` (ms)",
        "`list --muted --limit 100` (ms)",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
