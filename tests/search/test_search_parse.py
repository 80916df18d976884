"""The filter pipeline piece by piece: tokens, tree (precedence), FTS5 text, error messages."""

from __future__ import annotations

import re

import pytest

from biotui.errors import QueryError
from biotui.search import MAX_LENGTH, FilterResult, compile_query, parse_filter
from biotui.search.compile import to_index_query
from biotui.search.lexer import Kind, Token, tokenize
from biotui.search.parser import MAX_DEPTH, And, Not, Or, Term, parse
from biotui.store import IndexQuery

W, P, F = Kind.WORD, Kind.PHRASE, Kind.FIELD
FIELD_LIST = "(fields: title, source, feed, author, trial, pmid, doi, drug, target)"


def kinds(text: str) -> list[tuple[Kind, str]]:
    return [(token.kind, token.text) for token in tokenize(text).tokens]


# -- tokens --------------------------------------------------------------------------------


def test_tokens() -> None:
    assert tokenize('lupus -cart "scar tissue" OR (a)').tokens == [
        Token(W, 0, 5, "lupus", ("lupus",)),
        Token(Kind.MINUS, 6, 7, "-"),
        Token(W, 7, 11, "cart", ("cart",)),
        Token(P, 12, 25, "scar tissue", ("scar", "tissue")),
        Token(Kind.OR, 26, 28, "OR"),
        Token(Kind.LPAREN, 29, 30, "("),
        Token(W, 30, 31, "a", ("a",)),
        Token(Kind.RPAREN, 31, 32, ")"),
    ]


def test_words_keep_inner_hyphens_and_slashes() -> None:
    (token,) = tokenize("CAR-T's").tokens
    assert (token.text, token.words) == ("CAR-T's", ("car", "t", "s"))
    (token,) = tokenize("CD19/CD20").tokens
    assert token.words == ("cd19", "cd20")


def test_operators_are_capitals_only() -> None:
    assert kinds("or Or OR and AND not NOT") == [
        (W, "or"), (W, "Or"), (Kind.OR, "OR"), (W, "and"), (Kind.AND, "AND"), (W, "not"),
        (Kind.NOT, "NOT"),
    ]  # fmt: skip


def test_field_prefixes() -> None:
    assert kinds("title:lupus") == [(F, "title"), (W, "lupus")]
    assert kinds('Source:"a b"') == [(F, "source"), (P, "a b")]
    assert kinds("feed:(a)") == [(F, "feed"), (Kind.LPAREN, "("), (W, "a"), (Kind.RPAREN, ")")]
    assert kinds("title:OR") == [(F, "title"), (W, "OR")]  # never an operator
    assert kinds("foo:bar") == [(F, "foo"), (W, "bar")]  # the parser says it is unknown
    assert kinds("title:") == [(F, "title")]  # the parser says it needs a term


@pytest.mark.parametrize("text", ["10:30", "CD19:CD20", "http://example.org/x", "a::b", "Note: x"])
def test_colons_that_are_not_fields(text: str) -> None:
    assert Kind.FIELD not in {token.kind for token in tokenize(text).tokens}


def test_prefix_star() -> None:
    (word,) = tokenize("lupus*").tokens
    assert word.prefix and word.words == ("lupus",)
    (phrase,) = tokenize('"first pat"*').tokens
    assert phrase.prefix and phrase.words == ("first", "pat")
    assert not tokenize("lu*pus").tokens[0].prefix


def test_tokens_without_letters_or_digits_are_dropped() -> None:
    assert tokenize('*** & "" " " + ^').tokens == []
    assert kinds("a & b") == [(W, "a"), (W, "b")]


def test_control_characters_separate() -> None:
    assert [t.text for t in tokenize("a\x00b\x1bc\x85d").tokens] == ["a", "b", "c", "d"]


def test_unclosed_quote_runs_to_the_end() -> None:
    lexed = tokenize('lupus "first patient')
    assert lexed.tokens[-1] == Token(P, 6, 20, "first patient", ("first", "patient"))
    assert lexed.error == "unclosed quote before 'first patient'"
    assert lexed.error_at == 6


# -- tree ------------------------------------------------------------------------------------


def t(word: str) -> Term:
    """The term of a plain word without plural forms (one letter)."""
    return Term(((word,),))


def tree(text: str) -> object:
    return parse(tokenize(text).tokens).node


def test_and_binds_tighter_than_or() -> None:
    assert tree("a OR b c") == Or((t("a"), And((t("b"), t("c")))))
    assert tree("a b OR c") == Or((And((t("a"), t("b"))), t("c")))
    assert tree("a OR b AND c OR d") == Or((t("a"), And((t("b"), t("c"))), t("d")))


def test_parentheses_and_negation() -> None:
    assert tree("(a OR b) c") == And((Or((t("a"), t("b"))), t("c")))
    assert tree("a -b NOT c") == And((t("a"), Not(t("b")), Not(t("c"))))
    assert tree("-(a OR b)") == Not(Or((t("a"), t("b"))))
    assert tree("NOT NOT a") == t("a")
    assert tree("--a") == t("a")


def test_terms_get_plural_forms_and_fields() -> None:
    assert tree("cells") == Term((("cells",), ("cell",)))
    assert tree("CAR-T") == Term((("car", "t"), ("car", "ts")))
    assert tree("CAR-Ts") == Term((("car", "ts"), ("car", "t")))
    assert tree("KJ-C2219") == Term((("kj", "c2219"),))
    assert tree('"cells"') == Term((("cells",),))
    assert tree("cell*") == Term((("cell",),), prefix=True)
    assert tree("title:cells") == Term((("cells",), ("cell",)), field="title")
    assert tree("author:Williams") == Term((("williams",),), field="author")
    a, b = Term((("a",),), field="title"), Term((("b",),), field="source")
    assert tree("title:(a source:b)") == And((a, b))
    assert tree("-title:a") == tree("title:-a") == Not(Term((("a",),), field="title"))


# -- compiled FTS5 ---------------------------------------------------------------------------

ANY = "{title body source}"


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("lupus", IndexQuery(f'{ANY}: ("lupus" OR "lupuses")')),
        ("CAR-T", IndexQuery(f'{ANY}: ("car t" OR "car ts")')),
        ("KJ-C2219", IndexQuery(f'{ANY}: "kj c2219"')),
        ("a b", IndexQuery(f'({ANY}: "a") AND ({ANY}: "b")')),
        ("a OR b c", IndexQuery(f'({ANY}: "a") OR (({ANY}: "b") AND ({ANY}: "c"))')),
        ("a -b -c", IndexQuery(f'(({ANY}: "a")) NOT (({ANY}: "b") OR ({ANY}: "c"))')),
        ("-b", IndexQuery(None, exclude=f'{ANY}: "b"')),
        ("-b -c", IndexQuery(None, exclude=f'({ANY}: "b") OR ({ANY}: "c")')),
        ("a OR -b", IndexQuery(None, exclude=f'(({ANY}: "b")) NOT (({ANY}: "a"))')),
        ("NOT (a b)", IndexQuery(None, exclude=f'({ANY}: "a") AND ({ANY}: "b")')),
        ("title:a", IndexQuery('{title}: "a"')),
        ('source:"x y"*', IndexQuery('{source}: "x y"*')),
        ("lupus*", IndexQuery(f'{ANY}: "lupus"*')),
        ("NEAR(a", None),  # an error: see below
        ("", None),
        ("***", None),
    ],
)
def test_compiled_queries(text: str, query: IndexQuery | None) -> None:
    assert parse_filter(text).query == query


def test_quotes_in_terms_cannot_escape() -> None:
    # Folded words never hold a quote, but the compiler doubles them anyway.
    assert to_index_query(Term((('say "hi"',),))) == IndexQuery(f'{ANY}: "say ""hi"""')


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('"first patient', "unclosed quote before 'first patient'"),
        ('lupus "', "unclosed quote at the end"),
        ('a "' + "x" * 40, "unclosed quote before 'xxxxxxxxxxxxxxxxxxxxxxx…'"),
        ("(lupus", "'(' without ')'"),
        ("(a (b)", "'(' without ')'"),
        ("lupus)", "')' without '('"),
        ("a) (b", "')' without '('"),
        ("()", "empty parentheses '()'"),
        ("a ( ) b", "empty parentheses '()'"),
        ("OR lupus", "'OR' needs a term on both sides"),
        ("lupus OR", "'OR' needs a term on both sides"),
        ("a OR OR b", "'OR' needs a term on both sides"),
        ("(a OR) b", "'OR' needs a term on both sides"),
        ("AND a", "'AND' needs a term on both sides"),
        ("a AND", "'AND' needs a term on both sides"),
        ("a AND OR b", "'AND' needs a term on both sides"),
        ("NOT", "'NOT' needs a term after it"),
        ("lupus NOT", "'NOT' needs a term after it"),
        ("a NOT OR b", "'NOT' needs a term after it"),
        ("lupus -", "'-' needs a term right after it"),
        ("- lupus", "'-' needs a term right after it"),
        ("-)", "'-' needs a term right after it"),
        ("foo:bar", "unknown field 'foo' " + FIELD_LIST),
        ("lupus KJ:C2219", "unknown field 'kj' " + FIELD_LIST),
        ("x" * 60 + ":y", "unknown field '" + "x" * 39 + "…' " + FIELD_LIST),
        ("title: lupus", "'title:' needs a term right after it"),
        ("lupus author:", "'author:' needs a term right after it"),
        ("NEAR(a", "'(' without ')'"),
        ("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1), "parentheses nest more than 20 deep"),
        ("x" * (MAX_LENGTH + 1), "filter too long (2,000 characters at most)"),
    ],
)
def test_errors_say_what_and_where(text: str, error: str) -> None:
    assert parse_filter(text) == FilterResult(None, error, None)
    with pytest.raises(QueryError, match=f"^{re.escape(error)}$"):
        compile_query(text)


def test_the_first_problem_is_reported() -> None:
    unknown = "unknown field 'foo' " + FIELD_LIST
    assert parse_filter('foo:x "abc').error == unknown
    assert parse_filter('"abc foo:x').error == "unclosed quote before 'abc foo:x'"


def test_valid_filters_have_no_error_and_compile_query_returns_them() -> None:
    result = compile_query("CAR-T OR lupus")
    assert result == parse_filter("CAR-T OR lupus")
    assert result.error is None and result.query is not None
    assert result.highlighter is not None


def test_nothing_to_highlight() -> None:
    assert parse_filter("").highlighter is None
    assert parse_filter("-lupus").highlighter is None
    assert parse_filter("NOT (a OR b)").highlighter is None
    assert parse_filter("a OR -b").highlighter is not None
