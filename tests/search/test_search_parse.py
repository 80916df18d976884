"""The filter pipeline piece by piece: tokens, tree, FTS5 expression, notes."""

from __future__ import annotations

import pytest

from biotui.search import (
    DANGLING_OR,
    UNBALANCED_QUOTE,
    And,
    FilterResult,
    Not,
    Or,
    Term,
    Token,
    TokenKind,
    parse,
    parse_filter,
    to_index_query,
    tokenize,
)
from biotui.store import IndexQuery

W, P, OR = TokenKind.WORD, TokenKind.PHRASE, TokenKind.OR


def test_tokenize() -> None:
    assert tokenize('lupus -cart "scar tissue" OR -"a b" CD19/CD20') == [
        Token(W, "lupus", 0),
        Token(W, "cart", 6, negated=True),
        Token(P, "scar tissue", 12),
        Token(OR, "OR", 26),
        Token(P, "a b", 29, negated=True),
        Token(W, "CD19/CD20", 36),
    ]


def test_tokenize_edges() -> None:
    assert tokenize("") == []
    assert tokenize(" - -- ") == [Token(W, "-", 3, negated=True)]
    assert tokenize('a"b') == [Token(W, "a", 0), Token(P, "b", 1, closed=False)]
    assert tokenize("or Or OR -OR") == [
        Token(W, "or", 0),
        Token(W, "Or", 3),
        Token(OR, "OR", 6),
        Token(W, "OR", 9, negated=True),
    ]
    # Control characters (NUL included) and lone surrogates are separators.
    assert [t.text for t in tokenize("a\x00b\ud800c\x1bd")] == ["a", "b", "c", "d"]


def test_parse_tree() -> None:
    tree = parse(tokenize("a OR b c -d")).node
    assert tree == And((Or((Term("a"), Term("b"))), Term("c"), Not(Term("d"))))
    assert parse(tokenize("a")).node == Term("a")
    assert parse(tokenize("-a")).node == And((Not(Term("a")),))
    assert parse(tokenize("*** -- ()")).node is None


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("lupus", IndexQuery('"lupus"')),
        ("CAR-T", IndexQuery('"CAR-T"')),
        ("a b", IndexQuery('("a" AND "b")')),
        ("a OR b c", IndexQuery('(("a" OR "b") AND "c")')),
        ("a -b -c", IndexQuery('("a") NOT ("b" OR "c")')),
        ("-b", IndexQuery(None, exclude='"b"')),
        ("-b -c", IndexQuery(None, exclude='"b" OR "c"')),
        ('-"b c"', IndexQuery(None, exclude='"b c"')),
        ("NEAR(a", IndexQuery('"NEAR(a"')),
        ("", None),
        ("***", None),
    ],
)
def test_compiled_queries(text: str, query: IndexQuery | None) -> None:
    assert parse_filter(text) == FilterResult(query, None)


@pytest.mark.parametrize(
    ("text", "query", "error"),
    [
        ('"scar tis', IndexQuery('"scar tis"'), UNBALANCED_QUOTE),
        ('a -"b', IndexQuery('("a") NOT ("b")'), UNBALANCED_QUOTE),
        ("lupus OR", IndexQuery('"lupus"'), DANGLING_OR),
        ("OR lupus", IndexQuery('"lupus"'), DANGLING_OR),
        ("a OR OR b", IndexQuery('("a" OR "b")'), DANGLING_OR),
        ("a OR -b", IndexQuery('("a") NOT ("b")'), DANGLING_OR),
        ("OR", None, DANGLING_OR),
        ('"', None, UNBALANCED_QUOTE),
        ('OR "', None, f"{DANGLING_OR}; {UNBALANCED_QUOTE}"),
    ],
)
def test_notes_for_the_user(text: str, query: IndexQuery | None, error: str) -> None:
    assert parse_filter(text) == FilterResult(query, error)


def test_inner_quotes_are_doubled() -> None:
    assert to_index_query(Term('say "hi"')) == IndexQuery('"say ""hi"""')


def test_negation_alone_cannot_be_nested() -> None:
    with pytest.raises(ValueError):
        to_index_query(Or((Term("a"), Not(Term("b")))))
