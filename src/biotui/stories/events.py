"""Which event an article reports: the classes its title (or, when the title names none, its
lede) falls in.

Two articles tell the same story only if they report the same event: an IND cleared in March
and a first patient dosed in August name the same drug and are two stories. Quarterly results
are a class of their own that no other class is compatible with (a company's report names its
trials' news of the quarter, and is still not that news).
"""

from __future__ import annotations

import re

__all__ = ["EARNINGS", "compatible", "events_of"]

EARNINGS = "earnings"
"""A company's periodic financial report."""

_I = re.IGNORECASE
_EARNINGS = re.compile(
    r"\b(?:quarter(?:ly)?|q[1-4]\b|fiscal|full[- ]year|half[- ]year|financial results|"
    r"earnings|annual results|interim report|business update)",
    _I,
)
_IND = re.compile(r"\b(?:IND|CTA)\b|investigational new drug|clinical trial application")
_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "first-dosed",
        re.compile(
            r"\bfirst[- ](?:patient|participant|subject|person|cohort|child|infant)s?\b"
            r"|\bdos(?:es|ed|ing) (?:of )?(?:the )?first\b|first[- ]in[- ]human dos"
            r"|\binitiates? dosing|\bfirst dose",
            _I,
        ),
    ),
    (
        "enrollment",
        re.compile(
            r"\b(?:complet\w*|finish\w*) (?:\w+ ){0,2}(?:enrol?l?ment|recruitment)"
            r"|\benrol?l?ment (?:is )?complete",
            _I,
        ),
    ),
    (
        "trial-start",
        re.compile(
            r"\b(?:initiat|begin|began|start|launch|commenc)\w* (?:\w+ ){0,4}(?:trial|study)\b",
            _I,
        ),
    ),
    (
        "approval",
        re.compile(
            r"\b(?:approv\w*|authori[sz](?:es|ed|ation)|green[- ]light\w*|nod|clear(?:s|ed)?)\b",
            _I,
        ),
    ),
    ("opinion", re.compile(r"positive opinion|\brecommends?\b", _I)),
    (
        "submission",
        re.compile(
            r"\b(?:s?bla|s?nda|maa)\b|marketing authori[sz]ation application"
            r"|new drug application|biologics? license application|\bsubmi(?:ts?|tted|ssion)\b",
            _I,
        ),
    ),
    (
        "designation",
        re.compile(
            r"fast[- ]track|orphan[- ]drug|breakthrough (?:therapy|device)|priority review"
            r"|\brmat\b|\bprime\b (?:designation|eligibility)|rare pediatric|designation",
            _I,
        ),
    ),
    ("rejection", re.compile(r"complete response letter|\bcrl\b|\breject\w*", _I)),
    ("hold", re.compile(r"\bhold\b", _I)),
    (
        "results",
        re.compile(
            r"\b(?:data|results?|topline|top-line|readout|read-out|efficacy|endpoints?|"
            r"response rates?|overall survival|progression-free survival)\b",
            _I,
        ),
    ),
    (
        "acquisition",
        re.compile(
            r"\b(?:acquir\w*|acquisition|buy|buys|buyout|bought|merger|merges?|merged|"
            r"takeover|take over|sold to|sells? (?:\w+ )?to|to be sold)\b",
            _I,
        ),
    ),
    (
        "financing",
        re.compile(
            r"\b(?:rais(?:es|ed|ing)|financing|funding|series [a-f]\b|ipo|initial public "
            r"offering|private placement|public offering|round)\b",
            _I,
        ),
    ),
    (
        "partnership",
        re.compile(r"\b(?:licen[cs]\w*|collaborat\w*|partner\w*|alliance|pact|co-develop\w*)", _I),
    ),
    (
        "leadership",
        re.compile(
            r"\b(?:appoint\w*|ceo|chief \w+ officer|chief executive|president|chair\w*|"
            r"steps? down|resign\w*|retire\w*|hires?|hired)\b",
            _I,
        ),
    ),
    (
        "layoffs",
        re.compile(
            r"\b(?:layoffs?|lay(?:s|ing)? off|job cuts?|"
            r"cut(?:s|ting)? (?:\S+ ){0,3}(?:jobs|staff|staffers|workforce|employees|positions)|"
            r"workforce reduction|restructur\w*)",
            _I,
        ),
    ),
    (
        "discontinuation",
        re.compile(
            r"\b(?:discontinu\w*|halt\w*|terminat\w*|stops?|stopped|scraps?|scrapped|shelv\w*|"
            r"deprioriti\w*|ends? development)\b",
            _I,
        ),
    ),
    (
        "investor-event",
        re.compile(
            r"\bto (?:present|participate|host) at\b|\bfireside chat\b|investor (?:conference|day)"
            r"|\bwebcast\b|\bconference call\b",
            _I,
        ),
    ),
)
_CLEARANCE = re.compile(r"\bclear(?:s|ed|ance)?\b|\bgreen[- ]light|\bnod\b|\baccept\w*", _I)
_PENDING = re.compile(
    r"\b(?:files?|filed|filing|seeks?|sought|submits?|submitted|appl(?:y|ies|ied)|requests?)"
    r" (?:\w+ ){0,2}(?:approval|authori[sz]ation)",
    _I,
)
_HINTS: dict[str, tuple[str, ...]] = {
    "first-dosed": ("first",),
    "enrollment": ("enrol", "recruit"),
    "trial-start": ("trial", "study"),
    "approval": ("approv", "authori", "green", "nod", "clear"),
    "opinion": ("opinion", "recommend"),
    "submission": ("bla", "nda", "maa", "application", "submi"),
    "designation": ("track", "orphan", "breakthrough", "priority", "rmat", "prime", "pediatric",
                    "designation"),
    "rejection": ("crl", "reject", "complete response"),
    "hold": ("hold",),
    "results": ("data", "result", "topline", "top-line", "readout", "read-out", "efficacy",
                "endpoint", "response rate", "survival"),
    "acquisition": ("acqui", "buy", "bought", "merg", "take", "sold", "sell"),
    "financing": ("rais", "financ", "funding", "series", "ipo", "offering", "placement",
                  "round"),
    "partnership": ("licen", "collaborat", "partner", "alliance", "pact", "co-develop"),
    "leadership": ("appoint", "ceo", "chief", "president", "chair", "step", "resign", "retire",
                   "hire"),
    "layoffs": ("lay", "cut", "workforce", "restructur"),
    "discontinuation": ("discontinu", "halt", "terminat", "stop", "scrap", "shelv",
                        "deprioriti", "end"),
    "investor-event": ("present", "participate", "host", "fireside", "investor", "webcast",
                       "conference call"),
}  # fmt: skip
"""Text each class's pattern needs (lower case): a pattern runs only when one is there,
which spares most patterns on most titles."""
_BACKGROUND = re.compile(
    r"[,;:]? \b(?:after|following|on the heels of|weeks after|days after|months after|since)\b",
    _I,
)
"""What follows these words is the background of the news, not the news ("doses first
patient days after IND clearance")."""


_BITS = {name: 1 << index for index, (name, _) in enumerate(_CLASSES)}
_EARNINGS_BIT = 1 << len(_CLASSES)
_EARNINGS_HINTS = ("quarter", "q1", "q2", "q3", "q4", "fiscal", "full", "half", "financial",
                   "earnings", "annual", "interim", "business")  # fmt: skip
"""Text :data:`_EARNINGS` needs (lower case) in an ASCII text."""
_BACKGROUND_HINTS = ("after", "following", "on the heels of", "since")


_HINT_BITS = (
    *((hint.split(" ", 1)[0], _BITS[name]) for name, hints in _HINTS.items() for hint in hints),
    *((hint, _EARNINGS_BIT) for hint in _EARNINGS_HINTS),
)
"""Each hint (the first word of one of several words) and the bit of its class."""


def _hint_bits(piece: str) -> int:
    """The classes (and quarterly results) whose hints ``piece`` holds; a hint of several
    words counts by its first (the whole is looked for in the text)."""
    found = 0
    for hint, bit in _HINT_BITS:
        if hint in piece:
            found |= bit
    return found


class _HintBits(dict[str, int]):
    """Each lower-case piece of text's :func:`_hint_bits`, worked out once."""

    def __missing__(self, piece: str) -> int:
        if len(self) >= 100_000:
            self.clear()
        found = self[piece] = _hint_bits(piece)
        return found


_PIECE_BITS = _HintBits()
_BY_BIT = {_BITS[name]: (name, pattern) for name, pattern in _CLASSES}
_SPACED = frozenset(name for name, hints in _HINTS.items() if any(" " in h for h in hints))
"""The classes with a hint of several words: once a piece holds a hint's first word, the
text is looked at for the hints themselves."""


def events_of(text: str) -> frozenset[str]:
    """The event classes named in ``text`` (a title, or a lede); what follows "after",
    "following" and the like is background and does not count.

    A class's pattern runs only when the text holds one of its hints, found by the text's
    pieces between whitespace (each distinct piece read once per process)."""
    lowered = text.lower()
    ascii_text = text.isascii()
    if not ascii_text or any(hint in lowered for hint in _BACKGROUND_HINTS):
        text = _BACKGROUND.split(text, maxsplit=1)[0]
        lowered = text.lower()
    bits = 0
    for piece_bits in map(_PIECE_BITS.__getitem__, lowered.split()):
        bits |= piece_bits
    if (bits & _EARNINGS_BIT or not ascii_text) and _EARNINGS.search(text):
        return frozenset({EARNINGS})
    found = set()
    bits &= ~_EARNINGS_BIT
    while bits:  # the classes whose hints are there, one bit at a time
        bit = bits & -bits
        bits ^= bit
        name, pattern = _BY_BIT[bit]
        if (name not in _SPACED or any(hint in lowered for hint in _HINTS[name])) and (
            pattern.search(text)
        ):
            found.add(name)
    if ("IND" in text or "CTA" in text or "investigational new drug" in text
            or "clinical trial application" in text) and _IND.search(text):  # fmt: skip
        found.add("ind")
        if _CLEARANCE.search(text):
            found.discard("approval")  # an IND cleared is not a product approved
    if "approval" in found and _PENDING.search(text):
        found.discard("approval")  # asked for, not given
        found.add("submission")
    if "investor-event" in found:
        return frozenset({"investor-event"})  # an invitation to a talk, whatever its subject
    return frozenset(found)


def compatible(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two articles with these event classes may report the same event: they share
    one (or neither names any); quarterly results share with nothing else."""
    if not first or not second:
        return not first and not second
    if (EARNINGS in first) != (EARNINGS in second):
        return False
    return bool(first & second)
