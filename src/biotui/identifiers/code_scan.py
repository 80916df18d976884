"""Where a drug code can start, found in the text's shape (``shapes.CODES``).

A code (``drugs._CODE``) is one to five capitals, a separator, a letter and two digits or
more, and starts after no letter or digit. So it holds a capital followed by two digits, or
by a separator and two digits: in the shape, ``A00`` or ``A 00``, which ``bytes.find`` skips
to far faster than any pattern can try each capital. From each such junction the code can
only start where its run of capitals starts, or, when the junction is a one-letter run after
a separator ("KJ-C2219"), where the run before the separator starts.
"""

from __future__ import annotations

from biotui.identifiers.shapes import BOUNDARY, CAPITAL, CODES, DIGIT, OTHER, shape

_JUNCTIONS = (
    (CAPITAL + DIGIT + DIGIT).encode("latin-1"),
    (CAPITAL + BOUNDARY + DIGIT + DIGIT).encode("latin-1"),
)
_CAPITAL = ord(CAPITAL)
_BOUNDARY = ord(BOUNDARY)
_OTHER = ord(OTHER)
_LONGEST_RUN = 6
"""A code has at most six capitals before its digits (prefix and letter)."""


def code_starts(text: str) -> list[int]:
    """Return, in order, every position of ``text`` where a drug code may start (more
    places than codes: the pattern decides)."""
    shaped = shape(text, CODES)
    starts: set[int] = set()
    for junction in _JUNCTIONS:
        at = shaped.find(junction)
        while at >= 0:
            first = _run_start(shaped, at)
            if first is not None:
                starts.add(first - 1)  # the shape's leading byte
            if first == at and shaped[at - 1] == _BOUNDARY and shaped[at - 2] == _CAPITAL:
                before = _run_start(shaped, at - 2)
                if before is not None:
                    starts.add(before - 1)
            at = shaped.find(junction, at + 1)
    return sorted(starts)


def _run_start(shaped: bytes, last: int) -> int | None:
    """Return where the run of capitals ending at ``last`` starts; None when it is longer
    than a code's or glued to a letter (no code starts there)."""
    first = last
    while shaped[first - 1] == _CAPITAL:
        first -= 1
        if last - first >= _LONGEST_RUN:
            return None
    return None if shaped[first - 1] == _OTHER else first
