"""Story grouping's cost at ingest, and its precision on generated feeds (issue 28).

    PYTHONPATH=src python bench/stories_bench.py [--out /tmp/biotui-refresh-bench] [--rounds 5]
        [--identifiers found,given] [--results bench/RESULTS.md]

Uses feedgen.py's ``stories`` dataset (100 feeds x 50 items naming trials, drug codes and
DOIs; about a third of the items retell events that 2-5 feeds report). Each run ingests the
whole dataset into a new store in this process, the way a refresh does: parse each feed
(``parse_feed``), store 8 feeds per transaction (``ingest_batch``). A *grouped* run also works
out every article's story features (``grouping_of``, the workers' part) and groups each batch
after it is stored (``Grouper.add``, the writer's part). Every run starts with the grouping's
caches empty, as a new worker's are.

Two ways of getting the identifiers the grouping compares (``--identifiers``):

- ``found``: the grouping finds those of each title and lede itself (the recogniser's cost on
  them is the grouping's);
- ``given``: the grouping keeps those of the whole article that its title and lede name (the
  pipeline: the workers pass the identifiers they found for the store into ``grouping_of``).

Either way the parse finds each whole article's identifiers and hands them to the store, as
the refresh's workers do (every run, plain or grouped, pays for that: it is the identifiers'
cost, not the grouping's), so a plain run is the same ingest in both ways.

For each way, plain and grouped runs alternate, ``--rounds`` of each; the CPU time
(``time.process_time``) of each is printed, then the medians and the grouping's share, and the
pairwise precision and recall of the grouping against the generator's truth. Last, grouping
a plain store afterwards (an upgraded store's background work): articles per second.
"""

from __future__ import annotations

import argparse
import itertools
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import feedgen
import refresh_bench as rb

from biotui.model import Article
from biotui.refresh.grouping import Grouper, group_pending, grouping_of
from biotui.refresh.worker import identifiers_of
from biotui.sources import parse_feed
from biotui.store import IngestRequest, Store
from biotui.stories import events, words

BATCH = 8
_GUID = re.compile(r"(\d{3})[:/](\d{5})$")
MARK_BEGIN = "<!-- stories-bench:begin -->"
MARK_END = "<!-- stories-bench:end -->"


def cold() -> None:
    """Empty the grouping's caches, as in a new worker."""
    words.fold.cache_clear()
    words._PIECES.clear()
    events._PIECE_BITS.clear()


def run(folder: Path, files: list[Path], grouped: bool, given: bool) -> tuple[float, float, Store]:
    """Ingest ``files`` into a new store in ``folder``: (CPU seconds, of which grouping)."""
    cold()
    store = Store(folder / "biotui.db")
    grouper = Grouper(store)
    began = time.process_time()
    grouping = 0.0
    for start in range(0, len(files), BATCH):
        requests = []
        groupings = []
        for path in files[start : start + BATCH]:
            result = parse_feed(path.read_bytes(), path.stem)
            found = identifiers_of(result.articles)
            requests.append(IngestRequest(path.stem, result.articles, identifiers=found))
            if grouped:
                mark = time.process_time()
                groupings.extend(
                    grouping_of(a, found.get(a.id, ()) if given else None) for a in result.articles
                )
                grouping += time.process_time() - mark
        store.ingest_batch(requests)
        if grouped:
            mark = time.process_time()
            grouper.add(groupings)
            grouping += time.process_time() - mark
    return time.process_time() - began, grouping, store


def score(store: Store, truth: dict[str, str]) -> tuple[int, int, int, int]:
    """(right pairs, wrong pairs, of those with the same title, missed pairs) of the store's
    stories against ``truth``. The generator's own items are drawn from a small vocabulary:
    two of them may get one title (``FDA approves Amgen's obesity drug``) within days, which
    a reader would take for one story; those wrong pairs are counted apart."""
    rowids = store.headline_ids()
    stories = store.stories.story_of(rowids)
    label: dict[int, str] = {}
    found: dict[int, int] = {}
    titles: dict[int, str] = {}
    for rowid in rowids:
        article: Article | None = store.article(rowid)
        assert article is not None
        match = _GUID.search(article.guid)
        assert match is not None, article.guid
        key = f"{match.group(1)}:{match.group(2)}"
        label[rowid] = truth.get(key, key)
        found[rowid] = stories[rowid]
        titles[rowid] = article.title
    right = wrong = same_title = missed = 0
    for a, b in itertools.combinations(rowids, 2):
        same, together = label[a] == label[b], found[a] == found[b]
        right += same and together
        wrong += together and not same
        same_title += together and not same and titles[a] == titles[b]
        missed += same and not together
    return right, wrong, same_title, missed


def measure(files: list[Path], truth: dict[str, str], rounds: int, given: bool) -> list[str]:
    """Alternate plain and grouped runs; the lines describing them."""
    times: dict[bool, list[float]] = {False: [], True: []}
    shares: list[float] = []
    scored: tuple[int, int, int, int] | None = None
    articles = stories = 0
    way = "given" if given else "found"
    for round_number in range(rounds):
        for grouped in (False, True):
            with tempfile.TemporaryDirectory() as folder:
                cpu, grouping, store = run(Path(folder), files, grouped, given)
                if grouped and round_number == 0:
                    scored = score(store, truth)
                    articles = store.total()
                    stories = len(store.stories.summaries(store.headline_ids()))
                store.close()
            times[grouped].append(cpu)
            if grouped:
                shares.append(grouping / cpu)
            print(
                f"identifiers {way}, round {round_number + 1} "
                f"{'grouped' if grouped else 'plain  '}: {cpu:.2f} s CPU"
                + (f" (grouping {grouping:.2f} s)" if grouped else "")
            )
    plain, grouped_cpu = statistics.median(times[False]), statistics.median(times[True])
    assert scored is not None
    right, wrong, same_title, missed = scored
    return [
        f"| identifiers {way}: ingest, plain (median; min–max) | {plain:.2f} s "
        f"({min(times[False]):.2f}–{max(times[False]):.2f}) |",
        f"| identifiers {way}: ingest, grouped (median; min–max) | {grouped_cpu:.2f} s "
        f"({min(times[True]):.2f}–{max(times[True]):.2f}) |",
        f"| identifiers {way}: grouped ÷ plain | {grouped_cpu / plain:.2f}× |",
        f"| identifiers {way}: the grouping's own share of a grouped run | "
        f"{statistics.median(shares):.1%} |",
        f"| identifiers {way}: stories; pairwise precision; recall | {articles:,} articles in "
        f"{stories:,} stories; {right / max(1, right + wrong):.1%} ({wrong} wrong pairs, "
        f"{same_title} of them two items given one title); {right / max(1, right + missed):.1%} "
        f"({right}/{right + missed}) |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/biotui-refresh-bench"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--identifiers", default="found,given", help="found, given or both")
    parser.add_argument("--results", type=Path, help="rewrite this file's stories-bench block")
    args = parser.parse_args()
    manifest, _ = feedgen.ensure_dataset(args.out / "stories", "stories", quiet=True)
    files = [args.out / "stories" / entry["name"] for entry in manifest["files"]]
    truth: dict[str, str] = manifest["stories"]
    rows: list[str] = []
    for way in args.identifiers.split(","):
        rows += measure(files, truth, args.rounds, given=way.strip() == "given")
    with tempfile.TemporaryDirectory() as folder:
        cold()
        _, _, store = run(Path(folder), files, False, False)
        began = time.process_time()
        done = group_pending(store).done
        seconds = time.process_time() - began
        store.close()
    rows.append(
        f"| grouping a stored {done:,} afterwards (an upgraded store's work) | "
        f"{seconds:.2f} s CPU, {done / seconds:,.0f} articles/s |"
    )
    machine = rb.sb.machine()
    lines = [
        f"Story grouping at ingest: feedgen's `stories` dataset ({manifest['total_items']:,} "
        f"items in {len(files)} feeds), plain and grouped runs alternating, {args.rounds} of "
        f"each, CPU time in one process, at `{machine['commit']}` (load {machine['load']}):",
        "",
        "| figure | value |",
        "|---|---:|",
        *rows,
    ]
    print("\n".join(lines))
    if args.results:
        rb.write_block(args.results, lines, MARK_BEGIN, MARK_END, "Story grouping at ingest")


if __name__ == "__main__":
    main()
