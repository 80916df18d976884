"""Where a text's links and photo credits are: drug codes and targets are not read there."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_REST = r"(?:[^\s<>\"'`()\[\]{}]|\([^\s<>\"'`()\[\]{}]*\))+"
_URLS = (re.compile(r"http(?:s)?://" + _REST), re.compile(r"www\." + _REST))
"""A link: ``http(s)://`` or ``www.`` (looked for in the lower-case copy: each pattern starts
with a literal, so the engine skips to it), then anything but spaces, quotes, angle and square
brackets; round brackets only in balanced pairs (``...S0140-6736(23)01234-5``), so the ``)``
that ends a Markdown link is not part of it. Its branches start with different characters:
linear."""

_CREDIT_LINE = re.compile(
    r"[\s*_>#(\[!]*(?:photo(?:graph)?s?|images?|pictures?|pics?|credits?|illustrations?|"
    r"graphics?|foto|fotos|bild|bilder|camera|copyright|courtesy|©|\(c\))(?![^\W_])",
    re.IGNORECASE,
)
_CREDIT_INLINE = re.compile(
    r"\((?i:photo(?:graph)?s?|images?|pictures?|credits?|foto|bild)\b[^()\n]{0,200}\)"
    r"|[PpIi](?i:hoto(?:graph)?s?|mages?|ictures?)\s+(?i:by|courtesy|credit)\b[^\n]{0,200}"
)
_CREDIT_LINE_MAX = 300
"""Credit lines are short; a longer line is text, whatever its first word."""


@dataclass(frozen=True, slots=True)
class Span:
    """A link's place in the text and the link itself."""

    start: int
    end: int
    url: str


class Spans:
    """The links and lines of one text, found on first use and then looked up by position."""

    __slots__ = (
        "_credit_ends",
        "_credit_starts",
        "_line_starts",
        "_links",
        "_lowered",
        "_starts",
        "_text",
    )

    def __init__(self, text: str, lowered: str | None = None) -> None:
        self._text = text
        self._lowered = lowered if lowered is not None and len(lowered) == len(text) else None
        self._links: list[Span] | None = None
        self._starts: list[int] = []
        self._line_starts: list[int] | None = None
        self._credit_starts: list[int] | None = None
        self._credit_ends: list[int] = []

    @property
    def links(self) -> list[Span]:
        """Every link of the text, in order."""
        if self._links is None:
            self._links = self._find_links()
            self._starts = [span.start for span in self._links]
        return self._links

    def _find_links(self) -> list[Span]:
        text = self._text
        lowered = self._lowered if self._lowered is not None else text.lower()
        if len(lowered) != len(text):
            lowered = text  # lower-casing moved positions: links in lower case only
        found = sorted((m.start(), m.end()) for pattern in _URLS for m in pattern.finditer(lowered))
        links: list[Span] = []
        for start, end in found:
            if links and start < links[-1].end:
                continue  # the www. inside an http link
            links.append(Span(start, end, text[start:end]))
        return links

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
        if self._credit_starts is None:
            inline = list(_CREDIT_INLINE.finditer(text))
            self._credit_starts = [m.start() for m in inline]
            self._credit_ends = [m.end() for m in inline]
        index = bisect_right(self._credit_starts, position) - 1
        return index >= 0 and position < self._credit_ends[index]
