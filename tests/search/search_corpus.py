"""The corpus of the search tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from dataclasses import dataclass

from biotui.search import parse_filter
from biotui.store import Store

CORPUS: dict[str, tuple[str, str]] = {
    # key: (title, body)
    "car-t": ("CAR-T therapy shows promise", "Autologous cells were infused."),
    "car t": ("Engineered CAR T cells", "A second trial opened."),
    "car-t lower": ("New data", "the car-t construct was redesigned."),
    "cart": ("A new cart for the lab", "Wheels and shelves."),
    "scar": ("Healing study", "Scar tissue formed after surgery."),
    "carter": ("Carter joins the board", "A new director."),
    "car-nk": ("CAR-NK cells move ahead", "Natural killer cells."),
    "lupus": ("Lupus nephritis readout", "Kidney function improved."),
    "lupus lower": ("Autoimmune study", "patients with lupus were enrolled."),
    "lupus accent": ("Ensayo en España", "pacientes con lúpus eritematoso."),
    "cd19/cd20": ("CD19/CD20 bispecific enters the clinic", "Dual targeting."),
    "cd19 and cd20": ("Targets", "CD19 and CD20 were measured separately."),
    "kj-c2219": ("KJ-C2219 first patient dosed", "A milestone."),
    "kj other": ("KJ news", "C2219 is unrelated to KJ here."),
}


@dataclass(frozen=True)
class Corpus:
    """The store and a way to run a filter and get back the corpus keys it matches."""

    store: Store
    key_of: dict[int, str]

    def keys(self, text: str) -> set[str]:
        """The corpus keys the filter ``text`` keeps."""
        query = parse_filter(text).query
        return {self.key_of[rowid] for rowid in self.store.headline_ids(query)}

    @property
    def all(self) -> set[str]:
        """Every key."""
        return set(self.key_of.values())
