"""``find_identifiers``: one pass of every finder over an article's title and body."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from biotui.identifiers.doi import find_dois
from biotui.identifiers.drugs import find_drugs
from biotui.identifiers.model import KINDS, Identifier
from biotui.identifiers.normal import normalise
from biotui.identifiers.registries import (
    find_eu_trials,
    find_isrctns,
    find_pmcids,
    find_pmids,
    find_trials,
)
from biotui.identifiers.spans import Spans
from biotui.identifiers.targets import find_targets

Found = Iterator[tuple[int, Identifier]]
_PLAIN: tuple[Callable[[str, str], Found], ...] = (
    find_trials,
    find_eu_trials,
    find_isrctns,
    find_pmids,
    find_pmcids,
)
_IN_CONTEXT: tuple[Callable[[str, Spans], Found], ...] = (find_dois, find_drugs, find_targets)
_ORDER = {kind: index for index, kind in enumerate(KINDS)}


def find_identifiers(title: str, body: str) -> tuple[Identifier, ...]:
    """Return the identifiers named in an article's ``title`` and ``body`` (Markdown).

    Each identifier appears once (the first spelling met), grouped by kind in the order of
    ``KINDS`` and, within a kind, in the order of first mention (the title first). Pure and
    deterministic; linear in the length of the text.
    """
    text = f"{title}\n\n{body}" if body else title
    lowered = text.lower()
    spans = Spans(text, lowered)
    found: dict[tuple[str, str], tuple[int, Identifier]] = {}
    for plain in _PLAIN:
        _collect(found, plain(text, lowered))
    for contextual in _IN_CONTEXT:
        _collect(found, contextual(text, spans))
    ordered = sorted(found.values(), key=lambda item: (_ORDER[item[1].kind], item[0]))
    return tuple(identifier for _, identifier in ordered)


def _collect(found: dict[tuple[str, str], tuple[int, Identifier]], items: Found) -> None:
    for position, identifier in items:
        key = (identifier.kind, normalise(identifier.kind, identifier.id))
        if key not in found:
            found[key] = (position, identifier)
