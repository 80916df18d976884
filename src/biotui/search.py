"""Turn the filter a person types into a safe full-text query for the store (first version).

The language, as of this version:

- words are case-insensitive and all required: ``lupus trial``;
- ``OR`` (uppercase) between two terms means either: ``lupus OR nephritis``; it binds tighter
  than the implicit AND, so ``lupus OR sle trial`` is ``(lupus OR sle) AND trial``;
- ``-word`` or ``-"a phrase"`` excludes; a filter of only exclusions keeps everything else;
- ``"exact phrase"``; an unclosed quote runs to the end (and the result says so);
- a word with inner ``-`` or ``/`` (``CAR-T``, ``CD19/CD20``, ``KJ-C2219``) is the phrase of its
  parts: ``CAR-T`` matches "CAR-T", "CAR T" and "car-t", never "cart", "Carter" or "CAR-NK".

Words match whole words after the index's stemming (``porter unicode61 remove_diacritics 2``:
``lupus`` finds "Lupus" and "lúpus"); there is no prefix matching yet. Every user term reaches
FTS5 as a quoted string, so FTS5 syntax in user text (``*``, ``:``, ``^``, parentheses, ``NEAR``,
``AND``, ``NOT``) is literal, and a term with no letter or digit is ignored.

Pipeline, kept apart so that the full language of a later version can grow from it:
:func:`tokenize` (text -> tokens) -> :func:`parse` (tokens -> AST of :class:`Term`, :class:`Or`,
:class:`And`, :class:`Not`) -> :func:`to_index_query` (AST -> :class:`~biotui.store.IndexQuery`).
:func:`parse_filter` runs all three and never raises.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from typing import TypeAlias

from biotui.store import IndexQuery

__all__ = [
    "And",
    "FilterResult",
    "Node",
    "Not",
    "Or",
    "ParseResult",
    "Term",
    "Token",
    "TokenKind",
    "parse",
    "parse_filter",
    "to_index_query",
    "tokenize",
]

UNBALANCED_QUOTE = "unbalanced quote: the phrase runs to the end"
DANGLING_OR = "OR needs a word on each side"


@dataclass(frozen=True, slots=True)
class FilterResult:
    """What :func:`parse_filter` makes of a filter.

    ``query`` is None when the filter keeps every article (blank, or nothing searchable);
    ``error`` is a one-line note for the person typing (the query is still the best reading).
    """

    query: IndexQuery | None
    error: str | None = None


# -- tokens ---------------------------------------------------------------------------------


class TokenKind(enum.Enum):
    """The kinds of token the filter language has."""

    WORD = "word"
    PHRASE = "phrase"
    OR = "or"


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, text (without quotes or ``-``), place in the input and flags."""

    kind: TokenKind
    text: str
    start: int
    negated: bool = False
    closed: bool = True
    """False for a phrase whose closing quote is missing."""


def _clean(text: str) -> str:
    """Replace control characters (NUL included) and lone surrogates with spaces."""
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into words, quoted phrases and ``OR``s. Never raises.

    A ``-`` right before a word or quote negates it (a lone ``-`` is dropped); a word ends at
    whitespace or a quote; a phrase with no closing quote runs to the end (``closed=False``).
    """
    text = _clean(text)
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        negated = False
        if ch == "-":
            if i + 1 >= n or text[i + 1].isspace():
                i += 1
                continue
            negated = True
            i += 1
        if text[i] == '"':
            end = text.find('"', i + 1)
            closed = end != -1
            if not closed:
                end = n
            tokens.append(Token(TokenKind.PHRASE, text[i + 1 : end], start, negated, closed))
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        word = text[i:end]
        if word == "OR" and not negated:
            tokens.append(Token(TokenKind.OR, word, start))
        else:
            tokens.append(Token(TokenKind.WORD, word, start, negated))
        i = end
    return tokens


# -- syntax tree ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """A word or a quoted phrase; FTS5 matches it as the phrase of its tokens."""

    text: str


@dataclass(frozen=True, slots=True)
class Or:
    """Any of ``children``."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class And:
    """All of ``children`` (a :class:`Not` child removes what it matches)."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """Everything but ``child``; only meaningful inside :class:`And` or at the top."""

    child: Node


Node: TypeAlias = Term | Or | And | Not


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The tree :func:`parse` built (None: no searchable term) and notes for the user."""

    node: Node | None
    errors: tuple[str, ...] = ()


def _searchable(text: str) -> bool:
    """Whether ``text`` has a letter or digit, i.e. gives the index at least one token."""
    return any(ch.isalnum() for ch in text)


def parse(tokens: list[Token]) -> ParseResult:
    """Build the tree for ``tokens``: a conjunction of terms, OR-groups and negated terms.

    ``OR`` joins the positive terms on either side; an ``OR`` without one is dropped with a
    note. Terms with no letter or digit are dropped silently. Never raises.
    """
    errors: list[str] = []
    groups: list[list[Term] | Not] = []
    pending_or = False
    for token in tokens:
        if token.kind is TokenKind.PHRASE and not token.closed:
            errors.append(UNBALANCED_QUOTE)
        if token.kind is TokenKind.OR:
            if groups and isinstance(groups[-1], list) and not pending_or:
                pending_or = True
            else:
                errors.append(DANGLING_OR)
            continue
        if not _searchable(token.text):
            continue
        term = Term(token.text)
        if token.negated:
            if pending_or:
                errors.append(DANGLING_OR)
                pending_or = False
            groups.append(Not(term))
        elif pending_or:
            last = groups[-1]
            assert isinstance(last, list)
            last.append(term)
            pending_or = False
        else:
            groups.append([term])
    if pending_or:
        errors.append(DANGLING_OR)
    children: list[Node] = []
    for group in groups:
        if isinstance(group, Not):
            children.append(group)
        elif len(group) == 1:
            children.append(group[0])
        else:
            children.append(Or(tuple(group)))
    unique_errors = tuple(dict.fromkeys(errors))
    if not children:
        return ParseResult(None, unique_errors)
    if len(children) == 1 and not isinstance(children[0], Not):
        return ParseResult(children[0], unique_errors)
    return ParseResult(And(tuple(children)), unique_errors)


# -- compiler -------------------------------------------------------------------------------


def _quote(text: str) -> str:
    """``text`` as an FTS5 string: every character literal, tokenized by the index."""
    return '"' + text.replace('"', '""') + '"'


def _fts(node: Node) -> str:
    """Compile a node that has at least one positive part to an FTS5 expression."""
    if isinstance(node, Term):
        return _quote(node.text)
    if isinstance(node, Or):
        return "(" + " OR ".join(_fts(child) for child in node.children) + ")"
    if isinstance(node, Not):
        raise ValueError("a negation needs something to subtract from")
    positives = [child for child in node.children if not isinstance(child, Not)]
    negatives = [child.child for child in node.children if isinstance(child, Not)]
    if not positives:
        raise ValueError("a negation needs something to subtract from")
    expression = "(" + " AND ".join(_fts(child) for child in positives) + ")"
    if negatives:
        expression += " NOT (" + " OR ".join(_fts(child) for child in negatives) + ")"
    return expression


def to_index_query(node: Node | None) -> IndexQuery | None:
    """Compile a tree from :func:`parse` to an :class:`IndexQuery` (None: every article).

    A tree made only of negations becomes ``IndexQuery(match=None, exclude=...)``.
    """
    if node is None:
        return None
    if isinstance(node, Not):
        return IndexQuery(match=None, exclude=_fts(node.child))
    if isinstance(node, And) and all(isinstance(child, Not) for child in node.children):
        excluded = [child.child for child in node.children if isinstance(child, Not)]
        return IndexQuery(match=None, exclude=" OR ".join(_fts(child) for child in excluded))
    return IndexQuery(match=_fts(node))


def parse_filter(text: str) -> FilterResult:
    """Read the filter ``text`` into an index query and, if something was off, a note.

    Never raises, whatever ``text`` holds; the query it returns never makes SQLite raise.
    """
    parsed = parse(tokenize(text))
    error = "; ".join(parsed.errors) if parsed.errors else None
    return FilterResult(to_index_query(parsed.node), error)
