"""Texts as bytes of character classes, where a literal-prefixed regex finds candidates fast.

The regex engine scans for a pattern's first literal with a tight loop, but tries a set of
first characters ("any capital") by interpreting the set at every position, many times
slower. So the finders that look for words starting with a capital (targets, drug codes)
first map the text to one byte per character (``shape``) in which every capital is the same
byte, find the candidates there with a pattern that starts with it, and match the real
pattern on the text only at those places. A shape loses detail, never a candidate: each
table keeps apart only what its pattern needs, and a character outside Latin-1 (one ``?``
byte in the encoding, so positions stay the text's) gets the class that lets a candidate
through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

CAPITAL = "A"
BOUNDARY = " "
DIGIT = "0"
OTHER = "a"


def _table(classify: Callable[[str], str]) -> bytes:
    return bytes(ord(classify(chr(code))) for code in range(256))


def _word_class(ch: str) -> str:
    """Capitals as one byte; what may come before a target (not a letter, digit, ``_`` or
    ``.``; an ``x`` as in "CD20xCD3"; a character outside Latin-1) as a space; the rest as is."""
    if "A" <= ch <= "Z":
        return CAPITAL
    if ch == "x" or ch == "?" or not (ch.isalnum() or ch in "_."):
        return BOUNDARY
    return ch


def _code_class(ch: str) -> str:
    """Capitals, decimal digits (and ``?``, which may stand for a digit outside Latin-1) and
    separators (``_`` and anything not a letter, digit or ``.``) as one byte each; letters,
    other digits and ``.`` as one more: what may come before a code and what may not."""
    if "A" <= ch <= "Z":
        return CAPITAL
    if ch == "?" or re.fullmatch(r"\d", ch):
        return DIGIT
    if ch.isalnum() or ch == ".":
        return OTHER
    return BOUNDARY


WORDS = _table(_word_class)
CODES = _table(_code_class)


@lru_cache(maxsize=4)
def shape(text: str, table: bytes) -> bytes:
    """Return ``text`` as one byte per character through ``table``, after one leading
    boundary byte (so the text's start reads as a word start and ``text[i]`` is byte
    ``i + 1``). Remembered for the last few texts: several finders read one text's shape."""
    return (BOUNDARY + text).encode("latin-1", "replace").translate(table)


def shaped(spelling: str, table: bytes) -> str:
    """Return ``spelling`` as ``shape`` would write it (without the leading byte), as text."""
    return spelling.encode("latin-1", "replace").translate(table).decode("latin-1")
