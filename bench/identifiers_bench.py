"""Time the identifier recogniser on real articles: microseconds per article.

    PYTHONPATH=src python bench/identifiers_bench.py [--corpus ../shared/corpus] [--rounds 5]
        [--feeds /tmp/biotui-refresh-bench/big] [--limit 20000]

Reads every feed file of the corpus (or, with ``--feeds``, every RSS and Atom file of a
bench/feedgen.py dataset, the first ``--limit`` articles) with ``parse_feed`` (as a refresh
would), then runs
``find_identifiers(title, body)`` over all the articles ``--rounds`` times and prints, per
round, the mean time per article; then the median round, the slowest single article (and its
size), and the time ``parse_feed`` took per article for scale (the recogniser runs once per
article at ingest, after parsing).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from biotui.identifiers import find_identifiers
from biotui.sources import parse_feed

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--feeds", type=Path, help="a feedgen dataset folder instead")
    parser.add_argument("--limit", type=int, default=20_000)
    args = parser.parse_args()
    if args.feeds:
        manifest = {
            str(path): None
            for path in sorted(args.feeds.iterdir())
            if path.suffix in (".rss", ".atom")
        }
    else:
        manifest = json.loads((args.corpus / "feedparser-manifest.json").read_text("utf-8"))
    articles = []
    parse_seconds = 0.0
    for relative in manifest:
        data = (args.corpus / relative).read_bytes()
        started = time.perf_counter()
        try:
            result = parse_feed(data, "Corpus")
        except Exception:
            continue
        parse_seconds += time.perf_counter() - started
        articles.extend((a.title, a.body) for a in result.articles)
        if args.feeds and len(articles) >= args.limit:
            del articles[args.limit :]
            break
    chars = sum(len(t) + len(b) for t, b in articles)
    print(f"{len(articles):,} articles, {chars:,} characters (mean {chars / len(articles):,.0f})")
    find_identifiers("warm", "up NCT06123456 KYV-101 CD19 doi:10.1000/x")
    means = []
    for round_ in range(1, args.rounds + 1):
        started = time.perf_counter()
        found = sum(len(find_identifiers(t, b)) for t, b in articles)
        mean = (time.perf_counter() - started) / len(articles) * 1e6
        means.append(mean)
        print(f"round {round_}: {mean:.1f} µs per article ({found} identifiers)")
    slowest, size = 0.0, 0
    for title, body in articles:
        started = time.perf_counter()
        find_identifiers(title, body)
        took = time.perf_counter() - started
        if took > slowest:
            slowest, size = took, len(title) + len(body)
    print(f"median round: {statistics.median(means):.1f} µs per article")
    print(f"slowest article: {slowest * 1e3:.2f} ms ({size:,} characters)")
    print(f"parse_feed for scale: {parse_seconds / len(articles) * 1e6:.0f} µs per article")
    worst, which = 0.0, ""
    for name, body in HOSTILE.items():
        started = time.perf_counter()
        find_identifiers("title", body)
        took = time.perf_counter() - started
        if took > worst:
            worst, which = took, name
    print(f"slowest of {len(HOSTILE)} hostile 1 MB bodies: {worst:.2f} s ({which})")


HOSTILE = {
    "letters": "A" * 1_000_000,
    "DOI prefixes": "10." * 333_333,
    "one long DOI": "10.1000/" + "x" * 1_000_000,
    "code prefixes": "KYV-" * 250_000,
    "codes": "KYV-101 " * 125_000,
    "open brackets": "(" * 1_000_000,
    "link brackets": "https://" + "(a" * 500_000,
    "credit codes": "Photo: " + "ABC-123 " * 125_000,
    "PMID labels": "PMID: " * 166_000,
    "targets": "CD19" * 250_000,
    "closing brackets after a DOI": "doi:10.1000/x" + ")" * 1_000_000,
    "dots after a DOI link": "https://doi.org/10.1000/" + "." * 1_000_000,
}
"""Bodies made to make a pattern backtrack (tests/identifiers checks that each finishes)."""


if __name__ == "__main__":
    main()
