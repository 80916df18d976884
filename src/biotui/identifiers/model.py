"""The identifier record and its kinds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Kind = Literal["trial", "eudract", "euct", "isrctn", "pmid", "pmcid", "doi", "drug", "target"]

KINDS: Final[tuple[Kind, ...]] = (
    "trial",
    "eudract",
    "euct",
    "isrctn",
    "pmid",
    "pmcid",
    "doi",
    "drug",
    "target",
)
"""Every kind, in the order a list of identifiers shows them."""

SEARCH_FIELDS: Final[dict[str, tuple[Kind, ...]]] = {
    "trial": ("trial", "eudract", "euct", "isrctn"),
    "pmid": ("pmid", "pmcid"),
    "doi": ("doi",),
    "drug": ("drug",),
    "target": ("target",),
}
"""The filter fields the search language offers and the kinds each one matches: ``trial:``
takes an id of any trial registry, ``pmid:`` a PubMed or a PMC id."""


@dataclass(frozen=True, slots=True)
class Identifier:
    """One identifier found in an article.

    ``id`` is the normalised spelling shown to a reader (``NCT06123456``, ``KYV-101``,
    ``PD-L1``, a DOI without its ``doi:`` or link prefix); ``key`` is the form two mentions of
    the same identifier share, the one searches compare; ``url`` is its page in its registry.
    """

    kind: Kind
    id: str
    url: str

    @property
    def key(self) -> str:
        """The comparison form of ``id`` (see ``normalise``)."""
        from biotui.identifiers.normal import normalise

        return normalise(self.kind, self.id)
