"""Text as the full-text index sees it: folded words, and where each folded letter came from.

Folding follows the index's tokenizer exactly (see :func:`biotui.store.fold_chars`): letters
and digits are kept, lowercased and without accents; every other character separates words and
becomes one space. SQLite folds one character to one character, or drops it (a combining
accent); only text with such marks needs a map of positions.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from biotui.store import fold_chars

__all__ = ["Folded", "fold", "words"]

_ASCII_FOLDS = {c: chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
_ASCII = str.maketrans(_ASCII_FOLDS)
_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]")


class Folded(NamedTuple):
    """Folded text: words of the index separated by spaces, mapped back to the original.

    ``starts[i]`` is where the original character behind folded character ``i`` starts and
    ``ends[i]`` where it ends (including combining marks the index drops); ``None`` when the
    positions are the same (ASCII text).
    """

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind the folded span ``[start, end)`` (``end > start``)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def fold(text: str) -> Folded:
    """Fold ``text`` as the index does (see the module docstring)."""
    if text.isascii():
        return Folded(text.translate(_ASCII))
    table = fold_chars({char for char in text if not char.isascii()})
    if all(folded is None or len(folded) == 1 for folded in table.values()):
        # The index folds one character to one character (or drops a combining mark, below):
        # positions stay the same.
        folds = {ord(char): " " if folded is None else folded for char, folded in table.items()}
        return Folded(text.translate({**_ASCII_FOLDS, **folds}))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for run in _RUNS.finditer(text):
        begin, stop = run.span()
        chunk = run.group()
        if chunk.isascii():
            pieces.append(chunk.translate(_ASCII))
            starts.extend(range(begin, stop))
            ends.extend(range(begin + 1, stop + 1))
            continue
        folded = table[chunk]
        if folded == "":
            if ends:
                ends[-1] = stop  # a dropped accent belongs to the letter before it
            continue
        piece = " " if folded is None else folded
        pieces.append(piece)
        starts.extend([begin] * len(piece))
        ends.extend([stop] * len(piece))
    return Folded("".join(pieces), starts, ends)


def words(text: str) -> list[str]:
    """The index's words in ``text``, folded (``"CAR-T's"`` -> ``["car", "t", "s"]``)."""
    return [word for word in fold(text).text.split(" ") if word]
