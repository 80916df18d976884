"""The recogniser's truth set: our own sentences (cases.toml) and real corpus articles
(corpus_truth.toml), scored as precision and recall."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from biotui.identifiers import find_identifiers

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1].parent / "shared" / "corpus"
MANIFEST = CORPUS / "feedparser-manifest.json"


@dataclass(frozen=True)
class Case:
    """One text and every identifier it names, as ``"kind id"``."""

    name: str
    title: str
    body: str
    expected: frozenset[str]


@dataclass(frozen=True)
class Score:
    """Counts over a set of cases, with what went wrong where."""

    true_positives: int
    false_positives: list[str]
    false_negatives: list[str]

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else 1.0


def found(title: str, body: str) -> frozenset[str]:
    """What the recogniser finds, as ``"kind id"``."""
    return frozenset(f"{i.kind} {i.id}" for i in find_identifiers(title, body))


def own_cases() -> list[Case]:
    """The sentences of cases.toml."""
    data = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))
    return [
        Case(f"cases.toml #{n}", c.get("title", ""), c["text"], frozenset(c["expect"]))
        for n, c in enumerate(data["case"], 1)
    ]


def corpus_cases() -> Iterator[Case]:
    """Every article of the corpus: those in corpus_truth.toml with their hand-checked lists,
    every other one with none expected. Empty when ../shared/corpus is absent."""
    from biotui.sources import parse_feed

    truth = tomllib.loads((HERE / "corpus_truth.toml").read_text(encoding="utf-8"))
    listed: dict[tuple[str, str], frozenset[str]] = {
        (entry["file"], entry["title"]): frozenset(entry["expect"]) for entry in truth["article"]
    }
    manifest: dict[str, object] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    seen: set[tuple[str, str]] = set()
    for relative in manifest:
        try:
            result = parse_feed((CORPUS / relative).read_bytes(), "Corpus")
        except Exception:  # files the reader refuses are test_corpus.py's business
            continue
        for article in result.articles:
            key = (relative, article.title)
            seen.add(key)
            yield Case(
                f"{relative}: {article.title[:60]!r}",
                article.title,
                article.body,
                listed.get(key, frozenset()),
            )
    missing = set(listed) - seen
    assert not missing, f"corpus_truth.toml names articles the corpus does not hold: {missing}"


def score(cases: Iterator[Case] | list[Case]) -> Score:
    """Precision and recall of the recogniser over ``cases``."""
    true_positives = 0
    false_positives: list[str] = []
    false_negatives: list[str] = []
    for case in cases:
        got = found(case.title, case.body)
        true_positives += len(got & case.expected)
        false_positives += [f"{case.name}: {item}" for item in sorted(got - case.expected)]
        false_negatives += [f"{case.name}: {item}" for item in sorted(case.expected - got)]
    return Score(true_positives, false_positives, false_negatives)
