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
from itertools import chain
from operator import itemgetter

from biotui.stories.pieces import NAMES, Pieces, Token

__all__ = ["LEDE_CHARS", "Words", "common_words", "fold", "lede_of", "read_words", "slot_words"]

LEDE_CHARS = 320
"""How much of a body's start counts as its lede (its first sentence or two)."""

_MARKUP = re.compile(r"!\[[^\]]{0,300}\]\([^)]{0,600}\)|\]\([^)]{0,600}\)|[*_`#>|\[\]]+")
_MARKUP_CHARS = str.maketrans(dict.fromkeys("*_`#>|[]", " "))
"""What :data:`_MARKUP` removes from a text without links or images: each of these
characters (a run of them becomes spaces, which the whitespace is folded with)."""
_DATELINE = re.compile(
    r"\s(?:--|–|—)\s|--\(BUSINESS WIRE\)--|"
    r"/(?:PRNewswire|GLOBE NEWSWIRE|Business Wire)[^/]{0,40}/\s*(?:--|–|—)?"
)
"""What ends a press release's dateline, starting within its first :data:`_DATELINE_START`
characters (the first found, as ``^.{0,200}?`` before it would find it)."""
_DATELINE_START = 200
_DATELINE_REACH = 260
"""No dateline match reaches further into a folded text than this."""
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z\"“])")
"""A sentence ends where one of these marks, after a small letter, a digit or ``)``, is
followed by whitespace and a capital or a quote (the mark first: the engine skips to it)."""
_SENTENCE_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789)")


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
_DIGIT = re.compile(r"\d")
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
    those with digits.

    A name runs over the words written as names, across common ones, until a word in lower
    case or a gap holding more than whitespace. Each distinct piece of text between
    whitespace is read once per process (:mod:`biotui.stories.pieces`)."""
    if "%" in text or "$" in text or "€" in text or "£" in text:
        text = _SUMS.sub(_sum, text)
    pieces = list(map(_PIECES.__getitem__, text.split()))
    slots = _NONE.union(*map(_SLOTS, pieces))
    sums = _NONE.union(*map(_SUMS_OF, pieces))
    code = "".join(map(_CODE, pieces))
    if "a" not in code and "b" not in code and "c" not in code and "d" not in code:
        return Words(slots, _NONE, sums)
    words = list(chain.from_iterable(map(_WORDS, pieces)))
    names = set()
    for found in NAMES.finditer(code):
        start, end = found.span()
        names.add(" ".join([words[at // 2] for at in range(start, end, 2) if code[at] in "abcd"]))
    if title:
        longer = sum(map(_LONGER, pieces))
        if longer and sum(map(_CAPITALS, pieces)) / longer >= _TITLE_CASE:
            names = set(filter(_has_digit, names))
    return Words(slots, frozenset(names), sums)


def _has_digit(text: str) -> bool:
    if text.isascii():
        return _DIGIT.search(text) is not None
    return any(c.isdigit() for c in text)


def _read_token(raw: str) -> Token:
    """One word as a piece's reading needs it (see :data:`biotui.stories.pieces.Token`)."""
    word = fold(raw)
    if not word or word in common_words():
        return word, "-"
    if _SUM_WORD.fullmatch(word):
        return word, "m"
    if word.isdigit() and (len(word) < 3 or _YEAR.fullmatch(word)):
        return word, "-"
    if raw[0].isupper() or any(c.isdigit() for c in raw):
        return word, "p" if raw.endswith(("'s", "’s")) else "n"
    return word, "s"


_PIECES = Pieces(_read_token)
_CODE, _WORDS, _SLOTS, _SUMS_OF, _LONGER, _CAPITALS = (itemgetter(n) for n in range(6))
_NONE: frozenset[str] = frozenset()


def slot_words(text: str) -> list[str]:
    """The slot words of ``text`` (see :func:`read_words`), sorted."""
    return sorted(read_words(text).slots)


_FIRST_CUT = 400
"""How much of a body's start is read first: when, folded, it holds all the lede needs, the
rest of ``LEDE_CHARS * 3`` is not read (a folded prefix is a prefix of the folded whole)."""


def lede_of(body: str) -> str:
    """The first sentence or two of a Markdown ``body``, without markup or a press release's
    dateline (``BOSTON, March 3, 2025 /PRNewswire/ --``)."""
    head = body[: LEDE_CHARS * 3]
    first = head[: _FIRST_CUT + 1]
    if len(head) > _FIRST_CUT and "](" not in first and "![" not in first:
        # No link or image starts in the first cut: its markup is single characters.
        text = " ".join(first[:_FIRST_CUT].translate(_MARKUP_CHARS).split())
        if len(text) >= _DATELINE_REACH and (lede := _lede(text, complete=False)) is not None:
            return lede
    if "](" in head or "![" in head:
        text = " ".join(_MARKUP.sub(" ", head).split())
    else:
        text = " ".join(head.translate(_MARKUP_CHARS).split())
    lede = _lede(text, complete=True)
    assert lede is not None
    return lede


def _lede(text: str, *, complete: bool) -> str | None:
    """The lede of a folded text without markup; None when ``text`` is only the start of
    it (not ``complete``) and too short to tell."""
    start = text[:_DATELINE_REACH]
    if (
        ("--" in start or "–" in start or "—" in start or "/" in start)
        and (dateline := _DATELINE.search(text, 0, _DATELINE_REACH)) is not None
        and dateline.start() <= _DATELINE_START
    ):
        text = text[dateline.end() :].lstrip()
    if not complete and len(text) < LEDE_CHARS + 2:
        return None
    cut = LEDE_CHARS
    ends = 0
    for end in _SENTENCE_END.finditer(text, 0, LEDE_CHARS + 2):  # a later end cuts nothing
        if text[end.start() - 1 : end.start()] in _SENTENCE_BEFORE:
            ends += 1
            if ends == 2:
                cut = min(end.start() + 1, LEDE_CHARS)
                break
    return text[:cut]
