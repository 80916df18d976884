"""The identifier fields of the filter (``trial:``, ``pmid:``, ``doi:``, ``drug:``,
``target:``) against a real store: each kind, normalisation, and combinations with words,
exclusions, other fields, OR, orders, counts, mute rules; and their highlighting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from biotui.model import Article, article_id
from biotui.search import compile_query, identifier_highlighter, mute_queries, parse_filter
from biotui.store import Store

ARTICLES = {
    "kyv": ("KYV-101 in lupus nephritis", "The trial NCT06123456 tests KYV-101, a CD19 CAR-T."),
    "caba": ("CABA-201 dosed", "Cabaletta's CABA-201 (CD19) in lupus; NCT06121297."),
    "onc": ("CD19 in lymphoma", "An oncology study of a CD19 antibody, EudraCT 2019-001234-56."),
    "lupus": ("Lupus without codes", "A lupus review naming no identifier."),
    "paper": ("A NEJM paper", "See doi:10.1056/NEJMoa2034577, PMID: 38012345 and PMC1234567."),
    "euct": ("An EU trial", "Registered as 2023-501234-12-00 and ISRCTN12345678; PD-L1."),
    "spaced": ("Amgen's AMG 133", "AMG 133 lowers weight; GLP-1 again."),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    articles = [
        Article(
            id=article_id("Wire", key),
            feed="Wire",
            guid=key,
            title=title,
            body=body,
            published=start + timedelta(days=n),
        )
        for n, (key, (title, body)) in enumerate(ARTICLES.items())
    ]
    with Store.open(tmp_path_factory.mktemp("ids")) as opened:
        opened.ingest("Wire", articles)
        yield opened


def keys(store: Store, text: str, **options: object) -> list[str]:
    """The guids ``text`` finds, newest first."""
    rowids = store.headline_ids(compile_query(text).query, **options)  # type: ignore[arg-type]
    guid = {article_id("Wire", key): key for key in ARTICLES}
    return [guid[headline.id] for headline in store.headlines(rowids)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("trial:NCT06123456", ["kyv"]),
        ("trial:nct06123456", ["kyv"]),
        ("trial:2019-001234-56", ["onc"]),
        ("trial:2023-501234-12-00", ["euct"]),
        ("trial:ISRCTN12345678", ["euct"]),
        ("trial:isrctn12345678", ["euct"]),
        ("pmid:38012345", ["paper"]),
        ("pmid:038012345", ["paper"]),
        ("pmid:PMC1234567", ["paper"]),
        ("pmid:pmc1234567", ["paper"]),
        ("doi:10.1056/NEJMoa2034577", ["paper"]),
        ("doi:10.1056/nejmoa2034577", ["paper"]),
        ("doi:https://doi.org/10.1056/NEJMoa2034577", ["paper"]),
        ('doi:"doi:10.1056/NEJMOA2034577"', ["paper"]),
        ("drug:KYV-101", ["kyv"]),
        ("drug:kyv101", ["kyv"]),
        ('drug:"KYV 101"', ["kyv"]),
        ("drug:AMG-133", ["spaced"]),
        ("target:CD19", ["onc", "caba", "kyv"]),
        ("target:cd-19", ["onc", "caba", "kyv"]),
        ("target:pdl1", ["euct"]),
        ("target:GLP1", ["spaced"]),
        ("drug:NCT06123456", []),
        ("trial:KYV-101", []),
        ("target:KYV-101", []),
    ],
)
def test_each_field_finds_its_kind_after_normalisation(
    store: Store, text: str, found: list[str]
) -> None:
    assert keys(store, text) == found


def test_identifier_fields_combine_with_words_and_exclusions(store: Store) -> None:
    assert keys(store, "target:CD19 lupus -oncology") == ["caba", "kyv"]
    assert keys(store, "target:CD19 -lupus") == ["onc"]
    assert keys(store, "target:CD19 -drug:KYV-101") == ["onc", "caba"]
    assert keys(store, "drug:KYV-101 OR drug:CABA-201") == ["caba", "kyv"]
    assert keys(store, "lupus OR trial:ISRCTN12345678") == ["euct", "lupus", "caba", "kyv"]
    assert keys(store, "lupus (drug:KYV-101 OR review)") == ["lupus", "kyv"]
    assert keys(store, "title:lupus target:CD19") == ["kyv"]
    assert keys(store, "-target:CD19 -lupus") == ["spaced", "euct", "paper"]
    assert keys(store, "NOT (drug:KYV-101 OR drug:CABA-201)") == [
        "spaced",
        "euct",
        "paper",
        "lupus",
        "onc",
    ]


def test_identifier_filters_list_newest_first_in_relevance_order_and_count(store: Store) -> None:
    query = compile_query("target:CD19 lupus").query
    listing = store.list_ids(query, order="relevance")
    assert not listing.ranked and len(listing.ids) == 2
    assert store.article_count(query) == 2
    assert store.article_count(compile_query("-target:CD19").query) == 4
    assert store.article_count(compile_query("target:CD19").query, unread_only=True) == 3


def test_a_mute_rule_may_name_an_identifier(store: Store) -> None:
    store.set_mute(mute_queries(["drug:KYV-101", "oncology"]))
    try:
        assert keys(store, "target:CD19") == ["caba"]
        assert store.counts() == {"Wire": (5, 5)}
        assert len(store.headline_ids(muted=True)) == 2
    finally:
        store.set_mute(())


def test_an_identifier_field_takes_no_prefix_and_needs_its_term() -> None:
    assert parse_filter("drug:KYV*").error == "'drug:' takes a whole identifier, not a prefix"
    assert parse_filter("trial: NCT06123456").error == "'trial:' needs a term right after it"


def _marked(highlighter: object, text: str) -> list[str]:
    spans = highlighter.spans(text)  # type: ignore[attr-defined]
    return [text[start:end] for start, end in spans]


def test_the_identifier_a_filter_names_is_highlighted_however_it_is_written() -> None:
    highlighter = parse_filter("drug:kyv101 lupus").highlighter
    text = "KYV-101 and KYV 101 and kyv101 in lupus; not KYV-1010 or XKYV-101."
    assert _marked(highlighter, text) == ["KYV-101", "KYV 101", "kyv101", "lupus"]
    doi = parse_filter('doi:"10.1016/S0140-6736(20)30183-5"').highlighter
    assert _marked(doi, "In Lancet (10.1016/S0140-6736(20)30183-5).") == [
        "10.1016/S0140-6736(20)30183-5"
    ]
    assert parse_filter("-drug:KYV-101").highlighter is None


def test_an_articles_identifiers_are_highlighted_together() -> None:
    highlighter = identifier_highlighter([("target", "PD-L1"), ("trial", "NCT06123456")])
    assert _marked(highlighter, "PD-L1, PDL1 and nct 06123456 but not PD-L10.") == [
        "PD-L1",
        "PDL1",
        "nct 06123456",
    ]
    assert identifier_highlighter([]) is None


def test_the_filter_offers_every_search_field_of_the_recogniser() -> None:
    from biotui.identifiers import SEARCH_FIELDS
    from biotui.search.lexer import ID_FIELDS

    assert tuple(SEARCH_FIELDS) == ID_FIELDS
