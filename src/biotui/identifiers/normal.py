"""The comparison form of an identifier: what two spellings of the same id share.

Searches compare these forms (``drug:kyv101`` finds ``KYV-101``), and an article lists an
identifier once however often and however it is written.
- trials (all registries), PMCIDs: upper case, no spaces (``nct 06123456`` -> ``NCT06123456``);
- PubMed ids: the number, without ``PMID:`` and leading zeros;
- DOIs: lower case (DOIs ignore case), without a ``doi:`` or doi.org prefix;
- drug codes: upper case, without hyphens and spaces (``kyv 101``, ``KYV-101`` -> ``KYV101``);
- targets: the curated spelling when the text names a curated target in any case, with or
  without hyphens (``pdl1``, ``PD-L1`` -> ``PD-L1``); otherwise upper case without hyphens.
"""

from __future__ import annotations

import re
from functools import cache

from biotui.identifiers.data import targets

_SPACES = re.compile(r"\s+")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|(?:https?://)?(?:dx\.|www\.)?doi\.org/)", re.IGNORECASE)
_PMID_PREFIX = re.compile(r"^pmid:?\s*", re.IGNORECASE)


def _fold(text: str) -> str:
    return _SPACES.sub("", text).replace("-", "").upper()


@cache
def _target_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for target in targets():
        for spelling in target.spellings:
            names.setdefault(_fold(spelling), target.name)
    return names


def normalise(kind: str, text: str) -> str:
    """Return the comparison form of ``text`` as an identifier of ``kind`` (see the module).

    ``kind`` is an identifier kind or a search field (``trial`` covers every trial registry).
    """
    text = text.strip()
    if kind in ("trial", "eudract", "euct", "isrctn"):
        return _SPACES.sub("", text).upper()
    if kind == "pmid" and text.upper().startswith("PMC"):
        kind = "pmcid"
    if kind == "pmid":
        digits = _PMID_PREFIX.sub("", text)
        return digits.lstrip("0") or digits
    if kind == "pmcid":
        upper = _SPACES.sub("", text).upper()
        return upper if upper.startswith("PMC") else "PMC" + upper
    if kind == "doi":
        return _DOI_PREFIX.sub("", text).lower()
    folded = _fold(text)
    if kind == "target":
        return _target_names().get(folded, folded)
    return folded
