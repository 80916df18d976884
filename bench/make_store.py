"""Generate a biotui store of N synthetic but realistic articles, for benchmarks.

Deterministic for a given seed. Prints a JSON manifest with the number of articles that mention
each benchmark term, so timings can be checked against known answers.

    python bench/make_store.py --articles 100000 --data-dir /tmp/biotui-bench
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from biotui.model import Article, article_id
from biotui.store import Store

COMPANIES = [
    "Amgen",
    "Vertex",
    "Regeneron",
    "Gilead",
    "Moderna",
    "BioNTech",
    "CARsgen",
    "Kyverna",
    "Cabaletta Bio",
    "Novartis",
    "Roche",
    "Eli Lilly",
    "Novo Nordisk",
    "AstraZeneca",
    "Pfizer",
    "Sanofi",
    "Bristol Myers Squibb",
    "Intellia",
    "Beam Therapeutics",
    "Legend Biotech",
]
DISEASES = [
    "multiple myeloma",
    "psoriasis",
    "Alzheimer's disease",
    "obesity",
    "sickle cell disease",
    "myasthenia gravis",
    "rheumatoid arthritis",
    "non-small cell lung cancer",
    "hemophilia B",
    "type 1 diabetes",
    "ulcerative colitis",
    "atopic dermatitis",
    "HIV",
    "Duchenne dystrophy",
]
EVENTS = [
    "reports phase 2 results in",
    "doses first patient in",
    "wins FDA approval for",
    "halts trial in",
    "raises $200M to advance work in",
    "licenses a candidate for",
    "posts topline data in",
    "expands manufacturing for",
]
FILLER = [
    "The company said the study met its primary endpoint and that safety was consistent with "
    "earlier trials",
    "Analysts expect a regulatory filing next year, while investors weigh the commercial "
    "outlook against competing programs",
    "Enrollment was completed ahead of schedule across sites in North America, Europe and Asia",
    "Shares moved sharply in early trading as the market digested the update",
]
SPECIAL = {
    "CAR-T": "an autologous CAR-T therapy",
    "lupus": "systemic lupus erythematosus",
    "CD19": "a CD19-directed antibody",
    "KJ-code": "the candidate KJ-C{code}",
}


def make_article(
    rng: random.Random, number: int, feed: str, start: datetime
) -> tuple[Article, set[str]]:
    """Return one synthetic article and the benchmark terms it mentions."""
    company = rng.choice(COMPANIES)
    disease = rng.choice(DISEASES)
    terms: set[str] = set()
    extras: list[str] = []
    for term, phrase in SPECIAL.items():
        if rng.random() < 0.03:
            terms.add(term)
            extras.append(phrase.format(code=rng.randint(1000, 9999)))
    subject = disease if "lupus" not in terms else "lupus"
    title = f"{company} {rng.choice(EVENTS)} {subject}"
    paragraphs = [
        f"{company} said on {start:%B %d} that its program in {disease} "
        + (f"uses {', '.join(extras)}. " if extras else "continues. ")
        + ". ".join(rng.sample(FILLER, k=3))
        for _ in range(rng.randint(3, 8))
    ]
    guid = f"bench-{number}"
    published = start - timedelta(minutes=number * 7)
    article = Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=title,
        link=f"https://bench.example/{feed}/{number}",
        author=rng.choice(["Staff", "A. Writer", "J. Reporter", ""]),
        published=published,
        source=feed,
        body="\n\n".join(paragraphs),
    )
    return article, terms


def main() -> None:
    """Build the store and print the manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    counts = {term: 0 for term in SPECIAL}
    store = Store.open(args.data_dir)
    began = time.perf_counter()
    per_feed = args.articles // args.feeds
    for feed_number in range(args.feeds):
        feed = f"Bench Feed {feed_number:02d}"
        batch = []
        for index in range(per_feed):
            article, terms = make_article(rng, feed_number * per_feed + index, feed, start)
            batch.append(article)
            for term in terms:
                counts[term] += 1
        store.ingest(feed, batch)
    elapsed = time.perf_counter() - began
    store.close()
    manifest = {
        "articles": per_feed * args.feeds,
        "mentions": counts,
        "ingest_seconds": round(elapsed, 2),
    }
    print(json.dumps(manifest, indent=2))
    (args.data_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
