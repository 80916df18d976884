"""Story grouping's cost at ingest, and its precision on generated feeds (issue 28).

    PYTHONPATH=src python bench/stories_bench.py [--out /tmp/biotui-refresh-bench] [--rounds 5]

Uses feedgen.py's ``stories`` dataset (100 feeds x 50 items naming trials, drug codes and
DOIs; about a third of the items retell events that 2-5 feeds report). Each run ingests the
whole dataset into a new store in this process, the way a refresh does: parse each feed
(``parse_feed``), store 8 feeds per transaction (``ingest_batch``). A *grouped* run also works
out every article's story features (``grouping_of``, the workers' part) and groups each batch
after it is stored (``store_groupings``, the writer's part). Plain and grouped runs alternate,
``--rounds`` of each; the CPU time (``time.process_time``) of each is printed, then the
medians, the grouping's share, and the pairwise precision and recall of the grouping against
the generator's truth. Last, grouping a plain store afterwards (an upgraded store's
background work): articles per second.
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

from biotui.identifiers import find_identifiers
from biotui.model import Article
from biotui.refresh.grouping import Grouper, group_pending, grouping_of
from biotui.sources import parse_feed
from biotui.store import IngestRequest, Store
from biotui.stories.words import lede_of

BATCH = 8
_GUID = re.compile(r"(\d{3})[:/](\d{5})$")


def run(folder: Path, files: list[Path], grouped: bool) -> tuple[float, float, Store]:
    """Ingest ``files`` into a new store in ``folder``: (CPU seconds, of which grouping)."""
    store = Store(folder / "biotui.db")
    grouper = Grouper(store)
    began = time.process_time()
    grouping = 0.0
    for start in range(0, len(files), BATCH):
        requests = []
        groupings = []
        for path in files[start : start + BATCH]:
            result = parse_feed(path.read_bytes(), path.stem)
            requests.append(IngestRequest(path.stem, result.articles))
            if grouped:
                mark = time.process_time()
                groupings.extend(grouping_of(a) for a in result.articles)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/biotui-refresh-bench"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    manifest, _ = feedgen.ensure_dataset(args.out / "stories", "stories", quiet=True)
    files = [args.out / "stories" / entry["name"] for entry in manifest["files"]]
    truth: dict[str, str] = manifest["stories"]
    times: dict[bool, list[float]] = {False: [], True: []}
    shares: list[float] = []
    last: tuple[int, int, int, int] | None = None
    for round_number in range(args.rounds):
        for grouped in (False, True):
            with tempfile.TemporaryDirectory() as folder:
                cpu, grouping, store = run(Path(folder), files, grouped)
                if grouped and round_number == 0:
                    last = score(store, truth)
                    articles = store.total()
                    stories = len(store.stories.summaries(store.headline_ids()))
                store.close()
            times[grouped].append(cpu)
            if grouped:
                shares.append(grouping / cpu)
            print(
                f"round {round_number + 1} {'grouped' if grouped else 'plain  '}: "
                f"{cpu:.2f} s CPU" + (f" (grouping {grouping:.2f} s)" if grouped else "")
            )
    plain, grouped_cpu = statistics.median(times[False]), statistics.median(times[True])
    print(f"\n{manifest['total_items']:,} items in {len(files)} feeds, {args.rounds} rounds each")
    print(
        f"median CPU: plain {plain:.2f} s, grouped {grouped_cpu:.2f} s "
        f"(+{(grouped_cpu / plain - 1):.1%}); grouping's own share of a grouped run "
        f"{statistics.median(shares):.1%}"
    )
    assert last is not None
    right, wrong, same_title, missed = last
    print(
        f"{articles:,} articles in {stories:,} stories; pairwise precision "
        f"{right / max(1, right + wrong):.1%} ({wrong} wrong pairs, {same_title} of them two "
        f"items the generator gave one title), recall "
        f"{right / max(1, right + missed):.1%} ({right}/{right + missed})"
    )
    articles_read = [a for path in files for a in parse_feed(path.read_bytes(), path.stem).articles]
    began = time.process_time()
    for article in articles_read:
        find_identifiers(article.title, lede_of(article.body))
    recogniser = time.process_time() - began
    print(
        f"of the grouping, finding identifiers in titles and ledes: {recogniser:.2f} s "
        f"({recogniser / len(articles_read) * 1e6:.0f} µs an article)"
    )
    with tempfile.TemporaryDirectory() as folder:
        _, _, store = run(Path(folder), files, False)
        began = time.perf_counter()
        done = group_pending(store).done
        seconds = time.perf_counter() - began
        store.close()
    print(
        f"grouping a stored {done:,} afterwards: {seconds:.2f} s ({done / seconds:,.0f} articles/s)"
    )


if __name__ == "__main__":
    main()
