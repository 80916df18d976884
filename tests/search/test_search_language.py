"""The query language, row by row of the issue's table, run against a real store.

Every row has its positive cases (what must be found) and its negative ones (what must not).
"""

from __future__ import annotations

import pytest
from search_corpus import Corpus

from biotui.search import parse_filter

CAR_T = {"car-t", "car t", "car-t lower", "car-ts", "car-t lupus"}
LUPUS = {"lupus", "lupus lower", "lupus accent", "lupus source", "car-t lupus"}
THERAPY = {"therapy", "therapies", "car-t", "car-t lupus"}

# -- `lupus`: the word, any case, with or without accents, in title, body or source ---------


@pytest.mark.parametrize("text", ["lupus", "Lupus", "LUPUS", "lúpus", "LÚPUS"])
def test_a_word_in_any_case_with_or_without_accents(corpus: Corpus, text: str) -> None:
    assert corpus.keys(text) == LUPUS


def test_a_word_is_searched_in_title_body_and_source_only(corpus: Corpus) -> None:
    keys = corpus.keys("lupus")
    assert {"lupus", "lupus lower", "lupus source"} <= keys  # title, body, source
    assert "lupus author" not in keys
    assert "lupus feed" not in keys


def test_a_word_is_a_whole_word(corpus: Corpus) -> None:
    assert "lupin" not in corpus.keys("lupus")
    assert corpus.keys("lupin") == {"lupin"}
    # "CAR-T" holds the word "car"; "cart" and "Carter" do not.
    assert corpus.keys("car") == CAR_T | {"car-nk"}


# -- `CAR-T`, `CD19/CD20`, `KJ-C2219`: the phrase of their parts ------------------------------


@pytest.mark.parametrize("text", ["CAR-T", "car-t", "Car-T", "CAR/T", '"CAR T"', "  CAR-T  "])
def test_car_t_is_the_phrase_of_its_parts(corpus: Corpus, text: str) -> None:
    assert corpus.keys(text) >= {"car-t", "car t", "car-t lower"}
    assert corpus.keys(text) <= CAR_T


@pytest.mark.parametrize("lookalike", ["cart", "scar", "carter", "car-nk"])
def test_car_t_never_matches_lookalikes(corpus: Corpus, lookalike: str) -> None:
    assert lookalike not in corpus.keys("CAR-T")
    assert lookalike not in corpus.keys("CAR-Ts")


def test_slash_codes_are_phrases(corpus: Corpus) -> None:
    assert corpus.keys("CD19/CD20") == {"cd19/cd20"}
    assert corpus.keys("cd19-cd20") == {"cd19/cd20"}
    # As separate words both are required, anywhere in the article.
    assert corpus.keys("CD19 CD20") == {"cd19/cd20", "cd19 and cd20"}


def test_drug_codes_are_never_mangled(corpus: Corpus) -> None:
    assert corpus.keys("KJ-C2219") == {"kj-c2219"}
    assert corpus.keys("KJ-C2218") == {"kj-c2218"}
    assert corpus.keys("KJ C2219") == {"kj-c2219", "kj other"}
    assert corpus.keys("HER2") == {"her2"}
    assert "her2" not in corpus.keys("her")


# -- `CAR-T lupus` / `CAR-T AND lupus`: both --------------------------------------------------


@pytest.mark.parametrize("text", ["CAR-T lupus", "CAR-T AND lupus", "lupus CAR-T", "(CAR-T lupus)"])
def test_both(corpus: Corpus, text: str) -> None:
    assert corpus.keys(text) == {"car-t lupus"}


# -- `CAR-T OR lupus`: either; AND binds tighter; parentheses group -------------------------


def test_either(corpus: Corpus) -> None:
    assert corpus.keys("CAR-T OR lupus") == CAR_T | LUPUS
    assert corpus.keys("cart OR Carter OR CAR-NK") == {"cart", "carter", "car-nk"}


def test_and_binds_tighter_than_or(corpus: Corpus) -> None:
    # a OR b c = a OR (b AND c)
    assert corpus.keys("cart OR lupus nephritis") == {"cart", "lupus"}
    assert corpus.keys("cart OR lupus AND nephritis") == {"cart", "lupus"}
    assert corpus.keys("lupus nephritis OR cart") == {"lupus", "cart"}


def test_parentheses_group(corpus: Corpus) -> None:
    assert corpus.keys("(cart OR lupus) nephritis") == {"lupus"}
    assert corpus.keys("(CAR-T OR CAR-NK) (lupus OR killer)") == {"car-t lupus", "car-nk"}
    assert corpus.keys("((lupus))") == LUPUS


# -- `-oncology` / `NOT oncology`: exclude ----------------------------------------------------


@pytest.mark.parametrize("text", ["-oncology", "NOT oncology"])
def test_only_exclusions_keep_everything_else(corpus: Corpus, text: str) -> None:
    assert corpus.keys(text) == corpus.all - {"oncology"}


@pytest.mark.parametrize(
    "text", ["lupus -nephritis", "lupus NOT nephritis", "lupus AND NOT nephritis"]
)
def test_exclusion_inside_a_filter(corpus: Corpus, text: str) -> None:
    assert corpus.keys(text) == LUPUS - {"lupus"}


def test_exclusions_of_groups_and_phrases(corpus: Corpus) -> None:
    assert corpus.keys("-(lupus OR CAR-T)") == corpus.all - LUPUS - CAR_T
    assert corpus.keys("NOT (lupus OR CAR-T)") == corpus.all - LUPUS - CAR_T
    assert corpus.keys("-lupus -CAR-T") == corpus.all - LUPUS - CAR_T
    assert corpus.keys('cells -"natural killer"') == {"car-t", "car t", "car-t lupus"}
    assert corpus.keys("CAR-T -(lupus OR autologous)") == {"car t", "car-t lower"}


def test_or_with_an_exclusion(corpus: Corpus) -> None:
    # Articles that are about cart, or not about CAR-T at all.
    assert corpus.keys("cart OR -CAR-T") == corpus.all - CAR_T
    assert corpus.keys("NOT NOT lupus") == LUPUS


# -- `"first patient"`: exact phrase -------------------------------------------------------------


def test_exact_phrase(corpus: Corpus) -> None:
    assert corpus.keys('"first patient"') == {"kj-c2219"}
    assert corpus.keys("first patient") == {"kj-c2219", "first dosed"}
    assert corpus.keys('"scar tissue"') == {"scar"}
    assert corpus.keys('"tissue scar"') == set()


def test_a_quoted_phrase_has_no_plural_forms(corpus: Corpus) -> None:
    assert corpus.keys('"therapies"') == {"therapies"}
    assert corpus.keys('"CAR-Ts"') == {"car-ts"}


# -- `title:` `source:` `feed:` `author:`: the term in that field only -------------------------


def test_title_field(corpus: Corpus) -> None:
    assert corpus.keys("myeloma") == {"myeloma title", "myeloma body"}
    assert corpus.keys("title:myeloma") == {"myeloma title"}
    assert corpus.keys("TITLE:myeloma") == {"myeloma title"}
    assert corpus.keys('title:"first patient"') == {"kj-c2219"}
    assert corpus.keys("title:CAR-T") == CAR_T - {"car-t lower"}
    assert corpus.keys("title:(cart OR Carter)") == {"cart", "carter"}
    assert corpus.keys("title:myelo*") == {"myeloma title"}


def test_source_feed_and_author_fields(corpus: Corpus) -> None:
    assert corpus.keys("Reuters") == {"reuters", "reuters body"}
    assert corpus.keys("source:Reuters") == {"reuters"}
    assert corpus.keys("feed:Clippings") == {"clipping"}
    assert corpus.keys("Clippings") == set()  # the feed is not searched by plain words
    assert corpus.keys("author:Jane") == {"jane"}
    assert corpus.keys('author:"Jane Doe"') == {"jane"}
    assert corpus.keys("author:lupus") == {"lupus author"}
    assert corpus.keys('feed:"Lupus Alliance"') == {"lupus feed"}


def test_field_terms_combine_and_negate(corpus: Corpus) -> None:
    assert corpus.keys("lupus -title:lupus") == {"lupus lower", "lupus accent", "lupus source"}
    assert corpus.keys("lupus title:-lupus") == {"lupus lower", "lupus accent", "lupus source"}
    assert corpus.keys("source:Reuters OR feed:Clippings") == {"reuters", "clipping"}


def test_colons_that_are_not_fields_are_separators(corpus: Corpus) -> None:
    # Only letters before the colon make a field: these are words with a colon inside.
    assert corpus.keys("CD19:CD20") == {"cd19/cd20"}
    assert corpus.keys("C2219:") == {"kj-c2219", "kj other"}
    assert corpus.keys("Note: lupus") == set()  # an unknown name and a space: just a word


# -- `lupus*`: prefix -----------------------------------------------------------------------------


def test_prefix(corpus: Corpus) -> None:
    assert corpus.keys("lupus*") == LUPUS
    assert corpus.keys("lup*") == LUPUS | {"lupin"}
    assert corpus.keys("therap*") == THERAPY
    assert corpus.keys("CAR-T*") == CAR_T
    assert corpus.keys('"first pat"*') == {"kj-c2219"}


# -- plurals and simple inflections; stems are never over-conflated -----------------------------


@pytest.mark.parametrize("text", ["therapy", "therapies", "Therapies"])
def test_plural_and_singular_match_each_other(corpus: Corpus, text: str) -> None:
    assert corpus.keys(text) == THERAPY


@pytest.mark.parametrize("text", ["CAR-T", "CAR-Ts", "car-ts"])
def test_hyphenated_plurals(corpus: Corpus, text: str) -> None:
    assert corpus.keys(text) == CAR_T


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("organ", {"organ"}),
        ("organization", {"organization"}),
        ("generic", {"lupin"}),
        ("general", {"general"}),
        ("university", {"university"}),
        ("universal", set()),
        ("cell", {"car-t", "car t", "car-nk", "car-t lupus"}),
    ],
)
def test_no_stemming_beyond_plurals(corpus: Corpus, text: str, expected: set[str]) -> None:
    assert corpus.keys(text) == expected


# -- operators are capitals; lowercase ones are words -------------------------------------------


def test_lowercase_operators_are_words(corpus: Corpus) -> None:
    assert corpus.keys("nephritis or cart") == set()  # "or" is one more required word
    assert corpus.keys("nephritis OR cart") == {"lupus", "cart"}
    assert corpus.keys("buy or sell") == {"or word"}
    assert corpus.keys("Or") == {"or word"}
    assert corpus.keys("CD19 and CD20") == {"cd19 and cd20"}
    assert corpus.keys("CD19 AND CD20") == {"cd19 and cd20", "cd19/cd20"}
    assert corpus.keys("pause not stop") == {"kj-c2218"}
    assert corpus.keys("pause NOT stop") == set()


# -- punctuation and FTS5 syntax are never syntax -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NEAR(lupus kidney)", set()),
        ("^lupus", LUPUS),
        ("lupus +", LUPUS),
        ("lupus {title}", set()),
        ("***", None),
        ("", None),
        ("  \t ", None),
    ],
)
def test_fts_syntax_is_literal(corpus: Corpus, text: str, expected: set[str] | None) -> None:
    assert corpus.keys(text) == (corpus.all if expected is None else expected)


# -- relevance order ----------------------------------------------------------------------------


def test_relevance_puts_title_matches_first(corpus: Corpus) -> None:
    # "myeloma body" is newer, so it comes first in the newest order.
    newest = corpus.store.headline_ids(parse_filter("myeloma").query)
    assert [corpus.key_of[rowid] for rowid in newest] == ["myeloma body", "myeloma title"]
    assert corpus.order("myeloma") == ["myeloma title", "myeloma body"]
    assert corpus.order("Reuters") == ["reuters", "reuters body"]
    lupus = corpus.order("lupus")
    assert set(lupus) == LUPUS
    assert set(lupus[:2]) == {"lupus", "car-t lupus"}  # the two with lupus in the title
