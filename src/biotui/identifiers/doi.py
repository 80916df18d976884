"""DOIs: ``10.NNNN/suffix`` in text, in doi.org links and in publishers' ``/doi/`` links.

A DOI's suffix may hold almost any character, so where it ends is a judgement: in text it
ends at a space or a quote, and trailing sentence punctuation and unbalanced closing brackets
are not part of it; in a doi.org link it is the rest of the link's path; in a publisher's
link only a path ``.../doi/[abs|full|pdf|epdf|epub/]10...`` counts, up to ``?`` or ``#``.
Any other link that happens to hold ``10.NNNN/`` (an image under a journal's store) is no
DOI: precision first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote

from biotui.identifiers.links import link
from biotui.identifiers.model import Identifier
from biotui.identifiers.spans import Spans

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"'<>\[\]{}|\\^`]+")
_DOI_LINK = re.compile(
    r"(?:https?://)?(?:(?:dx\.|www\.)?doi\.org|doi\.acm\.org|doi\.wiley\.com)/", re.IGNORECASE
)
"""doi.org and the publishers' own DOI resolvers: the rest of the link's path is the DOI."""
_PUBLISHER_PATH = re.compile(r"/doi/(?:(?:abs|full|pdf|epdf|epub|reader)/)?$", re.IGNORECASE)
_TRAILING = ".,;:!?*'\"’”»"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_SHAPE = re.compile(r"10\.\d{4,9}/[^\s/]")
_LONGEST = 300
"""Longer than any DOI in use: a longer run is no DOI (and is not trimmed at all)."""


def trim(doi: str) -> str:
    """Drop trailing sentence punctuation and unbalanced closing brackets from ``doi``."""
    surplus = {closer: doi.count(closer) - doi.count(opener) for closer, opener in _CLOSERS.items()}
    end = len(doi)
    while end:
        last = doi[end - 1]
        if last in _TRAILING:
            end -= 1
        elif surplus.get(last, 0) > 0:
            surplus[last] -= 1
            end -= 1
        else:
            break
    return doi[:end]


def find_dois(text: str, spans: Spans) -> Iterator[tuple[int, Identifier]]:
    """Yield ``(position, Identifier)`` for every DOI of ``text`` (see the module's rules)."""
    if "10." not in text:
        return
    if "doi." in text:
        for span in spans.links:
            resolver = _DOI_LINK.match(span.url)
            if resolver is not None and len(span.url) - resolver.end() <= _LONGEST:
                doi = _path(span.url[resolver.end() :])
                if _plausible(doi, labelled=True):
                    yield span.start, Identifier("doi", doi, link("doi", doi))
    for match in _DOI.finditer(text):
        start = match.start()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._-"):
            continue
        if match.end() - start > _LONGEST:
            continue
        found = spans.link_at(start)
        if found is None:
            doi = trim(match.group())
            labelled = "doi" in text[max(0, start - 8) : start].lower()
        elif _PUBLISHER_PATH.search(found.url, 0, start - found.start):
            doi, labelled = _path(found.url[start - found.start :]), True
        else:
            continue  # a resolver's link (done above) or a link that only holds 10.NNNN/
        if _plausible(doi, labelled=labelled):
            yield start, Identifier("doi", doi, link("doi", doi))


def _path(rest: str) -> str:
    """Return the DOI a link's path gives: up to its query or fragment, decoded, trimmed."""
    for stop in "?#":
        rest = rest.split(stop, 1)[0]
    return trim(unquote(rest))


def _plausible(doi: str, *, labelled: bool) -> bool:
    """Tell whether ``doi`` has a DOI's shape; an unlabelled one needs a suffix that is not a
    short number (``10.2023/24`` is a ratio, not a DOI)."""
    if not _SHAPE.match(doi):
        return False
    suffix = doi.split("/", 1)[1]
    return labelled or len(suffix) >= 5 or not suffix.isdigit()
