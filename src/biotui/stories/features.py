"""What the grouping knows of an article: :class:`StoryFeatures`, made once at ingest and
kept (encoded) beside the article, so that grouping never reads a body twice."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from biotui.identifiers import Identifier, find_identifiers
from biotui.stories.events import events_of
from biotui.stories.words import lede_of, read_words

__all__ = ["SPECIFIC_KINDS", "StoryFeatures", "decode", "encode", "features_of", "index_keys"]

SPECIFIC_KINDS = {
    "trial": "trial",
    "eudract": "trial",
    "euct": "trial",
    "isrctn": "trial",
    "pmid": "paper",
    "pmcid": "paper",
    "doi": "paper",
    "drug": "drug",
}
"""The identifier kinds specific enough to tie two articles together, and the group each
belongs to (two articles naming different trials, or different drugs, report different
things). Targets are left out: many stories share CD19."""

TITLE_KEYS = 6
"""At most this many title words are index keys of an article (with all its identifiers)."""


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """An article as the grouping sees it.

    ``title`` and ``lede`` are their slot words (:func:`~biotui.stories.words.read_words`),
    ``ids`` the specific identifiers as ``group:kind:key``, ``events`` the event classes
    (:func:`~biotui.stories.events.events_of`), ``time`` seconds since the epoch (None: not
    known yet; the store gives its own time before comparing). ``names`` are the title's
    words written as names (in the title, or in the lede when the title is in Title Case),
    ``sums`` the title's sums of money and percentages.
    """

    feed: str
    title: frozenset[str]
    lede: frozenset[str]
    ids: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    time: float | None = None
    names: frozenset[str] = frozenset()
    sums: frozenset[str] = frozenset()


def features_of(
    title: str,
    body: str,
    feed: str,
    identifiers: Iterable[Identifier] | None = None,
    time: float | None = None,
) -> StoryFeatures:
    """The features of an article: its title, the lede of its Markdown ``body``, its feed,
    its identifiers and its time. Without ``identifiers``, those of the title and lede are
    found here (:func:`biotui.identifiers.find_identifiers`): the lede names what the story
    is about, the rest of a body names much else."""
    lede = lede_of(body)
    if identifiers is None:
        identifiers = find_identifiers(title, lede)
    heading, opening = read_words(title, title=True), read_words(lede)
    ids = frozenset(
        f"{SPECIFIC_KINDS[found.kind]}:{found.kind}:{found.key}"
        for found in identifiers
        if found.kind in SPECIFIC_KINDS
    )
    return StoryFeatures(
        feed,
        heading.slots,
        opening.slots,
        ids,
        events_of(title) or events_of(lede),
        time,
        heading.names | {name for name in opening.names if _within(name, heading.slots)},
        heading.sums,
    )


def _within(name: str, words: frozenset[str]) -> bool:
    return all(part in words for part in name.split(" "))


def index_keys(features: StoryFeatures) -> tuple[str, ...]:
    """What a candidate is found by: every specific identifier and a few title words."""
    words = sorted(features.title, key=lambda word: (-len(word), word))[:TITLE_KEYS]
    return (*sorted(f"i:{key}" for key in features.ids), *(f"w:{word}" for word in words))


def encode(features: StoryFeatures) -> str:
    """A compact text form of ``features`` (without its time: the store keeps that)."""
    return json.dumps(
        [
            features.feed,
            sorted(features.title),
            sorted(features.lede),
            sorted(features.ids),
            sorted(features.events),
            sorted(features.names),
            sorted(features.sums),
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )


@lru_cache(maxsize=4096)
def _decoded(text: str) -> StoryFeatures:
    feed, title, lede, ids, events, names, sums = json.loads(text)
    return StoryFeatures(
        feed,
        frozenset(title),
        frozenset(lede),
        frozenset(ids),
        frozenset(events),
        None,
        frozenset(names),
        frozenset(sums),
    )


def decode(text: str, time: float | None = None) -> StoryFeatures:
    """The features :func:`encode` wrote, with ``time``. ValueError when ``text`` is not
    such a form."""
    try:
        found = _decoded(text)
    except (TypeError, ValueError, KeyError) as exc:
        raise ValueError(f"not story features: {text[:60]!r}") from exc
    return StoryFeatures(
        found.feed, found.title, found.lede, found.ids, found.events, time, found.names, found.sums
    )
