"""A text's pieces between whitespace (``Kyverna's``, ``(NCT06123456),``), each read once
per process into what :func:`biotui.stories.words.read_words` needs, so that reading a text
is a few calls into C: split it, look its pieces up, join their codes, and find its names
with one expression.

Each word of a piece is one letter of a code, followed by the gap after it (``|``: more
than whitespace, which ends a name; a space: whitespace only):

- ``a`` a word written as a name (a slot word with a capital or a digit), ``c`` such a word
  in the possessive (``Kyverna's``: it ends the name);
- ``b`` and ``d`` the same words after a gap of more than whitespace or starting in lower
  case (``mRNA-1273``): they end the name before them and start one;
- ``y`` a word a name runs across (a common word with a capital, a sum, a year), ``x`` a
  word that ends a name (in lower case, or after more than whitespace), and a piece without
  words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["NAMES", "Piece", "Pieces"]

Piece = tuple[str, tuple[str, ...], frozenset[str], frozenset[str], int, int]
"""A piece read: its code, its words' folded forms (one per letter of the code, ``""`` for
a piece without words), its slot words, its sums, how many of its words are longer than
three characters and how many of those start with a capital (a Title Case title's test)."""

NAMES = re.compile(r"[ab](?: [ay])*(?: c)?|[cd]")
"""A name in a text's code: a word written as a name, the words it runs across and those it
runs to (a possessive ends it), or a possessive alone."""

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_NO_WORDS: Piece = ("x|", ("",), frozenset(), frozenset(), 0, 0)
_LIMIT = 200_000
"""Distinct pieces remembered; past this the memory starts again empty."""

Token = tuple[str, str]
"""A word as a piece's reading needs it: its folded form and its kind: ``n`` a slot word
written as a name, ``p`` one in the possessive, ``s`` another slot word, ``m`` a sum, ``-``
none of these."""


class Pieces(dict[str, Piece]):
    """Each piece's reading, worked out once (``read_token`` tells what one word is)."""

    def __init__(self, read_token: Callable[[str], Token]) -> None:
        super().__init__()
        self._read_token = read_token

    def __missing__(self, piece: str) -> Piece:
        if len(self) >= _LIMIT:
            self.clear()
        found = self[piece] = self._read(piece)
        return found

    def _read(self, piece: str) -> Piece:
        matches = list(_WORD.finditer(piece))
        if not matches:
            return _NO_WORDS
        code: list[str] = []
        words: list[str] = []
        slots: set[str] = set()
        sums: set[str] = set()
        for number, match in enumerate(matches):
            raw = match.group()
            word, kind = self._read_token(raw)
            words.append(word)
            broken = raw[0].islower() or (match.start() > 0 if number == 0 else True)
            if kind in "nps":
                slots.add(word)
            elif kind == "m":
                sums.add(word)
            if kind in "np":
                code.append("bd"[kind == "p"] if broken else "ac"[kind == "p"])
            else:
                code.append("x" if broken else "y")
            last = number == len(matches) - 1
            code.append("|" if not last or match.end() < len(piece) else " ")
        longer = [match.group() for match in matches if len(match.group()) > 3]
        capitals = sum(raw[0].isupper() for raw in longer)
        return "".join(code), tuple(words), frozenset(slots), frozenset(sums), len(longer), capitals
