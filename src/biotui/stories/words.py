"""The words two articles are compared by: a title's or a lede's "slots".

A text is folded (lower case, accents kept as written, possessive ``'s`` and a plural ``s``
dropped, hyphens inside a code dropped: ``KYV-101`` is ``kyv101``) and split into words; the
words of :data:`COMMON` (function words, press-release templates, datelines, the trade's
generic words, event words) are dropped. What remains names the story: companies, drugs,
indications, places, sums.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

__all__ = ["LEDE_CHARS", "Words", "common_words", "fold", "lede_of", "read_words", "slot_words"]

LEDE_CHARS = 320
"""How much of a body's start counts as its lede (its first sentence or two)."""

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_MARKUP = re.compile(r"!\[[^\]]{0,300}\]\([^)]{0,600}\)|\]\([^)]{0,600}\)|[*_`#>|\[\]]+")
_DATELINE = re.compile(
    r"^.{0,200}?(?:\s(?:--|–|—)\s|--\(BUSINESS WIRE\)--|"
    r"/(?:PRNewswire|GLOBE NEWSWIRE|Business Wire)[^/]{0,40}/\s*(?:--|–|—)?)",
    re.S,
)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9\)][.!?])\s+(?=[A-Z\"“])")


@lru_cache(maxsize=65_536)
def fold(word: str) -> str:
    """The comparison form of one word (see the module's docstring)."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'.")
    if "-" in word and any(c.isdigit() for c in word):
        word = word.replace("-", "")
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


@cache
def common_words() -> frozenset[str]:
    """The shipped list of words that never count as similarity, folded."""
    text = resources.files("biotui.stories").joinpath("common_words.txt").read_text("utf-8")
    found: set[str] = set()
    for line in text.splitlines():
        if not line.startswith("#"):
            found.update(fold(word) for word in line.split())
    return frozenset(found)


_SUMS = re.compile(
    r"[$€£]\s?(\d+(?:[.,]\d+)?)\s?(?:(m|mn|million)|(b|bn|billion))\b|(\d+(?:\.\d+)?)\s?%",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_SUM_WORD = re.compile(r"\d+(?:\.\d+)?(?:pct|m|b)")
_TITLE_CASE = 0.8
"""A title whose longer words are capitalized at least this share is in Title Case: its
capitals say nothing about which words are names."""


def _sum(match: re.Match[str]) -> str:
    if match.group(4) is not None:
        return f" {match.group(4)}pct "
    return f" {match.group(1).replace(',', '.')}{'m' if match.group(2) else 'b'} "


@dataclass(frozen=True, slots=True)
class Words:
    """What a text says, word by word: its slot words (not common, folded), its names (slot
    words written with a capital or digits, ``Kyverna``, ``KYV-101``, ``HIV``, those side by
    side making one name, ``eli lilly``; the words a sentence starts with are mostly common
    and so not slot words) and its sums (``$1.2 billion`` is ``1.2b``, ``30%``
    ``30pct``)."""

    slots: frozenset[str]
    names: frozenset[str]
    sums: frozenset[str]


def read_words(text: str, *, title: bool = False) -> Words:
    """The :class:`Words` of ``text``; a Title Case ``title`` has no names of its own but
    those with digits."""
    common = common_words()
    text = _SUMS.sub(_sum, text)
    slots: dict[str, None] = {}
    names: set[str] = set()
    sums: set[str] = set()
    capitals = longer = 0
    run: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        raw = match.group()
        if run and (text[last : match.start()].strip() or raw[0].islower()):
            names.add(" ".join(run))
            run = []
        last = match.end()
        word = fold(raw)
        if len(raw) > 3:
            longer += 1
            capitals += raw[0].isupper()
        if not word or word in common:
            continue
        if _SUM_WORD.fullmatch(word):
            sums.add(word)
            continue
        if word.isdigit() and (len(word) < 3 or _YEAR.fullmatch(word)):
            continue
        slots.setdefault(word, None)
        if raw[0].isupper() or any(c.isdigit() for c in raw):
            run.append(word)
            if raw.endswith(("'s", "’s")):  # a possessive ends a name
                names.add(" ".join(run))
                run = []
    if run:
        names.add(" ".join(run))
    if title and longer and capitals / longer >= _TITLE_CASE:
        names = {name for name in names if any(c.isdigit() for c in name)}
    return Words(frozenset(slots), frozenset(names), frozenset(sums))


def slot_words(text: str) -> list[str]:
    """The slot words of ``text`` (see :func:`read_words`), sorted."""
    return sorted(read_words(text).slots)


def lede_of(body: str) -> str:
    """The first sentence or two of a Markdown ``body``, without markup or a press release's
    dateline (``BOSTON, March 3, 2025 /PRNewswire/ --``)."""
    text = _MARKUP.sub(" ", body[: LEDE_CHARS * 3])
    text = " ".join(text.split())
    if (dateline := _DATELINE.match(text)) is not None:
        text = text[dateline.end() :].lstrip()
    sentences = _SENTENCE_END.split(text[: LEDE_CHARS + 80], maxsplit=2)
    lede = " ".join(sentences[:2])
    return lede[:LEDE_CHARS]
