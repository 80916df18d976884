"""Targets and biomarkers from the curated list (targets.toml), matched case-sensitively.

A spelling counts only as a whole word: "CD19" in "anti-CD19" and "CD19/BCMA", never in
"CD190" or "xCD19y"; a bispecific written "CD20xCD3" gives both. Nothing inside a link
counts. A bracketed word names two targets ("PD-(L)1": PD-1 and PD-L1; see
``data.bracketed``).

What a match is has one definition, ``pattern``: every spelling in one regex shaped as a trie,
read from left to right as ``finditer`` reads it. Trying it at every position of a long text
costs far more than the rest of the recogniser, so a text is read at the few places where a
spelling can start (``scan.at_candidates``); the answer is the same, and where it might not
be (``scan``'s hazards) the text is read the slow way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from biotui.identifiers.data import Target
from biotui.identifiers.links import link
from biotui.identifiers.model import Identifier
from biotui.identifiers.spans import Spans
from biotui.identifiers.target_scan import at_candidates, matcher


def find_targets(text: str, spans: Spans) -> Iterator[tuple[int, Identifier]]:
    """Yield ``(position, Identifier)`` for every curated target named in ``text``."""
    found = matcher()
    matches: Iterable[re.Match[str]] | None = at_candidates(text, found)
    if matches is None:
        matches = found.pattern.finditer(text)
    for match in matches:
        start = match.start()
        if start > 0:
            before = text[start - 1]
            if before == "." or (
                (before.isalnum() or before == "_")
                and not (before == "x" and start > 1 and text[start - 2].isalnum())
            ):
                continue
        spelling = match.group()
        owners = found.by_spelling.get(spelling) or found.by_spelling.get(spelling[:-1])
        if owners is None or spans.link_at(start) is not None:
            continue
        for target in owners:
            yield start, _identifier(target)


def _identifier(target: Target) -> Identifier:
    return Identifier("target", target.name, link("target", target.name, symbol=target.symbol))
