"""Properties: no text makes the filter or the store raise; the algebra of the language holds;
the highlighter agrees with the index."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_corpus import CORPUS, Corpus

from biotui.search import parse_filter

PIECES = st.sampled_from(
    [
        '"', "-", "/", "*", ":", "^", "(", ")", "+", "{", "}", ",", ".", "'", "\\", "()", '""',
        "OR", "AND", "NOT", "NEAR", "NEAR/2", "or", "and", " ", "\t", "\n", "\x00", "\x1b[31m",
        "\ud800", "\u0301", "\u202e", "lupus", "lúpus", "CAR-T", "cd19", "c2219", "title:",
        "source:", "foo:", "é", "0", "ǅ", "\U0001f9ec", "10:30", "-lupus", "lupus*", "therapies",
    ]
)  # fmt: skip

ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=())),
    st.lists(PIECES, max_size=30).map("".join),
    st.lists(PIECES, max_size=30).map(" ".join),
)

WORDS = st.sampled_from(
    ["lupus", "cart", "car-t", "cells", "cd19/cd20", "kj", "c2219", "new", "a", "study",
     "therapies", "title:lupus", '"first patient"', "lup*", "source:reuters"]
)  # fmt: skip

SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(ANY_TEXT)
def test_parse_filter_never_raises(text: str) -> None:
    result = parse_filter(text)
    if result.error is not None:
        assert "\n" not in result.error
        assert result.query is None and result.highlighter is None
    elif result.query is not None:
        assert (result.query.match is None) != (result.query.exclude is None)


@SETTINGS
@given(ANY_TEXT)
def test_the_store_runs_every_query(corpus: Corpus, text: str) -> None:
    query = parse_filter(text).query
    ids = corpus.store.headline_ids(query)
    assert corpus.store.article_count(query) == len(ids)
    assert sorted(corpus.store.headline_ids(query, order="relevance")) == sorted(ids)
    assert set(corpus.store.headline_ids(query, unread_only=True)) <= set(ids)


@SETTINGS
@given(ANY_TEXT, st.text(max_size=200))
def test_spans_are_sorted_disjoint_and_inside(filter_text: str, text: str) -> None:
    highlighter = parse_filter(filter_text).highlighter
    if highlighter is None:
        return
    spans = highlighter.spans(text)
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


@SETTINGS
@given(WORDS)
def test_a_term_and_its_exclusion_split_the_store(corpus: Corpus, word: str) -> None:
    kept, dropped = corpus.keys(word), corpus.keys(f"-{word}")
    assert kept.isdisjoint(dropped)
    assert kept | dropped == corpus.all
    assert corpus.keys(f"NOT {word}") == dropped
    assert corpus.keys(f"NOT ({word})") == dropped


@SETTINGS
@given(WORDS, WORDS, WORDS)
def test_and_binds_tighter_than_or(corpus: Corpus, a: str, b: str, c: str) -> None:
    ka, kb, kc = corpus.keys(a), corpus.keys(b), corpus.keys(c)
    assert corpus.keys(f"{a} OR {b} {c}") == ka | (kb & kc)
    assert corpus.keys(f"{a} {b} OR {c}") == (ka & kb) | kc
    assert corpus.keys(f"({a} OR {b}) {c}") == (ka | kb) & kc
    assert corpus.keys(f"{a} AND {b}") == ka & kb


@SETTINGS
@given(WORDS, WORDS)
def test_negation_algebra(corpus: Corpus, a: str, b: str) -> None:
    ka, kb, every = corpus.keys(a), corpus.keys(b), corpus.all
    assert corpus.keys(f"-({a} OR {b})") == every - (ka | kb) == corpus.keys(f"-{a} -{b}")
    assert corpus.keys(f"-({a} {b})") == every - (ka & kb)
    assert corpus.keys(f"{a} OR -{b}") == ka | (every - kb)
    assert corpus.keys(f"{a} -{b}") == ka - kb
    assert corpus.keys(f"NOT NOT {a}") == ka


VOCABULARY = [
    "lupus", "Lúpus", "CAR-T", "car-ts", "cell", "cells", "therapy", "Therapies", "KJ-C2219",
    "HER2", "her", "CD19/CD20", "cd19", "first", '"first patient"', "lup*", "therap*", "CAR-T*",
    "myeloma", "Reuters", "organ", "generic", "Crohn's", "a", "new", "or", "study", "tissue",
]  # fmt: skip


@pytest.mark.parametrize("term", VOCABULARY)
def test_the_highlighter_agrees_with_the_index(corpus: Corpus, term: str) -> None:
    """An article matches a term exactly when the term lights up in its title, body or source."""
    result = parse_filter(term)
    assert result.highlighter is not None
    matched = corpus.keys(term)
    for key, (title, body, fields) in CORPUS.items():
        source = fields.get("source", "Test Wire")
        lit = any(result.highlighter.spans(text) for text in (title, body, source))
        assert lit == (key in matched), key


@pytest.mark.parametrize(
    "text",
    [
        " ".join(f"w{i}" for i in range(400)),
        " OR ".join(f"w{i}" for i in range(250)),
        "lupus " + " ".join(f"-w{i}" for i in range(300)),
        " OR ".join(f"(a{i} -b{i})" for i in range(100)),
        "".join("-(a OR " for _ in range(19)) + "b" + ")" * 19,
        "".join("(a OR -" for _ in range(19)) + "(b)" + ")" * 19,
        " OR ".join(f"w{i}*" for i in range(300))[:2000],
        "-".join(["ab"] * 600),
        "x" * 2000,
    ],
)
def test_big_filters_run(corpus: Corpus, text: str) -> None:
    assert len(text) <= 2000
    result = parse_filter(text)
    assert result.error is None
    corpus.store.headline_ids(result.query)
    corpus.store.headline_ids(result.query, order="relevance")
