"""Plain-text press clippings (``.txt``) to articles.

The form::

    February 2026 — Global Biotech News                 date (and section)
    Shanghai, China / Global — CARsgen announced ...    dateline lede: place — first sentence
    More paragraphs, one per line.
    Photo by Diane Serik on Unsplash                    credit lines, anywhere in the body
    Source: HEADLINE — PUBLISHER                        optional closing line

Dashes may be em dashes, en dashes or `` - ``; the ``Source:`` line splits at its last dash.
Reading is lenient: no date line, no dateline, CRLF, a BOM and blank lines all still give an
article. Credit lines leave the body and become the article's credits, each kept as the whole
line as written (``Photo by X on Unsplash``).
"""

from __future__ import annotations

import re
from datetime import datetime

from biotui.errors import SourceError
from biotui.model import Article, article_id
from biotui.plaintext import clean_multiline, clean_text
from biotui.sources.credits import credit_text, is_credit_line
from biotui.sources.dates import parse_date
from biotui.sources.markup import limit_body, text_to_markdown
from biotui.sources.titles import UNTITLED

MAX_TITLE_CHARS = 200
"""Longer titles (a headline or a lede's first sentence) are cut, with an ellipsis."""
MAX_NAME_CHARS = 200
"""Longer sections and publishers are cut, with an ellipsis."""

# A separating dash: an em dash, an en dash with a space on one side at least (``2023–2024`` is
# a range), or a hyphen (or two) between spaces.
# A match never starts inside a run of spaces (``(?<!\s)``): trying every position of a long
# run would take quadratic time.
_SEPARATOR = re.compile(r"(?<!\s)(?:\s*—\s*|\s+–\s*|\s*–\s+|\s+--?\s+)")
_NOT_A_PLACE = re.compile(r"^(?:the|a|an|this|that|these|those|it|its|we|our|they)\b", re.I)
_SOURCE_LINE = re.compile(r"^(?:source|sources|quelle|fuente|fonte|bron)\s*[:：]\s*(.*)$", re.I)
_ABBREVIATIONS = frozenset(
    re.findall(
        r"\S+",
        "mr mrs ms dr prof inc ltd co corp st jr sr no nos vs etc al approx fig dept est govt "
        "sen rep gen lt col mt ft e.g i.e u.s u.k u.n a.m p.m ph.d "
        "jan feb mar apr jun jul aug sep sept oct nov dec",
    )
)
_LONGEST_WORD = 40
"""Enough characters before a full stop to hold any abbreviation or initial."""
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9À-Ý])")


def split_headline(text: str) -> tuple[str, str]:
    """Split ``HEADLINE — PUBLISHER`` at its last separating dash (em, en or `` - ``).

    Headlines often hold dashes (``Lupus — a new frontier — STAT``); publishers rarely do.
    """
    matches = list(_SEPARATOR.finditer(text))
    if not matches:
        return text.strip(), ""
    last = matches[-1]
    return text[: last.start()].strip(), text[last.end() :].strip()


def first_sentence(text: str) -> str:
    """Return the first sentence of ``text``, skipping abbreviations (``Ltd.``, ``Dr.``)."""
    for match in _SENTENCE_END.finditer(text):
        # Only the word before the stop matters; looking at the whole text before it would
        # make a lede of many abbreviations ("Dr. A Dr. B ...") take quadratic time.
        words = text[max(0, match.start() - _LONGEST_WORD) : match.start()].split()
        word = words[-1].lstrip("(\"“'") if words else ""
        initial = len(word) == 1 and word.isupper()
        if word.lower() in _ABBREVIATIONS or initial or (len(word) <= 4 and "." in word):
            continue
        return text[: match.end()].rstrip("\"”’')]").rstrip(".").strip()
    return text.rstrip(".").strip()


def _shorten(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters plus an ellipsis, at a space if one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def _header(line: str) -> tuple[datetime | None, str] | None:
    """Read line 1 (``date — section``); ``None`` when it is not a date line."""
    parts = _SEPARATOR.split(line, maxsplit=1)
    date = parse_date(parts[0])
    if date is not None:
        return date, parts[1].strip() if len(parts) > 1 else ""
    if len(parts) > 1 and (date := parse_date(parts[1])) is not None:
        return date, parts[0].strip()  # "Section — February 2026"
    return None


def dateline(line: str) -> tuple[str, str]:
    """Split a lede into (place, rest) when it opens with ``Place — ``, else ``("", line)``."""
    match = _SEPARATOR.search(line)
    if not match or match.start() == 0:
        return "", line
    place = line[: match.start()].strip()
    if (
        len(place) > 100
        or len(place.split()) > 12
        or not place[0].isupper()
        or _NOT_A_PLACE.match(place)
    ):
        return "", line
    return place, line[match.end() :].strip()


def _looks_like_section(line: str) -> bool:
    return len(line) <= 80 and not line.endswith((".", "!", "?", ":")) and not dateline(line)[0]


def parse_clipping(text: str, *, feed: str, guid: str, link: str = "") -> Article:
    """Read one clipping into an article of feed ``feed`` (see the module docstring).

    Raises :class:`SourceError` when the text has no content at all.
    """
    guid = clean_text(guid)
    # Every line is cleaned first: what follows sees the text a reader will (no controls, one
    # space between words), and no pattern meets a long run of spaces.
    lines = [line for line in map(clean_text, clean_multiline(text).split("\n")) if line]
    if not lines:
        raise SourceError("empty clipping")
    published, section = None, ""
    header = _header(lines[0])
    if header is not None:
        (published, section), lines = header, lines[1:]
    elif len(lines) > 1 and _looks_like_section(lines[0]) and dateline(lines[1])[0]:
        section, lines = lines[0], lines[1:]
    credits: list[str] = []
    paragraphs: list[str] = []
    for line in lines:
        if is_credit_line(line):
            credits.append(credit_text(line))
        else:
            paragraphs.append(line)
    headline = publisher = ""
    if paragraphs and (match := _SOURCE_LINE.match(paragraphs[-1])):
        headline, publisher = split_headline(match.group(1))
        paragraphs.pop()
    place, lede = dateline(paragraphs[0]) if paragraphs else ("", "")
    title = _shorten(headline) or _shorten(first_sentence(lede))
    section = _shorten(section, MAX_NAME_CHARS)
    body, notes = limit_body(text_to_markdown("\n".join(paragraphs)))
    return Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=title or section or UNTITLED,
        link=link,
        published=published,
        source=_shorten(publisher, MAX_NAME_CHARS) or section,
        section=section,
        place=place,
        credits=tuple(dict.fromkeys(c for c in credits if c)),
        body=body,
        notes=notes,
    )
