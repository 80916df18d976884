"""How the target finder reads a text fast and still exactly as its one pattern would.

``pattern`` (the spellings as a trie, then an optional plural ``s`` and what may not follow)
is the definition; ``finditer`` over the whole text is the slow way. The fast way finds the
same matches:

- A spelling that starts with a capital A-Z can only count where a capital starts a word. In
  the text's shape (``shapes.WORDS``: every capital one byte, every boundary a space) those
  places are a two-byte literal, so ``candidates`` finds them, with the rest of some
  spelling's shape after them, about as fast as ``str.find``; ``pattern`` is then matched
  only there, and each match ends where the next may start, as in ``finditer``.
- The other spellings (lower-case or Greek first: "menin", "c-MET", "α-synuclein") would
  make every lower-case word a candidate. Each holds one of a few ``cues`` (its longest word
  not shared with another target); the spellings of the cues a text holds are looked for
  with ``str.find``, and every place one of them starts is a candidate too.
- ``finditer`` also steps over a match it then rejects (glued to a word: "xCD19"), and a
  spelling can start inside another ("TNF-ALPHA-SYNUCLEIN"). The ``hazards`` are the
  beginnings of spellings after which a candidate can start inside them: when one ends
  where a candidate starts, the text is read the slow way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from biotui.identifiers.data import Target, bracketed, targets
from biotui.identifiers.shapes import BOUNDARY, CAPITAL, WORDS, shape, shaped

_Trie = dict[str, "_Trie"]
_END = ""
_TAIL = r"s?(?!(?!x[A-Z])[^\W_]|[.,]\d)"
"""After a spelling: an optional plural, then no letter or digit (but "x" and a capital, as
in "CD20xCD3") and no decimal part."""


@dataclass(frozen=True, slots=True)
class Matcher:
    """The target finder's compiled list (see the module)."""

    pattern: re.Pattern[str]
    by_spelling: dict[str, tuple[Target, ...]]
    candidates: re.Pattern[bytes]
    cues: dict[str, tuple[str, ...]]
    """Each cue and the spellings that hold it."""
    hazards: re.Pattern[str] | None
    reach: int
    """The longest hazard: how far back from a candidate one can start."""


def trie_pattern(words: list[str]) -> str:
    """Return a regex matching exactly ``words``, longest first where one extends another."""
    root: _Trie = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _node_pattern(root)


def _node_pattern(node: _Trie) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
    return body


def _capital_first(spelling: str) -> bool:
    return "A" <= spelling[:1] <= "Z"


@cache
def matcher() -> Matcher:
    """The compiled list, built on first use."""
    by_spelling: dict[str, tuple[Target, ...]] = {}
    for target in targets():
        for spelling in target.spellings:
            by_spelling.setdefault(spelling, (target,))
    for spelling, pair in bracketed().items():
        by_spelling.setdefault(spelling, pair)
    spellings = sorted(by_spelling)
    capital = [s for s in spellings if _capital_first(s)]
    shapes = sorted({shaped(s, WORDS)[1:] for s in capital})
    candidates = BOUNDARY + CAPITAL + "(?=" + trie_pattern(shapes) + ")"
    others = [s for s in spellings if not _capital_first(s)]
    hazards = _hazards(capital, others)
    return Matcher(
        pattern=re.compile(f"(?:{trie_pattern(spellings)}){_TAIL}"),
        by_spelling=by_spelling,
        candidates=re.compile(candidates.encode("latin-1")),
        cues={cue: tuple(s for s in others if cue in s) for cue in _cues(others, by_spelling)},
        hazards=re.compile(trie_pattern(hazards) + r"\Z") if hazards else None,
        reach=max(map(len, hazards), default=0),
    )


def at_candidates(text: str, found: Matcher) -> list[re.Match[str]] | None:
    """Return the matches of ``found.pattern`` that ``finditer`` would give on ``text``; None
    when a hazard makes the slow way necessary."""
    starts = [candidate.start() for candidate in found.candidates.finditer(shape(text, WORDS))]
    others = {s for cue, spellings in found.cues.items() if cue in text for s in spellings}
    if others:
        for spelling in others:
            at = text.find(spelling)
            while at >= 0:
                starts.append(at)
                at = text.find(spelling, at + 1)
        starts.sort()
    matches: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start < end:
            continue
        match = found.pattern.match(text, start)
        if match is None:
            continue
        if found.hazards is not None and found.hazards.search(
            text, max(0, start - found.reach), start
        ):
            return None
        matches.append(match)
        end = match.end()
    return matches


def _hazards(capital: list[str], others: list[str]) -> list[str]:
    """Beginnings of spellings starting with a capital (a plural ``s`` included) after which
    a candidate can start: one of ``others`` anywhere, one starting with a capital at a word
    start."""
    anywhere, at_word = _Starts(others), _Starts(capital)
    found: set[str] = set()
    for spelling in capital:
        for written in (spelling, spelling + "s"):
            for cut in range(1, len(written)):
                rest = written[cut:]
                if anywhere.agree(rest) or (
                    shaped(written[cut - 1], WORDS) == BOUNDARY and at_word.agree(rest)
                ):
                    found.add(written[:cut])
    return sorted(found)


class _Starts:
    """A set of spellings, asked whether one can start where a given text starts."""

    def __init__(self, spellings: list[str]) -> None:
        self._whole = set(spellings)
        self._beginnings = {s[:end] for s in spellings for end in range(1, len(s) + 1)}

    def agree(self, text: str) -> bool:
        """Tell whether a spelling begins ``text`` or ``text`` begins a spelling."""
        return text in self._beginnings or any(
            text[:end] in self._whole for end in range(1, len(text))
        )


def _cues(others: list[str], by_spelling: dict[str, tuple[Target, ...]]) -> tuple[str, ...]:
    """Words (runs of letters and digits) such that each spelling in ``others`` holds one:
    for each, its longest word no other target's spellings have (else its longest), then
    as few of those as still cover them all."""
    runs_of: dict[str, set[str]] = {}
    for spelling, owners in by_spelling.items():
        for run in re.findall(r"[^\W_]+", spelling):
            runs_of.setdefault(run, set()).update(target.name for target in owners)
    cues: set[str] = set()
    for spelling in others:
        runs = re.findall(r"[^\W_]+", spelling) or [spelling]
        cues.add(max(runs, key=lambda run: (len(runs_of.get(run, ())) <= 1, len(run))))
    for cue in sorted(cues, key=lambda cue: (len(cue), cue)):
        rest = cues - {cue}
        if all(any(other in spelling for other in rest) for spelling in others):
            cues = rest
    return tuple(sorted(cues, key=lambda cue: (len(cue), cue)))
