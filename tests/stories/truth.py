"""The grouping's truth set: our own articles (cases.toml) and real ones from
../shared/corpus (corpus_truth.toml), grouped one at a time in date order the way the store
does at ingest, and scored pairwise."""

from __future__ import annotations

import itertools
import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from biotui.model import Article
from biotui.stories import WINDOW_SECONDS, StoryFeatures, choose, features_of

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1].parent / "shared" / "corpus"
MANIFEST = CORPUS / "feedparser-manifest.json"


@dataclass(frozen=True)
class Item:
    """One article and the story it belongs to."""

    name: str
    story: str
    feed: str
    time: float
    title: str
    body: str


@dataclass(frozen=True)
class Score:
    """Pairs of articles put in one story, right and wrong, and pairs missed."""

    right: int
    wrong: list[str]
    missed: list[str]

    @property
    def precision(self) -> float:
        found = self.right + len(self.wrong)
        return self.right / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.right + len(self.missed)
        return self.right / expected if expected else 1.0


def own_items() -> list[Item]:
    """The articles of cases.toml."""
    data = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))
    return [
        Item(
            f"{a['story']}/{a['feed']}",
            a["story"],
            a["feed"],
            datetime.fromisoformat(a["date"]).timestamp(),
            a["title"],
            a["body"],
        )
        for a in data["article"]
    ]


def corpus_items() -> list[Item]:
    """The corpus articles corpus_truth.toml names (see its header). Empty when
    ../shared/corpus is absent."""
    from biotui.sources import parse_feed

    if not MANIFEST.is_file():
        return []
    truth = tomllib.loads((HERE / "corpus_truth.toml").read_text(encoding="utf-8"))
    items: list[Item] = []

    def read(relative: str) -> list[Article]:
        return parse_feed((CORPUS / relative).read_bytes(), relative).articles

    for n, family in enumerate(truth["family"]):
        for relative in family["files"]:
            for article in read(relative):
                when = _time(article)
                story = f"family{n}:{article.title}@{when}"
                items.append(
                    Item(
                        f"{relative}: {article.title[:50]!r}@{when}",
                        story,
                        relative,
                        when,
                        article.title,
                        article.body,
                    )
                )
    for single in truth["single"]:
        relative = single["file"]
        for k, article in enumerate(read(relative)):
            name = f"{relative}#{k}: {article.title[:50]!r}"
            items.append(Item(name, name, name, _time(article), article.title, article.body))
    return items


def _time(article: Article) -> float:
    return article.published.timestamp() if article.published else 0.0


def group(items: Sequence[Item]) -> dict[str, int]:
    """Each item's story id, grouping one item at a time in date order as the store does:
    candidates are the earlier items within the window; merged stories keep the older id."""
    story_of: dict[str, int] = {}
    stored: list[tuple[Item, StoryFeatures]] = []
    next_id = 1
    for item in sorted(items, key=lambda i: (i.time, i.name)):
        features = features_of(item.title, item.body, item.feed, time=item.time)
        candidates = [
            (story_of[other.name], found)
            for other, found in stored
            if abs(other.time - item.time) <= WINDOW_SECONDS
        ]
        joined = choose(features, candidates)
        if joined:
            story = joined[0]
            for name, old in story_of.items():
                if old in joined[1:]:
                    story_of[name] = story
        else:
            story, next_id = next_id, next_id + 1
        story_of[item.name] = story
        stored.append((item, features))
    return story_of


def score(items: Iterable[Item]) -> Score:
    """Pairwise precision and recall of :func:`group` over ``items``."""
    items = list(items)
    names = [i.name for i in items]
    assert len(set(names)) == len(names), "two truth-set articles share a name"
    found = group(items)
    right, wrong, missed = 0, [], []
    for first, second in itertools.combinations(items, 2):
        truth = first.story == second.story
        grouped = found[first.name] == found[second.name]
        pair = f"{first.name} + {second.name}"
        if truth and grouped:
            right += 1
        elif grouped:
            wrong.append(pair)
        elif truth:
            missed.append(pair)
    return Score(right, wrong, missed)


def dump(items: Sequence[Item]) -> str:
    """The grouping as JSON (story id -> names), for reading a failure."""
    found = group(items)
    stories: dict[int, list[str]] = {}
    for name, story in found.items():
        stories.setdefault(story, []).append(name)
    return json.dumps([names for names in stories.values() if len(names) > 1], indent=1)
