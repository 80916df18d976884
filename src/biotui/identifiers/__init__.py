"""Identifiers in article text: trials, EU trial numbers, ISRCTN, PubMed and PMC ids, DOIs,
drug development codes and targets, each with its registry link. Pure: text in, records out
(no store, no network); the curated lists ship as data beside the code.

``find_identifiers(title, body)`` finds them; ``normalise(kind, text)`` gives the form searches
compare; ``Identifier`` is the record (``identifier(kind, id)`` makes it again, link included,
from a stored kind and id); ``KINDS`` and ``SEARCH_FIELDS`` name the kinds and the
filter fields that match them.
"""

from __future__ import annotations

from biotui.identifiers.find import find_identifiers
from biotui.identifiers.links import identifier
from biotui.identifiers.model import KINDS, SEARCH_FIELDS, Identifier, Kind
from biotui.identifiers.normal import normalise

__all__ = [
    "KINDS",
    "SEARCH_FIELDS",
    "Identifier",
    "Kind",
    "find_identifiers",
    "identifier",
    "normalise",
]
