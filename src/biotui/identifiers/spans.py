"""Where a text's links and photo credits are: drug codes and targets are not read there."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_URL = re.compile(
    r"(?:https?://|www\.)(?:[^\s<>\"'`()\[\]{}]|\([^\s<>\"'`()\[\]{}]*\))+",
    re.IGNORECASE,
)
"""A link: a scheme or ``www.``, then anything but spaces, quotes, angle and square brackets;
round brackets only in balanced pairs (``...S0140-6736(23)01234-5``), so the ``)`` that ends
a Markdown link is not part of it. Every branch starts with a different character: linear."""

_CREDIT_LINE = re.compile(
    r"[\s*_>#(\[!]*(?:photo(?:graph)?s?|images?|pictures?|pics?|credits?|illustrations?|"
    r"graphics?|foto|fotos|bild|bilder|camera|copyright|courtesy|©|\(c\))(?![^\W_])",
    re.IGNORECASE,
)
_CREDIT_INLINE = re.compile(
    r"\((?:photo(?:graph)?s?|images?|pictures?|credits?|foto|bild)\b[^()\n]{0,200}\)"
    r"|\b(?:photo(?:graph)?s?|images?|pictures?)\s+(?:by|courtesy|credit)\b[^\n]{0,200}",
    re.IGNORECASE,
)
_CREDIT_LINE_MAX = 300
"""Credit lines are short; a longer line is text, whatever its first word."""
_INLINE_REACH = 250
"""How far around a candidate an inline credit (``(Photo: ...)``) is looked for: it bounds the
work per candidate, so a hostile body costs linear time."""


@dataclass(frozen=True, slots=True)
class Span:
    """A link's place in the text and the link itself."""

    start: int
    end: int
    url: str


class Spans:
    """The links and lines of one text, found on first use and then looked up by position."""

    __slots__ = ("_line_starts", "_links", "_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._links: list[Span] | None = None
        self._starts: list[int] = []
        self._line_starts: list[int] | None = None

    @property
    def links(self) -> list[Span]:
        """Every link of the text, in order."""
        if self._links is None:
            self._links = [Span(m.start(), m.end(), m.group()) for m in _URL.finditer(self._text)]
            self._starts = [span.start for span in self._links]
        return self._links

    def link_at(self, position: int) -> Span | None:
        """Return the link that holds ``position``, if one does."""
        links = self.links
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < links[index].end:
            return links[index]
        return None

    def in_credit(self, position: int) -> bool:
        """Tell whether ``position`` lies in a photo credit: a credit line or ``(Photo: ...)``."""
        text = self._text
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        starts = self._line_starts
        index = bisect_right(starts, position) - 1
        line_start = starts[index]
        line_end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        if line_end - line_start <= _CREDIT_LINE_MAX and _CREDIT_LINE.match(
            text, line_start, line_end
        ):
            return True
        low = max(line_start, position - _INLINE_REACH)
        high = min(line_end, position + _INLINE_REACH)
        return any(
            m.start() <= position < m.end() for m in _CREDIT_INLINE.finditer(text, low, high)
        )
