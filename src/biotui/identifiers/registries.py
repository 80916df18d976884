"""Registry ids with a fixed shape: trials (NCT, EudraCT, EU CT, ISRCTN), PubMed and PMC.

Each finder takes the text and its lower-case copy and yields ``(position, Identifier)``.
Every pattern starts with a literal, so the regex engine jumps from one candidate to the next
instead of trying every position; ids written in any case are looked for in the lower-case
copy (a case-insensitive flag or ``[Nn]`` classes would cost a try at every position). The
copy has the text's positions whenever it has its length; when lower-casing changed the
length (a rare ``İ``), the case-insensitive pattern reads the text itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from biotui.identifiers.links import link
from biotui.identifiers.model import Identifier
from biotui.identifiers.shapes import BOUNDARY, CAPITAL, CODES, DIGIT, shape

Found = Iterator[tuple[int, Identifier]]

_WORD_BEFORE = re.compile(r"[^\W_]")

_NCT = re.compile(r"nct ?(\d{8})(?![^\W_])")
_EU = re.compile(r"20([0-4]\d)-(\d{6})-(\d\d)(-\d\d)?(?![\d]|-\d)")
_ISRCTN = re.compile(r"isrctn ?(\d{8})(?![^\W_])")
_PMID_LABEL = re.compile(r"pmid(?::\s*|\s+)(\d{1,8})(?!\d|[.,]\d|[^\W\d_])")
_PMID_LINKS = (
    re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,8})(?!\d|[^\W_])"),
    re.compile(r"ncbi\.nlm\.nih\.gov/pubmed/(\d{1,8})(?!\d|[^\W_])"),
)
_PMC = re.compile(r"PMC(\d{4,8})(?!\d|[^\W_])")

_EIGHT_DIGITS = (DIGIT * 8).encode("latin-1")
_EU_DIGITS = (DIGIT * 4 + BOUNDARY + DIGIT * 6 + BOUNDARY + DIGIT * 2).encode("latin-1")
_PMC_DIGITS = (CAPITAL * 3 + DIGIT * 4).encode("latin-1")
"""What each id needs in the text's shape (``shapes.CODES``: every decimal digit one byte,
every capital another, every separator a third): a text without it names no such id, and is
not read further (``bytes`` containment is much cheaper than a pattern's scan)."""

_EUDRACT_YEARS = range(4, 26)
"""EudraCT numbers were given from 2004 until the EU CT system replaced it."""
_EUCT_FIRST_YEAR = 22


def _in_any_case(pattern: re.Pattern[str], text: str, lowered: str) -> Iterator[re.Match[str]]:
    """Matches of a lower-case ``pattern`` in ``text`` written in any case."""
    if len(lowered) == len(text):
        return pattern.finditer(lowered)
    return re.compile(pattern.pattern, re.IGNORECASE).finditer(text)


def _word_before(text: str, position: int) -> bool:
    """Tell whether a letter or digit (or a hyphen, for numbers) touches ``position``."""
    return position > 0 and bool(_WORD_BEFORE.match(text, position - 1))


def find_trials(text: str, lowered: str) -> Found:
    """ClinicalTrials.gov ids: ``NCT`` and eight digits, any case, in text or in links."""
    if _EIGHT_DIGITS not in shape(text, CODES) or "nct" not in lowered:
        return
    for match in _in_any_case(_NCT, text, lowered):
        if _word_before(text, match.start()):
            continue
        ident = "NCT" + match.group(1)
        yield match.start(), Identifier("trial", ident, link("trial", ident))


def find_eu_trials(text: str, lowered: str) -> Found:
    """EudraCT (``2023-001234-56``) and EU CT (``2023-501234-12-00``) numbers.

    A EudraCT sequence number starts with 0 and an EU CT one with 5: anything else of that
    shape (a phone or order number) is left alone.
    """
    del lowered
    if _EU_DIGITS not in shape(text, CODES):
        return
    for match in _EU.finditer(text):
        start = match.start()
        if start > 0 and (text[start - 1] == "-" or _word_before(text, start)):
            continue
        year, sequence, check, part = match.groups()
        if part is not None:
            if sequence[0] != "5" or int(year) < _EUCT_FIRST_YEAR:
                continue
            ident = match.group()
            yield start, Identifier("euct", ident, link("euct", ident))
        elif sequence[0] == "0" and int(year) in _EUDRACT_YEARS:
            ident = f"20{year}-{sequence}-{check}"
            yield start, Identifier("eudract", ident, link("eudract", ident))


def find_isrctns(text: str, lowered: str) -> Found:
    """ISRCTN registry ids: ``ISRCTN`` and eight digits."""
    if _EIGHT_DIGITS not in shape(text, CODES) or "isrctn" not in lowered:
        return
    for match in _in_any_case(_ISRCTN, text, lowered):
        if _word_before(text, match.start()):
            continue
        ident = "ISRCTN" + match.group(1)
        yield match.start(), Identifier("isrctn", ident, link("isrctn", ident))


def find_pmids(text: str, lowered: str) -> Found:
    """PubMed ids after ``PMID:`` or ``PMID `` or in a PubMed link; never a bare number."""
    if "pmid" in lowered:
        for match in _in_any_case(_PMID_LABEL, text, lowered):
            if not _word_before(text, match.start()):
                yield from _pmid(match)
    if "pubmed" in lowered:
        for pattern in _PMID_LINKS:
            for match in _in_any_case(pattern, text, lowered):
                yield from _pmid(match)


def _pmid(match: re.Match[str]) -> Found:
    ident = str(int(match.group(1)))
    if ident != "0":
        yield match.start(), Identifier("pmid", ident, link("pmid", ident))


def find_pmcids(text: str, lowered: str) -> Found:
    """PubMed Central ids: ``PMC`` and four to eight digits, in text or in links."""
    del lowered
    if _PMC_DIGITS not in shape(text, CODES):
        return
    for match in _PMC.finditer(text):
        if _word_before(text, match.start()):
            continue
        ident = "PMC" + match.group(1)
        yield match.start(), Identifier("pmcid", ident, link("pmcid", ident))
