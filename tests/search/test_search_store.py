"""What each filter keeps, run against a real store (words, phrases, OR, exclusions)."""

from __future__ import annotations

import pytest
from search_corpus import Corpus

from biotui.search import parse_filter

CAR_T = {"car-t", "car t", "car-t lower"}
LUPUS = {"lupus", "lupus lower", "lupus accent"}


@pytest.mark.parametrize("text", ["CAR-T", "car-t", "Car-T", '"CAR T"', "  CAR-T  "])
def test_car_t_is_the_phrase_of_its_parts(corpus: Corpus, text: str) -> None:
    assert corpus.keys(text) == CAR_T


def test_car_t_never_matches_lookalikes(corpus: Corpus) -> None:
    keys = corpus.keys("CAR-T")
    for lookalike in ("cart", "scar", "carter", "car-nk"):
        assert lookalike not in keys


def test_single_words(corpus: Corpus) -> None:
    assert corpus.keys("cart") == {"cart"}
    assert corpus.keys("Carter") == {"carter"}
    assert corpus.keys("CAR-NK") == {"car-nk"}
    assert corpus.keys("nonexistentword") == set()


@pytest.mark.parametrize("text", ["lupus", "Lupus", "LUPUS", "lúpus", "LÚPUS"])
def test_case_and_accents_do_not_matter(corpus: Corpus, text: str) -> None:
    assert corpus.keys(text) == LUPUS


def test_slash_and_hyphen_words_are_phrases(corpus: Corpus) -> None:
    assert corpus.keys("CD19/CD20") == {"cd19/cd20"}
    assert corpus.keys("cd19/cd20") == {"cd19/cd20"}
    assert corpus.keys("KJ-C2219") == {"kj-c2219"}
    # As separate words both are required, anywhere in the article.
    assert corpus.keys("KJ C2219") == {"kj-c2219", "kj other"}
    assert corpus.keys("CD19 CD20") == {"cd19/cd20", "cd19 and cd20"}


def test_all_words_required(corpus: Corpus) -> None:
    assert corpus.keys("lupus kidney") == {"lupus"}
    assert corpus.keys("lupus cart") == set()


def test_or(corpus: Corpus) -> None:
    assert corpus.keys("cart OR Carter") == {"cart", "carter"}
    assert corpus.keys("cart OR Carter OR CAR-NK") == {"cart", "carter", "car-nk"}
    # OR binds tighter than the implicit AND.
    assert corpus.keys("nephritis OR enrolled patients") == {"lupus lower"}
    # Lowercase "or" is a plain word.
    assert corpus.keys("cart or Carter") == set()


def test_exclusion(corpus: Corpus) -> None:
    assert corpus.keys("lupus -nephritis") == {"lupus lower", "lupus accent"}
    assert corpus.keys("-lupus") == corpus.all - LUPUS
    assert corpus.keys("-lupus -CAR-T") == corpus.all - LUPUS - CAR_T
    assert corpus.keys('cells -"natural killer"') == {"car-t", "car t"}


def test_phrase(corpus: Corpus) -> None:
    assert corpus.keys('"scar tissue"') == {"scar"}
    assert corpus.keys('"tissue scar"') == set()
    assert corpus.keys('"new cart"') == {"cart"}


def test_unbalanced_quote_is_the_rest_as_a_phrase(corpus: Corpus) -> None:
    result = parse_filter('cart "new car')
    assert result.error is not None
    assert "quote" in result.error
    assert corpus.keys('"scar tissue') == {"scar"}
    assert corpus.keys('lupus "') == LUPUS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Operators and syntax in user text are literal words, never FTS5 syntax.
        ("CD19 AND CD20", {"cd19 and cd20"}),
        ("lupus NOT kidney", set()),
        ("title:lupus", set()),
        ("NEAR(lupus kidney)", set()),
        ("lupus*", LUPUS),
        ("^lupus", LUPUS),
        ("(lupus)", LUPUS),
        ("lupus +", LUPUS),
        ("***", None),
        ("-", None),
        ("OR", None),
        ("", None),
    ],
)
def test_fts_syntax_is_literal(corpus: Corpus, text: str, expected: set[str] | None) -> None:
    keys = corpus.keys(text)
    assert keys == (corpus.all if expected is None else expected)


def test_blank_filter_is_no_query() -> None:
    assert parse_filter("").query is None
    assert parse_filter("   \t ").query is None
    assert parse_filter("").error is None
