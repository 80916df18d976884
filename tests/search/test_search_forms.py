"""Plural forms: what a typed word also matches, and what it never does."""

from __future__ import annotations

import pytest

from biotui.search.forms import INVARIANT, IRREGULAR, word_forms


def forms(word: str, **flags: bool) -> set[str]:
    return set(word_forms(word, **flags))


@pytest.mark.parametrize(
    ("one", "many"),
    [
        ("therapy", "therapies"),
        ("antibody", "antibodies"),
        ("cell", "cells"),
        ("gene", "genes"),
        ("movie", "movies"),
        ("day", "days"),
        ("class", "classes"),
        ("virus", "viruses"),
        ("cause", "causes"),
        ("box", "boxes"),
        ("batch", "batches"),
        ("headache", "headaches"),
        ("dish", "dishes"),
        ("potato", "potatoes"),
        ("embryo", "embryos"),
        ("diagnosis", "diagnoses"),
        ("analysis", "analyses"),
        ("crisis", "crises"),
        ("dose", "doses"),
        ("size", "sizes"),
        ("gas", "gases"),
        ("woman", "women"),
        ("mouse", "mice"),
        ("criterion", "criteria"),
        ("nucleus", "nuclei"),
        ("life", "lives"),
    ],
)
def test_singular_and_plural_find_each_other(one: str, many: str) -> None:
    assert many in forms(one)
    assert one in forms(many)


@pytest.mark.parametrize(
    ("word", "never"),
    [
        ("organ", "organization"),
        ("general", "generic"),
        ("university", "universal"),
        ("news", "new"),
        ("its", "it"),
        ("has", "ha"),
        ("lupus", "lupu"),
        ("class", "clas"),
        ("analysis", "analysi"),
        ("bases", "basis"),
        ("basis", "bases"),
        ("cases", "cas"),
        ("doses", "dos"),
        ("uses", "us"),
        ("does", "doe"),
        ("series", "sery"),
        ("species", "specie"),
        ("diabetes", "diabete"),
        ("aids", "aid"),
        ("united", "unit"),
        ("evening", "even"),
        ("dosing", "dose"),
    ],
)
def test_no_false_friends(word: str, never: str) -> None:
    assert never not in forms(word)


@pytest.mark.parametrize("word", ["cd19", "her2", "c2219", "il6r", "2024", "x1"])
def test_words_with_digits_match_as_typed(word: str) -> None:
    assert word_forms(word) == (word,)
    assert word_forms(word, short=True) == (word,)


@pytest.mark.parametrize("word", ["άλφα", "ørsted", "日本語", "straße"])
def test_words_outside_a_to_z_match_as_typed(word: str) -> None:
    assert word_forms(word) == (word,)


def test_words_typed_in_capitals_are_names() -> None:
    assert forms("kras", capitals=True) == {"kras", "krases"}
    assert forms("aids", capitals=True) == {"aids"}
    assert forms("adc", capitals=True) == {"adc", "adcs"}
    assert "adc" in forms("adcs")  # typed "ADCs": the singular is fine


def test_short_words_only_in_hyphenated_terms() -> None:
    assert word_forms("t") == ("t",)
    assert forms("t", short=True) == {"t", "ts"}
    assert forms("ts", short=True) == {"ts", "t"}
    assert forms("nk", short=True) == {"nk", "nks"}
    assert word_forms("s", short=True) == ("s",)  # Crohn's


def test_the_typed_word_comes_first_and_order_is_stable() -> None:
    assert word_forms("therapies")[0] == "therapies"
    assert word_forms("therapies") == word_forms("therapies")


def test_tables_are_consistent() -> None:
    for word, others in IRREGULAR.items():
        for other in others:
            assert word in IRREGULAR[other]
    assert all(word.endswith("s") for word in INVARIANT)
