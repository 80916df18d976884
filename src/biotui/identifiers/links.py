"""Each identifier's page in its registry, built from its normalised id."""

from __future__ import annotations

from functools import cache, lru_cache
from urllib.parse import quote, urlencode

from biotui.identifiers.data import targets
from biotui.identifiers.model import Identifier, Kind

_DOI_SAFE = "/:;()@!$&'*+,=-._~"
"""Characters a URL path carries as they are; the rest of a DOI (``#``, ``?``, ``%``, ``"``,
brackets, spaces, non-ASCII) is percent-encoded, as the DOI Handbook asks."""


@lru_cache(maxsize=4096)
def link(kind: Kind, ident: str, *, symbol: str = "") -> str:
    """Return the registry page of ``ident`` (already normalised) of kind ``kind``.

    ``symbol`` is a target's gene symbol (NCBI Gene searches by symbol, not by the name a
    reader knows: PD-L1 is CD274). Remembered: the same ids come back article after article.
    """
    if kind == "trial":
        return f"https://clinicaltrials.gov/study/{ident}"
    if kind == "eudract":
        return "https://www.clinicaltrialsregister.eu/ctr-search/search?" + urlencode(
            {"query": ident}
        )
    if kind == "euct":
        return f"https://euclinicaltrials.eu/ctis-public/view/{ident}"
    if kind == "isrctn":
        return f"https://www.isrctn.com/{ident}"
    if kind == "pmid":
        return f"https://pubmed.ncbi.nlm.nih.gov/{ident}/"
    if kind == "pmcid":
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{ident}/"
    if kind == "doi":
        return "https://doi.org/" + quote(ident, safe=_DOI_SAFE)
    if kind == "drug":
        return "https://clinicaltrials.gov/search?" + urlencode({"intr": ident})
    term = f"{symbol or ident}[sym] AND human[orgn]"
    return "https://www.ncbi.nlm.nih.gov/gene/?" + urlencode({"term": term})


@cache
def _symbols() -> dict[str, str]:
    return {target.name: target.symbol for target in targets()}


def identifier(kind: Kind, ident: str) -> Identifier:
    """The record of the identifier ``ident`` (as ``Identifier.id`` spells it) of ``kind``,
    with its link made again: for identifiers kept without their links (the store)."""
    symbol = _symbols().get(ident, "") if kind == "target" else ""
    return Identifier(kind, ident, link(kind, ident, symbol=symbol))
