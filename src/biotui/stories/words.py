"""The words two articles are compared by: a title's or a lede's "slots".

A text is folded (lower case, accents kept as written, possessive ``'s`` and a plural ``s``
dropped, hyphens inside a code dropped: ``KYV-101`` is ``kyv101``) and split into words; the
words of :data:`COMMON` (function words, press-release templates, datelines, the trade's
generic words, event words) are dropped. What remains names the story: companies, drugs,
indications, places, sums.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = ["LEDE_CHARS", "common_words", "fold", "lede_of", "slot_words", "words"]

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


_MONEY = re.compile(
    r"[$€£]\s?(\d+(?:[.,]\d+)?)\s?(?:(m|mn|million)|(b|bn|billion))\b", re.IGNORECASE
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def _money(match: re.Match[str]) -> str:
    return f" {match.group(1).replace(',', '.')}{'m' if match.group(2) else 'b'} "


def words(text: str) -> list[str]:
    """Every word of ``text``, folded, in order; a sum of money is one word (``$1.2
    billion`` and ``$1.2B`` are ``1.2b``)."""
    text = _MONEY.sub(_money, text)
    return [folded for match in _WORD.finditer(text) if (folded := fold(match.group()))]


def slot_words(text: str) -> list[str]:
    """The words of ``text`` that are not common, folded, in order, each once."""
    common = common_words()
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in common and not (word.isdigit() and (len(word) < 3 or _YEAR.fullmatch(word))):
            seen.setdefault(word, None)
    return list(seen)


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
