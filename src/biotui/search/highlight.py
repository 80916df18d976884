"""Where a filter's terms occur in a text, by the index's rules, for highlighting.

One regular expression per filter, compiled once, run over the text folded as the index folds
it (:mod:`biotui.search.text`): so highlighting agrees with matching on case, accents, whole
words, plural forms, prefixes and hyphenated terms ("CAR-T", "CAR T" and "car-t" all light up,
separator included). Only the terms a matching article must or may contain are highlighted,
never excluded ones; field terms are highlighted wherever they occur. An identifier term
lights up the identifier however it is written (``KYV-101``, ``KYV 101``, ``kyv101``):
its letters and digits in order, each optionally apart from the next, as whole words;
:func:`identifier_highlighter` does that for every identifier an article names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from biotui.search.parser import IdTerm, Node, Not, Term
from biotui.search.text import fold

__all__ = ["Highlighter", "identifier_highlighter", "positive_terms"]


def positive_terms(node: Node | None, negated: bool = False) -> list[Term | IdTerm]:
    """The terms of ``node`` that are not under an odd number of negations."""
    if node is None:
        return []
    if isinstance(node, Term | IdTerm):
        return [] if negated else [node]
    if isinstance(node, Not):
        return positive_terms(node.child, not negated)
    return [term for child in node.children for term in positive_terms(child, negated)]


def _identifier_pattern(text: str) -> str:
    """The letters and digits of the identifier ``text``, folded, each optionally followed by
    a separator (folded text has one space for each)."""
    return " {0,2}".join(re.escape(char) for char in fold(text).text.replace(" ", ""))


def _pattern(terms: Sequence[Term | IdTerm]) -> str:
    """One alternation over every spelling, longest first, each a run of whole folded words."""
    alternatives: set[str] = set()
    for term in terms:
        if isinstance(term, IdTerm):
            if alternative := _identifier_pattern(term.key):
                alternatives.add(alternative)
            continue
        for form in term.forms:
            words = " +".join(re.escape(word) for word in form)
            alternatives.add(words + ("[^ ]*" if term.prefix else ""))
    ordered = sorted(alternatives, key=lambda text: (-len(text), text))
    return "(?<![^ ])(?:" + "|".join(ordered) + ")(?![^ ])"


class Highlighter:
    """Finds the spans of a text that a filter's positive terms match (pure, thread-safe).

    A value: two highlighters with the same ``pattern`` (the regular expression run over
    folded text) are equal.
    """

    __slots__ = ("_regex", "pattern")

    def __init__(self, pattern: str) -> None:
        """Compile ``pattern`` (see :func:`_pattern`)."""
        self.pattern = pattern
        self._regex = re.compile(pattern)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Highlighter) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"Highlighter({self.pattern!r})"

    @classmethod
    def for_terms(cls, terms: Sequence[Term | IdTerm]) -> Highlighter | None:
        """The highlighter of ``terms``, or None if there are none."""
        return cls(_pattern(terms)) if terms else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sorted, non-overlapping ``[start, end)`` character spans of ``text`` that the
        filter's positive terms match, by the same rules as the index."""
        folded = fold(text)
        return [folded.span(*match.span()) for match in self._regex.finditer(folded.text)]


def identifier_highlighter(ids: Iterable[tuple[str, str]]) -> Highlighter | None:
    """The highlighter of the identifiers ``ids`` (``(kind, id)`` pairs, as an article's
    ``Identifier`` records give them), or None for none."""
    terms = [IdTerm(kind, ident, ident) for kind, ident in ids]
    return Highlighter.for_terms([term for term in terms if _identifier_pattern(term.key)])
