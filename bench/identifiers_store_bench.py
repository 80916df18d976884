"""What keeping identifiers costs the store: ingest with and without them, and the backfill.

    PYTHONPATH=src python bench/identifiers_store_bench.py [--articles 20000] [--rounds 3]
        [--backfill 100000] [--corpus ../shared/corpus] [--data-dir /tmp/biotui-idbench]

Run by hand; no test depends on it. In-process, on the shared machine, so only ratios taken in
the same run count.

- **ingest**: the same articles (``make_store.py``'s generated ones, which name CD19 and KJ-C
  codes, and every article of ``--corpus`` read with ``parse_feed``) stored into a fresh store
  with ``Store.ingest_batch``, a request per feed, in three ways alternating round by round:
  *none* (requests saying no article names anything: the ingest as it was, rows and index),
  *given* (the identifiers found beforehand, as the refresh's workers send them: the writer
  only stores them) and *found* (none given: the writer finds them itself). Then the
  recogniser's own time over the same articles: the CPU the workers take on.
- **backfill**: a store of ``--backfill`` generated articles (built once with
  ``make_store.py``, kept in ``--data-dir``) is copied, its identifiers dropped and its
  backfill mark set as the schema-10 upgrade leaves it; then ``backfill_identifiers`` runs
  it to the end (batches of ``BATCH``, no pause) and the articles per second are printed,
  with the time of the first batch (what an interrupted backfill loses at most).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import make_store  # noqa: E402  (bench/ is not a package)

from biotui.identifiers import find_identifiers  # noqa: E402
from biotui.model import Article  # noqa: E402
from biotui.refresh.backfill import BATCH, backfill_identifiers  # noqa: E402
from biotui.sources import parse_feed  # noqa: E402
from biotui.store import IngestRequest, Store  # noqa: E402

DEFAULT_CORPUS = BENCH_DIR.parents[1] / "shared" / "corpus"


def generated(count: int, feeds: int = 20) -> list[Article]:
    rng = random.Random(2026)
    return [make_store.make_article(rng, n, f"Bench Feed {n % feeds:02d}")[0] for n in range(count)]


def corpus(path: Path) -> list[Article]:
    manifest = json.loads((path / "feedparser-manifest.json").read_text("utf-8"))
    found: list[Article] = []
    for number, relative in enumerate(manifest):
        try:
            found.extend(parse_feed((path / relative).read_bytes(), f"Corpus {number}").articles)
        except Exception:
            continue
    return found


def requests(articles: Sequence[Article], mode: str) -> list[IngestRequest]:
    by_feed: dict[str, list[Article]] = {}
    for article in articles:
        by_feed.setdefault(article.feed, []).append(article)
    made = []
    for feed, items in by_feed.items():
        if mode == "none":
            given: dict[str, tuple[object, ...]] | None = {}
        elif mode == "given":
            given = {a.id: found for a in items if (found := find_identifiers(a.title, a.body))}
        else:
            given = None
        made.append(IngestRequest(feed, items, identifiers=given))  # type: ignore[arg-type]
    return made


def time_ingest(articles: Sequence[Article], mode: str) -> float:
    batch = requests(articles, mode)
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder)) as store:
        started = time.perf_counter()
        for start in range(0, len(batch), 8):  # the writer stores a few feeds at a time
            store.ingest_batch(batch[start : start + 8])
        return time.perf_counter() - started


def ingest_part(name: str, articles: Sequence[Article], rounds: int) -> None:
    chars = sum(len(a.title) + len(a.body) for a in articles)
    named = sum(len(find_identifiers(a.title, a.body)) for a in articles)
    print(f"\n{name}: {len(articles):,} articles, {chars:,} characters, {named:,} identifiers")
    times: dict[str, list[float]] = {"none": [], "given": [], "found": []}
    for mode in times:  # warm-up: the first store of a process costs more
        time_ingest(articles[:500], mode)
    for round_ in range(rounds):
        order = list(times) if round_ % 2 == 0 else list(reversed(times))
        for mode in order:
            times[mode].append(time_ingest(articles, mode))
        print(f"  round {round_ + 1}: " + ", ".join(f"{m} {times[m][-1]:.3f} s" for m in times))
    none, given, found = (statistics.median(times[m]) for m in ("none", "given", "found"))
    started = time.perf_counter()
    for article in articles:
        find_identifiers(article.title, article.body)
    recogniser = time.perf_counter() - started
    print(
        f"  median: none {none:.3f} s, given {given:.3f} s ({given / none:.3f}×), "
        f"found by the writer {found:.3f} s ({found / none:.3f}×); "
        f"the recogniser alone {recogniser:.3f} s ({recogniser / len(articles) * 1e6:.0f} µs "
        "an article, in the workers)"
    )


def backfill_part(count: int, data_dir: Path) -> None:
    manifest, built = make_store.ensure_store(data_dir, count, quiet=True)
    print(f"\nbackfill: {manifest['articles']:,} articles ({'built' if built else 'reused'})")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "biotui.db"
        shutil.copyfile(data_dir / "biotui.db", path)
        conn = sqlite3.connect(path)
        with conn:
            stored = conn.execute("SELECT count(*) FROM identifiers").fetchone()[0]
            conn.execute("DELETE FROM identifiers")
            conn.execute(
                "INSERT OR REPLACE INTO backfills"
                " SELECT 'identifiers', max(rowid) + 1 FROM articles"
            )
        conn.close()
        with Store(path) as store:
            started = time.perf_counter()
            first = backfill_identifiers(store, budget_s=0)
            first_s = time.perf_counter() - started
            run = backfill_identifiers(store)
            took = time.perf_counter() - started
        conn = sqlite3.connect(path)
        again = conn.execute("SELECT count(*) FROM identifiers").fetchone()[0]
        conn.close()
    done = first.done + run.done
    print(
        f"  {done:,} articles in {took:.1f} s: {done / took:,.0f} articles a second "
        f"(first batch of {BATCH}: {first_s * 1e3:.0f} ms); {again:,} rows "
        f"(the ingest had stored {stored:,})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backfill", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/biotui-idbench"))
    args = parser.parse_args()
    find_identifiers("warm", "up NCT06123456 KYV-101 CD19 doi:10.1000/x")
    ingest_part("generated", generated(args.articles), args.rounds)
    if args.corpus.is_dir():
        ingest_part("corpus", corpus(args.corpus), args.rounds)
    if args.backfill:
        backfill_part(args.backfill, args.data_dir)


if __name__ == "__main__":
    main()
