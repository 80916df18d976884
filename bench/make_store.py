"""Generate a biotui store of N synthetic but realistic articles, for benchmarks.

Deterministic for a given seed and size. Every article mentions each benchmark term (CAR-T,
lupus, CD19, a KJ-style drug code) with a known probability, in a form the filter language must
match ("CAR-T", "CAR T", "car-T"; "lupus", "Lupus"; ...), and some articles carry decoys that
must NOT match ("shopping cart", "Carter", "CAR-NK", "scar tissue", "Lupin", "CD20", other
KJ codes). The manifest (``manifest.json`` in the data dir, also printed) holds the exact number
of articles each benchmark query must return, so timings can be checked against known answers.

    python bench/make_store.py --articles 100000 --data-dir /tmp/biotui-bench

An existing store is reused when its manifest matches the requested size, seed, generator
version and store schema; otherwise it is deleted and built again.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from biotui import store as store_module
from biotui.model import Article, article_id
from biotui.store import Store

GENERATOR_VERSION = 2
"""Bump when the generated articles change, so old stores are rebuilt."""

START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
"""Publication time of the newest article; each older one is 7 minutes earlier."""

COMPANIES = [
    "Amgen", "Vertex", "Regeneron", "Gilead", "Moderna", "BioNTech", "CARsgen", "Kyverna",
    "Cabaletta Bio", "Novartis", "Roche", "Eli Lilly", "Novo Nordisk", "AstraZeneca", "Pfizer",
    "Sanofi", "Bristol Myers Squibb", "Intellia", "Beam Therapeutics", "Legend Biotech",
    "Argenx", "Alnylam", "Sarepta", "BeiGene", "Genmab", "Ionis", "Incyte", "Biogen",
]  # fmt: skip
DISEASES = [
    "multiple myeloma", "psoriasis", "Alzheimer's disease", "obesity", "sickle cell disease",
    "myasthenia gravis", "rheumatoid arthritis", "non-small cell lung cancer", "hemophilia B",
    "type 1 diabetes", "ulcerative colitis", "atopic dermatitis", "HIV", "Duchenne dystrophy",
    "systemic sclerosis", "Crohn's disease", "heart failure", "amyloidosis", "glioblastoma",
]  # fmt: skip
EVENTS = [
    "reports phase 2 results in", "doses first patient in", "wins FDA approval for",
    "halts trial in", "raises $200M to advance work in", "licenses a candidate for",
    "posts topline data in", "expands manufacturing for", "files for approval in",
    "cuts staff after setback in", "partners with a startup on", "presents new data in",
]  # fmt: skip
PUBLISHERS = [
    "Reuters", "STAT", "Endpoints News", "Fierce Biotech", "BioPharma Dive", "Nature News",
    "company announcement", "The Scientist", "MedPage Today",
]  # fmt: skip
AUTHORS = ["Staff", "A. Writer", "J. Reporter", "M. Analyst", ""]
FILLER = [
    "The company said the study met its primary endpoint and that safety was consistent with "
    "earlier trials.",
    "Analysts expect a regulatory filing next year, while investors weigh the commercial "
    "outlook against competing programs.",
    "Enrollment was completed ahead of schedule across sites in North America, Europe and Asia.",
    "Shares moved sharply in early trading as the market digested the update.",
    "Investigators will present detailed results at a medical meeting later this year.",
    "The drugmaker did not disclose financial terms of the agreement.",
    "Patients in the treatment arm saw a meaningful reduction in disease activity at week 24.",
    "Regulators asked for more data on long-term durability before a decision.",
    "The program is one of several late-stage assets the company expects to read out soon.",
    "Executives said manufacturing capacity would double by the end of next year.",
]

# What a mention of each benchmark term looks like in a body (every form must match the query).
MENTIONS: dict[str, list[str]] = {
    "CAR-T": [
        "an autologous CAR-T therapy",
        "its CAR T cell product",
        "allogeneic car-T cells",
        "the CAR-T field",
    ],
    "lupus": [
        "systemic lupus erythematosus",
        "lupus nephritis",
        "patients with Lupus",
    ],
    "CD19": ["a CD19-directed antibody", "CD19 expression on B cells", "an anti-CD19 approach"],
}
TITLE_MENTIONS = {
    "CAR-T": "with CAR-T therapy",
    "lupus": "and lupus",
    "CD19": "with a CD19 antibody",
}
KJ_CODES = [2219, *range(2201, 2219), *range(2220, 2232)]
"""KJ-C codes; the benchmark asks for KJ-C2219, the others are its decoys."""
KJ_CODE = "KJ-C2219"

# Sentences that contain look-alikes and must not make an article match the benchmark queries.
DECOYS = [
    "Analyst Jim Carter called the valuation stretched.",
    "The company is also developing a CAR-NK platform.",
    "Biopsies showed less scar tissue after a year.",
    "Some hospitals now order supplies through a shopping cart app.",
    "Generic maker Lupin filed a competing application.",
    "A CD20 antibody and a CD3 bispecific are in earlier trials.",
    "Carts of samples were shipped to central labs overnight.",
]

MENTION_RATE = 0.03
"""Probability that an article mentions a given benchmark term."""
TITLE_RATE = 0.25
"""Of the articles mentioning a term, the share that also name it in the title."""
DECOY_RATE = 0.05

# Benchmark queries and which articles must match them, from the terms an article mentions.
QUERIES: dict[str, Callable[[set[str]], bool]] = {
    "CAR-T": lambda t: "CAR-T" in t,
    "lupus": lambda t: "lupus" in t,
    "CAR-T OR lupus": lambda t: "CAR-T" in t or "lupus" in t,
    "CAR-T lupus": lambda t: "CAR-T" in t and "lupus" in t,
    "CAR-T -lupus": lambda t: "CAR-T" in t and "lupus" not in t,
    "CD19": lambda t: "CD19" in t,
    KJ_CODE: lambda t: KJ_CODE in t,
}


def pick_mentions(rng: random.Random, rate: float) -> tuple[set[str], list[str], list[str]]:
    """The benchmark terms one article names, each at ``rate`` (a KJ-C code too): the terms,
    the phrases that name them in its body, and what its title adds."""
    terms: set[str] = set()
    mentions: list[str] = []
    title_extra: list[str] = []
    for term, forms in MENTIONS.items():
        if rng.random() < rate:
            terms.add(term)
            mentions.append(rng.choice(forms))
            if rng.random() < TITLE_RATE:
                title_extra.append(TITLE_MENTIONS[term])
    if rng.random() < rate:
        code = f"KJ-C{rng.choice(KJ_CODES)}"
        terms.add(code)
        mentions.append(f"the candidate {code}")
    return terms, mentions, title_extra


def make_article(rng: random.Random, number: int, feed: str) -> tuple[Article, set[str]]:
    """Return article ``number`` (0 is the newest) of ``feed`` and the benchmark terms it names."""
    company = rng.choice(COMPANIES)
    disease = rng.choice(DISEASES)
    terms, mentions, title_extra = pick_mentions(rng, MENTION_RATE)
    title = f"{company} {rng.choice(EVENTS)} {disease}"
    if title_extra:
        title += " " + " ".join(title_extra)
    paragraphs = []
    for paragraph in range(rng.randint(3, 8)):
        sentences = rng.sample(FILLER, k=3)
        if paragraph == 0:
            program = f"uses {', '.join(mentions)}" if mentions else "continues"
            sentences.insert(0, f"{company} said its program in {disease} {program}.")
        if rng.random() < DECOY_RATE:
            sentences.append(rng.choice(DECOYS))
        paragraphs.append(" ".join(sentences))
    guid = f"bench-{number}"
    article = Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=title,
        link=f"https://bench.example/{feed.replace(' ', '-').lower()}/{number}",
        author=rng.choice(AUTHORS),
        published=START - timedelta(minutes=number * 7),
        source=rng.choice(PUBLISHERS),
        body="\n\n".join(paragraphs),
    )
    return article, terms


def _schema_version() -> int:
    return int(getattr(store_module, "SCHEMA_VERSION", 0))


def wanted_manifest(articles: int, feeds: int, seed: int) -> dict[str, Any]:
    """The keys a stored manifest must match for its store to be reused."""
    return {
        "generator": GENERATOR_VERSION,
        "schema_version": _schema_version(),
        "seed": seed,
        "feeds": feeds,
        "articles": articles - articles % feeds,
    }


def load_manifest(data_dir: Path) -> dict[str, Any] | None:
    """The manifest of the store in ``data_dir``, or None if there is none (or no store)."""
    path = data_dir / "manifest.json"
    if not path.is_file() or not (data_dir / "biotui.db").is_file():
        return None
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest


def build_store(
    data_dir: Path, articles: int, feeds: int = 20, seed: int = 2026, *, quiet: bool = False
) -> dict[str, Any]:
    """Delete any store in ``data_dir``, generate a new one and return (and save) its manifest."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in ("manifest.json", "biotui.db", "biotui.db-wal", "biotui.db-shm"):
        (data_dir / name).unlink(missing_ok=True)
    rng = random.Random(seed)
    per_feed = articles // feeds
    expected = dict.fromkeys(QUERIES, 0)
    mentions = {term: 0 for term in [*MENTIONS, KJ_CODE]}
    newest_title = ""
    read_ids: list[str] = []
    began = time.perf_counter()
    with Store.open(data_dir) as store:
        for feed_number in range(feeds):
            feed = f"Bench Feed {feed_number:02d}"
            batch = []
            for index in range(per_feed):
                # Feeds interleave in time, as real ones do.
                number = index * feeds + feed_number
                article, terms = make_article(rng, number, feed)
                batch.append(article)
                if number == 0:
                    newest_title = article.title
                for query, matches in QUERIES.items():
                    expected[query] += matches(terms)
                for term in terms & mentions.keys():
                    mentions[term] += 1
                # The newest 2% are unread; older ones mostly read, as in a store in daily use.
                if number > per_feed * feeds // 50 and rng.random() < 0.8:
                    read_ids.append(article.id)
            store.ingest(feed, batch)
            if not quiet:
                print(f"  {feed}: {len(batch)} articles", file=sys.stderr)
        for start in range(0, len(read_ids), 10_000):
            store.set_read(read_ids[start : start + 10_000])
    manifest = {
        **wanted_manifest(articles, feeds, seed),
        "unread": per_feed * feeds - len(read_ids),
        "expected": expected,
        "mentions": mentions,
        "newest_title": newest_title,
        "build_seconds": round(time.perf_counter() - began, 1),
    }
    (data_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def ensure_store(
    data_dir: Path, articles: int, feeds: int = 20, seed: int = 2026, *, quiet: bool = False
) -> tuple[dict[str, Any], bool]:
    """Reuse the store in ``data_dir`` if its manifest matches, else build it.

    Returns the manifest and whether the store was built now.
    """
    manifest = load_manifest(data_dir)
    wanted = wanted_manifest(articles, feeds, seed)
    if manifest is not None and all(manifest.get(k) == v for k, v in wanted.items()):
        return manifest, False
    return build_store(data_dir, articles, feeds, seed, quiet=quiet), True


def main() -> None:
    """Build (or reuse) the store and print the manifest."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="rebuild even if the store matches")
    args = parser.parse_args()
    if args.force:
        manifest = build_store(args.data_dir, args.articles, args.feeds, args.seed)
    else:
        manifest, _built = ensure_store(args.data_dir, args.articles, args.feeds, args.seed)
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
