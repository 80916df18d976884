"""Property tests: no filter text makes parse_filter, or the store running its query, raise."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_corpus import Corpus

from biotui.search import parse_filter

PIECES = st.sampled_from(
    [
        '"', "-", "/", "*", ":", "^", "(", ")", "+", "{", "}", ",", ".", "'", "\\",
        "OR", "AND", "NOT", "NEAR", "NEAR/2", "or", "and", " ", "\t", "\n", "\x00", "\x1b[31m",
        "\ud800", "\u0301", "\u202e", "lupus", "lúpus", "CAR-T", "cd19", "c2219", "title:", "é",
        "0", "ǅ", "\U0001f9ec",
    ]
)  # fmt: skip

ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=())),
    st.lists(PIECES, max_size=30).map("".join),
    st.lists(PIECES, max_size=30).map(" ".join),
)

WORDS = st.sampled_from(
    ["lupus", "cart", "car-t", "cells", "cd19/cd20", "kj", "c2219", "new", "a", "study"]
)

SETTINGS = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(ANY_TEXT)
def test_parse_filter_never_raises(text: str) -> None:
    result = parse_filter(text)
    assert result.error is None or "\n" not in result.error
    if result.query is not None:
        assert result.query.match is not None or result.query.exclude is not None


@SETTINGS
@given(ANY_TEXT)
def test_the_store_runs_every_query(corpus: Corpus, text: str) -> None:
    query = parse_filter(text).query
    ids = corpus.store.headline_ids(query)
    assert corpus.store.article_count(query) == len(ids)
    assert set(corpus.store.headline_ids(query, unread_only=True)) <= set(ids)


@SETTINGS
@given(WORDS)
def test_a_word_and_its_exclusion_split_the_store(corpus: Corpus, word: str) -> None:
    kept, dropped = corpus.keys(word), corpus.keys(f"-{word}")
    assert kept.isdisjoint(dropped)
    assert kept | dropped == corpus.all


@SETTINGS
@given(st.lists(WORDS, min_size=1, max_size=4), WORDS)
def test_more_words_narrow_or_widen(corpus: Corpus, words: list[str], extra: str) -> None:
    text = " ".join(words)
    assert corpus.keys(f"{text} {extra}") <= corpus.keys(text)
    # OR binds the last word and the extra one: a b OR c = a AND (b OR c).
    assert corpus.keys(f"{text} OR {extra}") >= corpus.keys(text)
