"""The corpus of the search tests (imported by name: pytest puts this folder on sys.path).

Each entry is an article built to be found, or NOT found, by a row of the query language's
table: CAR-T and its look-alikes, lupus with and without accents, drug codes and their
neighbours, words Porter stemming would conflate, fields, plurals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from biotui.search import parse_filter
from biotui.store import Store

# key: (title, body, other article fields)
CORPUS: dict[str, tuple[str, str, dict[str, Any]]] = {
    # CAR-T and look-alikes
    "car-t": ("CAR-T therapy shows promise", "Autologous cells were infused.", {}),
    "car t": ("Engineered CAR T cells", "A second trial opened.", {}),
    "car-t lower": ("New data", "the car-t construct was redesigned.", {}),
    "car-ts": ("Two CAR-Ts compared", "Both products were autologous.", {}),
    "cart": ("A new cart for the lab", "Wheels and shelves.", {}),
    "scar": ("Healing study", "Scar tissue formed after surgery.", {}),
    "carter": ("Carter joins the board", "A new director.", {}),
    "car-nk": ("CAR-NK cells move ahead", "Natural killer cells.", {}),
    # lupus
    "lupus": ("Lupus nephritis readout", "Kidney function improved.", {}),
    "lupus lower": ("Autoimmune study", "patients with lupus were enrolled.", {}),
    "lupus accent": ("Ensayo en España", "pacientes con lúpus eritematoso.", {}),
    "lupus source": ("Weekly roundup", "Grants announced.", {"source": "Lupus Research Wire"}),
    "lupus author": ("Interview", "A long talk.", {"author": "Lupus Smith"}),
    "lupus feed": ("Newsletter", "Items of the week.", {"feed": "Lupus Alliance"}),
    "lupin": ("Lupin files generic", "The generic maker expands.", {}),
    "car-t lupus": ("CAR-T in lupus", "A first look at cell therapy in autoimmunity.", {}),
    # slash and hyphen codes
    "cd19/cd20": ("CD19/CD20 bispecific enters the clinic", "Dual targeting.", {}),
    "cd19 and cd20": ("Targets", "CD19 and CD20 were measured separately.", {}),
    "kj-c2219": ("KJ-C2219 first patient dosed", "A milestone.", {}),
    "kj-c2218": ("KJ-C2218 trial paused", "A pause, not a stop.", {}),
    "kj other": ("KJ news", "C2219 is unrelated to KJ here.", {}),
    "her2": ("HER2-positive breast cancer data", "Response rates rose.", {}),
    "her": ("Profile", "She said her team would publish soon.", {}),
    # plurals and words a stemmer conflates
    "therapy": ("A gene therapy approved", "One infusion.", {}),
    "therapies": ("New therapies for old diseases", "Several approaches.", {}),
    "organ": ("Organ transplant rejection", "A kidney study.", {}),
    "organization": ("World Health Organization update", "Guidance issued.", {}),
    "general": ("General meeting", "Shareholders voted.", {}),
    "university": ("University spinout raises money", "Seed round.", {}),
    # oncology (for exclusions) and phrases
    "oncology": ("Oncology pipeline update", "Three tumour programs.", {}),
    "first dosed": ("Milestone", "The first dosed patient did well.", {}),
    # fields
    "myeloma title": ("Myeloma drug wins approval", "A big day.", {}),
    "myeloma body": ("Approval news", "The drug treats myeloma in adults.", {}),
    "reuters": ("Merger talks", "Sources said so.", {"source": "Reuters"}),
    "reuters body": ("Market wrap", "Reuters reported the deal first.", {}),
    "clipping": ("Saved article", "From a paper.", {"feed": "Clippings"}),
    "jane": ("Column", "An opinion.", {"author": "Jane Doe"}),
    # lowercase operators are words
    "or word": ("Buy or sell", "Analysts are split on the stock.", {}),
}


@dataclass(frozen=True)
class Corpus:
    """The store and a way to run a filter and get back the corpus keys it matches."""

    store: Store
    key_of: dict[int, str]

    def keys(self, text: str) -> set[str]:
        """The corpus keys the filter ``text`` keeps (the filter must be valid)."""
        result = parse_filter(text)
        assert result.error is None, result.error
        return {self.key_of[rowid] for rowid in self.store.headline_ids(result.query)}

    def order(self, text: str) -> list[str]:
        """The corpus keys of the filter ``text``, best match first."""
        query = parse_filter(text).query
        return [self.key_of[rowid] for rowid in self.store.headline_ids(query, order="relevance")]

    @property
    def all(self) -> set[str]:
        """Every key."""
        return set(self.key_of.values())
