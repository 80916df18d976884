"""English plural forms: which words a typed word also matches (``therapies`` <-> ``therapy``).

The index does no stemming (Porter conflated organ/organization, generic/general,
universal/university); instead each typed word is expanded here into the small set of its
singular and plural spellings, and the query asks for any of them. The rules are deliberately
narrow, so that a match is always one a reader would accept:

- only words of plain letters a-z (after case and accent folding) change: a token with a digit
  (``CD19``, ``HER2``, ``C2219``) or from another script is matched exactly as typed;
- a word typed in capitals (``AIDS``, ``KRAS``, ``CAR``) is a name: it matches its plural
  (``ADC`` -> ``ADCs``) but is never cut to a singular (``AIDS`` never matches "aid");
- a singular is only made from words of four or more letters (``its``, ``has``, ``gas`` stay
  whole) and never from words ending in ``ss``, ``us`` or ``is`` (``class``, ``lupus``,
  ``analysis``), nor from the words of :data:`INVARIANT` (``news``, ``series``, ``diabetes``);
- plurals: ``-s``; ``-es`` after s, x, z, ch, sh and o; consonant + ``y`` -> ``-ies``;
  ``-is`` -> ``-es`` for words of six letters or more (``diagnosis``/``diagnoses``, but
  ``basis`` never matches "bases"); plus the few irregular pairs of :data:`IRREGULAR`;
- verb endings (``-ed``, ``-ing``) are left alone: they conflate too much (even/evening,
  unit/united, limit/limited); type ``dos*`` for dose, doses, dosed, dosing.

Extra spellings that are not English words (``therapie`` from ``therapies``) are harmless: no
article contains them, or none that a reader would find surprising.
"""

from __future__ import annotations

import re

__all__ = ["INVARIANT", "IRREGULAR", "word_forms"]

INVARIANT = frozenset({
    "aids", "always", "besides", "diabetes", "does", "goes", "herpes", "lens", "measles", "mumps",
    "news", "perhaps", "physics", "rabies", "rickets", "scabies", "series", "shingles", "species",
    "sometimes", "whereas",
})  # fmt: skip
"""Words ending in s that are not plurals of the word without it."""

_PAIRS = """
    man men woman women child children mouse mice tooth teeth foot feet
    criterion criteria bacterium bacteria phenomenon phenomena mitochondrion mitochondria
    fungus fungi nucleus nuclei locus loci stimulus stimuli genus genera
    index indices matrix matrices appendix appendices
    larva larvae vertebra vertebrae alga algae
    gas gases bias biases atlas atlases alias aliases
    life lives half halves leaf leaves knife knives wife wives self selves shelf shelves
"""
IRREGULAR: dict[str, frozenset[str]] = {}
"""Irregular singular/plural pairs, both ways."""
_words = _PAIRS.split()
for _one, _many in zip(_words[::2], _words[1::2], strict=True):
    IRREGULAR[_one] = IRREGULAR.get(_one, frozenset()) | {_many}
    IRREGULAR[_many] = IRREGULAR.get(_many, frozenset()) | {_one}

_LETTERS = re.compile(r"[a-z]+")
_SIBILANT = ("s", "x", "z", "ch", "sh")


def _plurals(word: str) -> set[str]:
    """The regular plural spellings of ``word`` (taken as a singular)."""
    if word.endswith("y") and len(word) >= 2 and word[-2] not in "aeiou":
        return {word[:-1] + "ies"}
    if word.endswith("is") and len(word) >= 6:
        return {word[:-2] + "es"}
    if word.endswith(_SIBILANT):
        return {word + "es"}
    if word.endswith("o"):
        return {word + "s", word + "es"}
    return {word + "s"}


def _singulars(word: str, shortest: int) -> set[str]:
    """The singular spellings ``word`` may be the plural of (none if it cannot be one)."""
    if (
        len(word) < shortest + 1
        or not word.endswith("s")
        or word.endswith(("ss", "us", "is"))
        or word in INVARIANT
    ):
        return set()
    found = {word[:-1]}  # cells -> cell, genes -> gene, movies -> movie
    if word.endswith("ies") and len(word) >= 5:
        found.add(word[:-3] + "y")  # therapies -> therapy
    if word.endswith(("sses", "uses", "xes", "ches", "shes", "oes")):
        found.add(word[:-2])  # classes, viruses, boxes, batches, dishes, potatoes
    if word.endswith("ses") and not word.endswith(("sses", "uses")) and len(word) >= 6:
        found.add(word[:-2] + "is")  # diagnoses -> diagnosis, crises -> crisis
    return {form for form in found if len(form) >= shortest}


def word_forms(word: str, *, capitals: bool = False, short: bool = False) -> tuple[str, ...]:
    """Return ``word`` (folded: lowercase, no accents) and its other singular/plural spellings.

    ``capitals``: the person typed the word in capitals (a name: no singular). ``short``: the
    word is the last part of a hyphenated term (``CAR-Ts``), where one letter is a word.
    The word itself comes first; the others follow in a stable order.
    """
    if not _LETTERS.fullmatch(word) or word in INVARIANT:
        return (word,)
    shortest = 1 if short else 3
    if len(word) < shortest or word == "s":  # "s" as in Crohn's: no word of its own
        return (word,)
    singulars = set() if capitals else _singulars(word, shortest)
    forms = {word} | singulars | IRREGULAR.get(word, frozenset())
    for singular in singulars or {word}:  # a plural's other plurals; else the word's own
        forms |= _plurals(singular)
    forms.discard(word)
    return (word, *sorted(forms))
