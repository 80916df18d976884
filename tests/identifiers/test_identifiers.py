"""The identifier recogniser: each kind, its link, its normal form, the issue's "never"
cases, and linear time on hostile text."""

from __future__ import annotations

import pytest

from biotui.identifiers import KINDS, SEARCH_FIELDS, Identifier, find_identifiers, normalise
from biotui.identifiers.data import drug_rules, targets


def ids(text: str, title: str = "") -> list[tuple[str, str]]:
    return [(i.kind, i.id) for i in find_identifiers(title, text)]


@pytest.mark.parametrize(
    ("text", "kind", "ident", "url"),
    [
        ("in NCT06123456.", "trial", "NCT06123456", "https://clinicaltrials.gov/study/NCT06123456"),
        (
            "EudraCT 2019-001234-56",
            "eudract",
            "2019-001234-56",
            "https://www.clinicaltrialsregister.eu/ctr-search/search?query=2019-001234-56",
        ),
        (
            "EU CT 2023-501234-12-00",
            "euct",
            "2023-501234-12-00",
            "https://euclinicaltrials.eu/ctis-public/view/2023-501234-12-00",
        ),
        ("ISRCTN12345678", "isrctn", "ISRCTN12345678", "https://www.isrctn.com/ISRCTN12345678"),
        ("PMID: 38012345", "pmid", "38012345", "https://pubmed.ncbi.nlm.nih.gov/38012345/"),
        ("PMC1234567", "pmcid", "PMC1234567", "https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/"),
        (
            "doi:10.1002/(SICI)1097-4636(199706)35:4<1::AID>3.0.CO;2-X, here",
            "doi",
            "10.1002/(SICI)1097-4636(199706)35:4",
            "https://doi.org/10.1002/(SICI)1097-4636(199706)35:4",
        ),
        (
            "doi: 10.1000/a#b?c%d",
            "doi",
            "10.1000/a#b?c%d",
            "https://doi.org/10.1000/a%23b%3Fc%25d",
        ),
        ("KJ-C2219", "drug", "KJ-C2219", "https://clinicaltrials.gov/search?intr=KJ-C2219"),
        (
            "PD-L1",
            "target",
            "PD-L1",
            "https://www.ncbi.nlm.nih.gov/gene/?term=CD274%5Bsym%5D+AND+human%5Borgn%5D",
        ),
    ],
)
def test_each_kind_and_its_link(text: str, kind: str, ident: str, url: str) -> None:
    (found,) = find_identifiers("", text)
    assert (found.kind, found.id, found.url) == (kind, ident, url)


@pytest.mark.parametrize(
    "code", ["KJ-C2219", "KYV-101", "BMS-986353", "LY3002813", "JNJ-68284528", "CABA-201"]
)
def test_the_issues_drug_codes(code: str) -> None:
    assert ids(f"The company's {code} was dosed.") == [("drug", code)]


@pytest.mark.parametrize(
    "text",
    [
        "COVID-19",
        "SARS-CoV-2",
        "H1N1",
        "Phase-1",
        "PHASE-1",
        "ISO-9001",
        "ISO 9001",
        "Q3-2025",
        "Photo: Canon EOS R5",
        "Photo: NIKON D850",
        "(Image: FUJIFILM GFX100S)",
        "Photo by Jane Doe on a Sony A7R IV",
        "a CD player",
        "the CD-ROM",
        "PMID 0",
        "38012345",
        "see 12345678 and 2023-001234",
    ],
)
def test_what_is_never_an_identifier(text: str) -> None:
    assert ids(text) == []
    assert ids(text.upper()) == []


def test_pmid_only_with_its_label_or_link() -> None:
    assert ids("PMID:38012345 and pmid 38012346") == [("pmid", "38012345"), ("pmid", "38012346")]
    assert ids("38012345, the PubMed number") == []
    assert ids("https://pubmed.ncbi.nlm.nih.gov/38012347/") == [("pmid", "38012347")]


def test_doi_punctuation_brackets_links_and_case() -> None:
    assert ids("(see doi:10.1056/NEJMoa2302345).") == [("doi", "10.1056/NEJMoa2302345")]
    assert ids("[doi](https://doi.org/10.1056/NEJMoa2302345)") == [("doi", "10.1056/NEJMoa2302345")]
    assert ids("10.1016/S0140-6736(23)01234-5, then 10.1016/s0140-6736(23)01234-5") == [
        ("doi", "10.1016/S0140-6736(23)01234-5")
    ]
    assert ids("https://dx.doi.org/10.1001/jama.2024.1?utm=x") == [("doi", "10.1001/jama.2024.1")]
    assert ids("https://example.org/img/10.1111/jvs.12120/fig.png") == []


def test_each_identifier_once_grouped_by_kind_title_first() -> None:
    found = find_identifiers(
        "CD19 CAR-T KYV-101 in NCT06123456",
        "KYV101 and BCMA; nct06123456; NCT06000001; doi:10.1/x doi:10.1000/xyz",
    )
    assert [(i.kind, i.id) for i in found] == [
        ("trial", "NCT06123456"),
        ("trial", "NCT06000001"),
        ("doi", "10.1000/xyz"),
        ("drug", "KYV-101"),
        ("target", "CD19"),
        ("target", "BCMA"),
    ]
    assert all(isinstance(i, Identifier) for i in found)


def test_nothing_in_nothing() -> None:
    assert find_identifiers("", "") == ()


@pytest.mark.parametrize(
    ("kind", "a", "b"),
    [
        ("drug", "kyv101", "KYV-101"),
        ("drug", "KYV 101", "kyv-101"),
        ("target", "pdl1", "PD-L1"),
        ("target", "Pd-L1", "PDL1"),
        ("target", "her2", "HER-2"),
        ("target", "cd19", "CD-19"),
        ("trial", "nct 06123456", "NCT06123456"),
        ("pmid", "PMID: 0038012345", "38012345"),
        ("pmid", "pmc123", "PMC123"),
        ("pmcid", "1234567", "PMC1234567"),
        ("doi", "https://doi.org/10.1056/NEJMoa1", "doi:10.1056/nejmoa1"),
    ],
)
def test_normalise_makes_spellings_meet(kind: str, a: str, b: str) -> None:
    assert normalise(kind, a) == normalise(kind, b)


def test_normal_forms() -> None:
    assert normalise("drug", "KYV-101") == "KYV101"
    assert normalise("target", "pd-l1") == "PD-L1"
    assert normalise("target", "unlisted-7") == "UNLISTED7"
    assert normalise("drug", "KYV-101") != normalise("drug", "KYV-102")
    (found,) = find_identifiers("", "rese-cel (KYV-101)")
    assert found.key == "KYV101"


def test_kinds_and_search_fields() -> None:
    assert KINDS == (
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
    assert set(SEARCH_FIELDS) == {"trial", "pmid", "doi", "drug", "target"}
    assert {kind for kinds in SEARCH_FIELDS.values() for kind in kinds} == set(KINDS)


def test_the_shipped_lists_agree() -> None:
    """No spelling names two targets; no target or example code is excluded as a drug."""
    owner: dict[str, str] = {}
    for target in targets():
        for spelling in target.spellings:
            assert owner.setdefault(spelling, target.name) == target.name, spelling
    rules = drug_rules()
    for code in ("KJ", "KYV", "BMS", "LY", "JNJ", "CABA", "MK", "PF", "CT", "AMG"):
        assert code not in rules.prefixes
    assert rules.spaced.isdisjoint(rules.prefixes)


HOSTILE = [
    "A" * 1_000_000,
    "10." * 333_333,
    "10.1000/" + "x" * 1_000_000,
    "KYV-" * 250_000,
    "KYV-101 " * 125_000,
    "ABCDE-F1234567" * 70_000,
    "(" * 1_000_000,
    "https://" + "(a" * 500_000,
    "Photo: " + "ABC-123 " * 125_000,
    "PMID: " * 166_000,
    "2023-" * 200_000,
    "CD19" * 250_000,
    " ".join(f"X{n:05d}-{n:03d}" for n in range(100_000)),
    "Photo: KYV-101\n" * 66_000,
    "Photo by KYV-" * 40_000 + "101",
    " ".join(f"(Photo: AB-{n:06d})" for n in range(50_000)),
    " ".join(f"KYV-{n:06d}" for n in range(90_000)),
    "NCT" * 333_333,
    "anti-" * 200_000,
    "doi:10.1000/x" + ")" * 1_000_000,
    "https://doi.org/10.1000/" + "." * 1_000_000,
    "10.1000/" + "x" * 250 + ")" * 40 + " ",
]


@pytest.mark.parametrize("body", HOSTILE, ids=[body[:12] for body in HOSTILE])
def test_a_hostile_megabyte_is_read(body: str) -> None:
    """Each finishes (a pattern that backtracks would not, here or in CI); how long each takes
    is measured in bench/identifiers_bench.py, not here."""
    found = find_identifiers("title", body)
    assert len(found) <= len(body)


def test_text_whose_lower_case_is_longer() -> None:
    """ "İ" lower-cases to two characters: the finders then read the text itself."""
    text = "İstanbul: NCT06123456, Pmid: 38012345, https://example.org/CD19 and KYV-101."
    assert ids(text) == [("trial", "NCT06123456"), ("pmid", "38012345"), ("drug", "KYV-101")]
