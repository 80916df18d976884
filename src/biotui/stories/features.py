"""What the grouping knows of an article: :class:`StoryFeatures`, made once at ingest and
kept (encoded) beside the article, so that grouping never reads a body twice."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from biotui.identifiers import Identifier, find_identifiers
from biotui.stories.events import events_of
from biotui.stories.words import lede_of, read_words

__all__ = [
    "SPECIFIC_KINDS",
    "StoryFeatures",
    "decode",
    "encode",
    "features_of",
    "index_keys",
    "keys_of",
    "query_keys",
    "stored_keys",
]

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

_MAY_NAME = re.compile(r"\d\d|pmid|pmc|pubmed", re.IGNORECASE)
"""What a text naming a specific identifier holds (every one of those kinds has two digits
in a row, or a PubMed label or link): a title and lede without it are not searched."""


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
    *,
    article_identifiers: Iterable[Identifier] | None = None,
) -> StoryFeatures:
    """The features of an article: its title, the lede of its Markdown ``body``, its feed,
    its identifiers and its time.

    ``identifiers`` are taken as they are. Without them, the identifiers named in the title
    and lede count: the lede names what the story is about, the rest of a body names much
    else. ``article_identifiers`` are those of the whole article, found already (by the
    parse, for the store): the ones the title or lede name are kept, and nothing is searched
    again; without either, the title and lede are searched
    (:func:`biotui.identifiers.find_identifiers`) when they may name one."""
    lede = lede_of(body)
    if identifiers is not None:
        ids = _specific(identifiers)
    elif article_identifiers is not None:
        ids = named_in(article_identifiers, f"{title}\n\n{lede}")
    elif _MAY_NAME.search(title) or _MAY_NAME.search(lede):
        ids = _specific(find_identifiers(title, lede))
    else:
        ids = frozenset()
    heading, opening = read_words(title, title=True), read_words(lede)
    names = heading.names
    if opening.names and not heading.slots.isdisjoint(opening.slots):
        names = names | {name for name in opening.names if _within(name, heading.slots)}
    return StoryFeatures(
        feed,
        heading.slots,
        opening.slots,
        ids,
        events_of(title) or events_of(lede),
        time,
        names,
        heading.sums,
    )


def _specific(identifiers: Iterable[Identifier]) -> frozenset[str]:
    """The specific ones of ``identifiers`` as ``group:kind:key``."""
    return frozenset(
        f"{SPECIFIC_KINDS[found.kind]}:{found.kind}:{found.key}"
        for found in identifiers
        if found.kind in SPECIFIC_KINDS
    )


def named_in(identifiers: Iterable[Identifier], text: str) -> frozenset[str]:
    """The specific ones of ``identifiers`` (found in a whole article) that ``text`` (its
    title and lede) names, as ``group:kind:key``, compared in the form each kind's key has:
    a DOI in lower case, a PubMed id after its label, the others in capitals without spaces
    (and a drug code without hyphens)."""
    specific = [found for found in identifiers if found.kind in SPECIFIC_KINDS]
    if not specific:
        return frozenset()
    lowered = text.lower()
    packed = "".join(text.split()).upper()
    unhyphened = packed.replace("-", "")
    kept = []
    for found in specific:
        kind, key = found.kind, found.key
        if kind == "doi":
            named = key in lowered
        elif kind == "pmid":
            named = re.search(rf"pmid(?::\s*|\s+)0*{key}(?!\d)", lowered) is not None
        elif kind == "drug":
            named = key in unhyphened
        else:
            named = key in packed
        if named:
            kept.append(f"{SPECIFIC_KINDS[kind]}:{kind}:{key}")
    return frozenset(kept)


def _within(name: str, words: frozenset[str]) -> bool:
    return all(part in words for part in name.split(" "))


Key = tuple[str, ...]
"""An index key: ``("w", class, word, word)`` or ``("i", class, identifier)``."""


def index_keys(features: StoryFeatures) -> tuple[Key, ...]:
    """The keys an article is found by: each pair of a few title words under each event
    class of the article (``("w", class, word, word)``; class ``-`` when it names none), and
    each specific identifier under each class and as named by an article with events
    (class ``*``), or, naming none, under ``-``. See :func:`query_keys`."""
    return keys_of(features)[0]


def query_keys(features: StoryFeatures) -> tuple[Key, ...]:
    """The keys an article's candidates are found by: they share a pair of title words
    under one event class (two articles of one story report one event), or an identifier
    under one of its classes or none (an article naming no event joins one naming an event
    by an identifier only)."""
    return keys_of(features)[1]


def keys_of(features: StoryFeatures) -> tuple[tuple[Key, ...], tuple[Key, ...]]:
    """:func:`index_keys` and :func:`query_keys` of ``features``, worked out together."""
    classes = sorted(features.events)
    if classes:
        held, asked = (*classes, "*"), (*classes, "-")
    else:
        classes, held, asked = ["-"], ("-",), ("*", "-")
    words = sorted(sorted(features.title, key=_longest)[:TITLE_KEYS])
    pairs = [("w", event, *pair) for event in classes for pair in combinations(words, 2)]
    if not features.ids:
        found = tuple(pairs)
        return found, found
    ids = sorted(features.ids)
    return (
        (*(("i", event, key) for key in ids for event in held), *pairs),
        (*(("i", event, key) for key in ids for event in asked), *pairs),
    )


def stored_keys(features: StoryFeatures) -> tuple[str, ...]:
    """The keys the store finds an article by among many: each specific identifier
    (``i:…``) and a few title words (``w:…``); an article sharing an identifier or two of
    these with another may be its candidate (:func:`query_keys` then decides)."""
    words = sorted(features.title, key=_longest)[:TITLE_KEYS]
    return (*sorted(f"i:{key}" for key in features.ids), *(f"w:{word}" for word in words))


def _longest(word: str) -> tuple[int, str]:
    return -len(word), word


_NONE: frozenset[str] = frozenset()
_FORM = "s2"
"""The first field of the text form :func:`encode` writes (its version)."""
_FIELDS, _ITEMS = "\x1e", "\x1f"
"""What separates the text form's fields, and the items of one field: control characters,
which no word, name, identifier or sum holds."""


def encode(features: StoryFeatures) -> str:
    """A compact text form of ``features`` (without its time: the store keeps that)."""
    items = _ITEMS.join
    return _FIELDS.join(
        (
            _FORM,
            items(sorted(features.title)),
            items(sorted(features.lede)),
            items(sorted(features.ids)),
            items(sorted(features.events)),
            items(sorted(features.names)),
            items(sorted(features.sums)),
            features.feed,
        )
    )


def words_and_ids(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The title's words and the identifiers of the features :func:`encode` wrote (as
    :func:`title_part` reads them, sooner). ValueError when ``text`` is not such a form."""
    parts = text.split(_FIELDS, 4)
    if len(parts) < 5 or parts[0] != _FORM:
        found = decode(text)
        return found.title, found.ids
    _, title, _, ids, _ = parts
    return (
        frozenset(title.split(_ITEMS)) if title else _NONE,
        frozenset(ids.split(_ITEMS)) if ids else _NONE,
    )


def title_part(text: str) -> StoryFeatures:
    """What :func:`keys_of` reads of the features :func:`encode` wrote: the title's words,
    the identifiers and the events (the rest left empty). ValueError when ``text`` is not
    such a form."""
    parts = text.split(_FIELDS, 5)
    if len(parts) < 6 or parts[0] != _FORM or parts[5].count(_FIELDS) != 2:
        found = decode(text)
        return StoryFeatures(found.feed, found.title, _NONE, found.ids, found.events)
    _, title, _, ids, events, _ = parts
    return StoryFeatures(
        "",
        frozenset(title.split(_ITEMS)) if title else _NONE,
        _NONE,
        frozenset(ids.split(_ITEMS)) if ids else _NONE,
        frozenset(events.split(_ITEMS)) if events else _NONE,
    )


def decode(text: str, time: float | None = None) -> StoryFeatures:
    """The features :func:`encode` wrote (or the JSON form stores grouped before it kept),
    with ``time``. ValueError when ``text`` is not such a form."""
    parts = text.split(_FIELDS, 7)
    if len(parts) == 8 and parts[0] == _FORM:
        _, title, lede, ids, events, names, sums, feed = parts
        return StoryFeatures(
            feed,
            frozenset(title.split(_ITEMS)) if title else _NONE,
            frozenset(lede.split(_ITEMS)) if lede else _NONE,
            frozenset(ids.split(_ITEMS)) if ids else _NONE,
            frozenset(events.split(_ITEMS)) if events else _NONE,
            time,
            frozenset(names.split(_ITEMS)) if names else _NONE,
            frozenset(sums.split(_ITEMS)) if sums else _NONE,
        )
    try:
        feed, *fields = json.loads(text)
        sets = [frozenset(items) for items in fields]
        if not isinstance(feed, str) or len(sets) != 6:
            raise TypeError(feed)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not story features: {text[:60]!r}") from exc
    return StoryFeatures(feed, sets[0], sets[1], sets[2], sets[3], time, sets[4], sets[5])
