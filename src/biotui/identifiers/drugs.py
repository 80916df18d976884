"""Drug development codes: KJ-C2219, KYV-101, BMS-986353, LY3002813, JNJ-68284528, BNT162b2.

The shape: a company prefix of one to five capitals, an optional hyphen, an optional letter,
digits and an optional one-letter suffix, as a whole word. Many things share it (viruses,
genes, cell lines, standards, years, models, units), so the shape is only the start:
- the prefix or the whole code must not be on the shipped exclusion list
  (drug_codes.toml), nor the code a curated target;
- three digits at least (two only after a letter: CT-P13): two-digit codes are too often
  something else (AK-47, SF-36, NK-92, HT-29);
- a code without a hyphen needs more digits the shorter its prefix (two capitals: four,
  "RG6114"; more: three, "CTX110"), and a one-capital code a hyphen and five digits
  ("S-217622"), so camera bodies (D850), flights (BA123), roads (A14), postcodes (CB21),
  mutations (G12C) and catalogue numbers (A056287) are never codes;
- four digits that read as a year (FY2025, ASCO2024) are no code;
- nothing in a link, in a photo credit, or right after a brand name ("FUJIFILM GFX100S");
- nothing glued to other characters (SARS-CoV-2) or continued by a hyphen or a dot and more
  (CW-N5105-NAS, ABC123.5, RF24-105), a slash and a digit, or a plus (DS1821+).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from biotui.identifiers.code_scan import code_starts
from biotui.identifiers.data import drug_rules, targets
from biotui.identifiers.links import link
from biotui.identifiers.model import Identifier
from biotui.identifiers.spans import Spans

_CODE = re.compile(
    r"[A-Z](?<![^\W_][A-Z])(?<![-#$@&.+\\][A-Z])"
    r"(?P<prefix>[A-Z]{0,4})(?P<hyphen>[- ]?)(?P<letter>[A-Z]?)(?P<digits>\d{2,8})"
    r"(?P<suffix>[a-z]\d|[A-Z])?"
    r"(?![^\W_]|[-.][0-9A-Z]|/\d|\+|\s\d[A-Z]{2}\b)"
)
"""The shape. Its first character is a capital (so the engine skips to capitals) and the
look-behinds reject one glued to a word, a hyphen or a dot ("KYV-101/KYV-201" gives both). The
look-ahead keeps version numbers (ABC12.5), ranges (RF24-105), fractions and grant numbers
(EP/V012345/1), and UK postcodes (CB21 6DF) out."""

_MODERNA = re.compile(r"mRNA-(?<![^\W_]mRNA-)\d{4}(?![^\W_]|[-./][0-9A-Z]|\+)")
"""Moderna's codes (mRNA-1273), the one company prefix with lower-case letters."""
_YEARS = range(1950, 2050)
_MAX_PER_TEXT = 200
"""A text naming more distinct codes than this is no article (or a hostile one): stop there."""
_BRAND_REACH = 40


def _target_spellings() -> frozenset[str]:
    return frozenset(
        spelling.upper().replace("-", "") for target in targets() for spelling in target.spellings
    )


def is_code(code: str, prefix: str, separator: str, letter: str, digits: str) -> bool:
    """Tell whether a candidate of the right shape passes the rules that need no context."""
    exclusions = drug_rules()
    if separator == " " and (letter or prefix not in exclusions.spaced):
        return False
    hyphen = bool(separator)
    if not hyphen and letter:
        return False  # six capitals before the digits: a word, not a company prefix
    key = code.upper().replace("-", "").replace(" ", "")
    if prefix in exclusions.prefixes or key in exclusions.codes:
        return False
    if key in _TARGETS.get():
        return False
    if len(digits) == 4 and int(digits) in _YEARS:
        return False
    if len(digits) < (2 if letter else 3):
        return False
    if len(prefix) == 1:
        return hyphen and len(digits) >= 5
    if not hyphen:
        return len(digits) >= (4 if len(prefix) == 2 else 3)
    return True


class _Lazy:
    """The target spellings, upper case without hyphens, built on first use."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: frozenset[str] | None = None

    def get(self) -> frozenset[str]:
        if self._value is None:
            self._value = _target_spellings()
        return self._value


_TARGETS = _Lazy()
_PUNCTUATION = "()[]{}*_,;:'\"“”‘’"


def _word_before(text: str, start: int) -> str:
    """Return the word just before ``start`` on its line, lower case, without punctuation."""
    window = text[max(0, start - _BRAND_REACH) : start]
    line = window.rsplit("\n", 1)[-1].split()
    return line[-1].strip(_PUNCTUATION).lower() if line else ""


def find_drugs(text: str, spans: Spans) -> Iterator[tuple[int, Identifier]]:
    """Yield ``(position, Identifier)`` for every drug code of ``text`` (see the module)."""
    brands = drug_rules().brands
    seen: set[str] = set()
    for match in _codes(text):
        code = match.group()
        key = code.upper().replace("-", "").replace(" ", "")
        if key in seen:
            continue
        prefix = code[0] + match.group("prefix")
        if not is_code(
            code, prefix, match.group("hyphen"), match.group("letter"), match.group("digits")
        ):
            continue
        start = match.start()
        if _word_before(text, start) in brands:
            continue
        if spans.link_at(start) is not None or spans.in_credit(start):
            continue
        seen.add(key)
        yield start, Identifier("drug", code, link("drug", code))
        if len(seen) >= _MAX_PER_TEXT:
            return
    if "mRNA-" in text:
        for match in _MODERNA.finditer(text):
            if spans.link_at(match.start()) is None:
                yield match.start(), Identifier("drug", match.group(), link("drug", match.group()))


def _codes(text: str) -> Iterator[re.Match[str]]:
    """The matches ``_CODE.finditer(text)`` gives, found by matching it only where a code
    may start (``code_starts``): each match starts at one of them, and a match ends where
    the next may start, as in ``finditer``."""
    end = 0
    for start in code_starts(text):
        if start >= end:
            match = _CODE.match(text, start)
            if match is not None:
                end = match.end()
                yield match
