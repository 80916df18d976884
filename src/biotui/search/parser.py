"""The filter's grammar: tokens -> a tree of :class:`Term`, :class:`And`, :class:`Or`, :class:`Not`.

Recursive descent, loosest first::

    filter  := or_expr
    or_expr := and_expr ("OR" and_expr)*
    and_expr:= unary (["AND"] unary)*            # juxtaposition is AND
    unary   := ("NOT" | "-" | field ":")* primary  # "-" and "field:" touch what follows
    primary := word | "phrase" | "(" or_expr ")"

So ``a OR b c`` is ``a OR (b AND c)``, and ``NOT``/``-`` apply to the one term or group after
them. A field prefix limits every term inside it (an inner field wins). The first problem stops
the parse; its message says where (:class:`ParseResult`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

from biotui.search.forms import word_forms
from biotui.search.lexer import FIELDS, ID_FIELDS, Kind, Token

__all__ = ["MAX_DEPTH", "And", "IdTerm", "Node", "Not", "Or", "ParseResult", "Term", "parse"]

MAX_DEPTH = 20
"""How deeply parentheses may nest."""

_NAMES = frozenset({"source", "feed", "author"})
"""Fields holding names: their terms match as typed, without plural forms."""


@dataclass(frozen=True, slots=True)
class Term:
    """Something the index can find: one or more spellings, each a phrase of folded words.

    ``forms[0]`` is what was typed; the others are its plural/singular spellings. ``prefix``:
    the last word may continue (``lupus*``). ``field``: one field, or None for title, body and
    source.
    """

    forms: tuple[tuple[str, ...], ...]
    prefix: bool = False
    field: str | None = None


@dataclass(frozen=True, slots=True)
class IdTerm:
    """An identifier field's term (``drug:KYV-101``): the articles naming the identifier of
    comparison form ``key`` (``biotui.identifiers.normalise``) as a kind of ``field``;
    ``typed`` is the term as written."""

    field: str
    key: str
    typed: str


@dataclass(frozen=True, slots=True)
class Not:
    """Articles that do not match ``child``."""

    child: Node


@dataclass(frozen=True, slots=True)
class And:
    """Articles matching every child."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Articles matching any child."""

    children: tuple[Node, ...]


Node: TypeAlias = Term | IdTerm | Not | And | Or


class ParseResult(NamedTuple):
    """The tree (None: nothing to search for), or the first problem and where it is."""

    node: Node | None
    error: str | None = None
    error_at: int = 0


class _Problem(Exception):
    """Raised inside the parser to stop at the first problem (never leaves :func:`parse`)."""

    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


def make_id_term(token: Token, field: str) -> IdTerm:
    """The :class:`IdTerm` of a word or phrase token inside an identifier field. Raises
    :class:`_Problem` for a prefix (identifiers match whole)."""
    if token.prefix:
        raise _Problem(f"'{field}:' takes a whole identifier, not a prefix", token.start)
    from biotui.identifiers import normalise  # only filters with an identifier field load it

    return IdTerm(field, normalise(field, token.text), token.text)


def make_term(token: Token, field: str | None) -> Term:
    """The :class:`Term` of a word or phrase token, inside ``field`` (None: no field).

    A typed word has plural forms: its last index word varies (``CAR-Ts`` -> "car ts",
    "car t"). A quoted phrase, a prefix and a term of a name field match as typed.
    """
    typed = token.words
    if token.kind is Kind.PHRASE or token.prefix or field in _NAMES:
        return Term((typed,), token.prefix, field)
    capitals = _last_part_in_capitals(token.text)
    tail = word_forms(typed[-1], capitals=capitals, short=len(typed) > 1)
    return Term(tuple((*typed[:-1], form) for form in tail), False, field)


def _last_part_in_capitals(word: str) -> bool:
    """Whether the last run of letters of ``word`` is in capitals (``CAR-TS``, ``AIDS``)."""
    end = len(word)
    while end > 0 and not word[end - 1].isalpha():
        end -= 1
    start = end
    while start > 0 and word[start - 1].isalpha():
        start -= 1
    letters = word[start:end]
    return bool(letters) and letters.upper() == letters and letters.lower() != letters


_STARTS = frozenset({Kind.WORD, Kind.PHRASE, Kind.LPAREN, Kind.NOT, Kind.MINUS, Kind.FIELD})
"""Token kinds that can begin a term."""


class _Parser:
    """One parse over a token list."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def starts_term(self) -> bool:
        token = self.peek()
        return token is not None and token.kind in _STARTS

    def or_expr(self, field: str | None) -> Node:
        children = [self.and_expr(field)]
        while (token := self.peek()) is not None and token.kind is Kind.OR:
            self.take()
            if not self.starts_term():
                raise _Problem("'OR' needs a term on both sides", token.start)
            children.append(self.and_expr(field))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self, field: str | None) -> Node:
        children = [self.unary(field)]
        while (token := self.peek()) is not None:
            if token.kind is Kind.AND:
                self.take()
                if not self.starts_term():
                    raise _Problem("'AND' needs a term on both sides", token.start)
            elif token.kind not in _STARTS:
                break
            children.append(self.unary(field))
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self, field: str | None) -> Node:
        negations = 0
        while (token := self.peek()) is not None:
            if token.kind is Kind.NOT:
                self.take()
                if not self.starts_term():
                    raise _Problem("'NOT' needs a term after it", token.start)
                negations += 1
            elif token.kind is Kind.MINUS:
                self.take()
                following = self.peek()
                if following is None or following.start != token.end or not self.starts_term():
                    raise _Problem("'-' needs a term right after it", token.start)
                negations += 1
            elif token.kind is Kind.FIELD:
                self.take()
                if token.text not in FIELDS:
                    fields = ", ".join(FIELDS)
                    name = token.text if len(token.text) <= 40 else token.text[:39] + "…"
                    raise _Problem(f"unknown field '{name}' (fields: {fields})", token.start)
                following = self.peek()
                if following is None or following.start != token.end or not self.starts_term():
                    raise _Problem(f"'{token.text}:' needs a term right after it", token.start)
                field = token.text
            else:
                break
        node = self.primary(field)
        return Not(node) if negations % 2 else node

    def primary(self, field: str | None) -> Node:
        token = self.peek()
        if token is None:  # pragma: no cover - callers check starts_term() first
            raise _Problem("a term is missing at the end", 0)
        if token.kind in (Kind.WORD, Kind.PHRASE):
            self.take()
            if field in ID_FIELDS:
                return make_id_term(token, field)
            return make_term(token, field)
        if token.kind is Kind.LPAREN:
            self.take()
            closing = self.peek()
            if closing is not None and closing.kind is Kind.RPAREN:
                raise _Problem("empty parentheses '()'", token.start)
            if closing is None:
                raise _Problem("'(' without ')'", token.start)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Problem(f"parentheses nest more than {MAX_DEPTH} deep", token.start)
            node = self.or_expr(field)
            self.depth -= 1
            closing = self.peek()
            if closing is None or closing.kind is not Kind.RPAREN:
                raise _Problem("'(' without ')'", token.start)
            self.take()
            return node
        if token.kind is Kind.RPAREN:
            raise _Problem("')' without '('", token.start)
        raise _Problem(f"'{token.text}' needs a term on both sides", token.start)


def parse(tokens: list[Token]) -> ParseResult:
    """Build the tree of ``tokens``, or say what is wrong and where. Never raises."""
    if not tokens:
        return ParseResult(None)
    parser = _Parser(tokens)
    try:
        node = parser.or_expr(None)
        stray = parser.peek()
        if stray is not None:
            # Only a ')' can stop the loops early; anything else would have been parsed.
            raise _Problem("')' without '('", stray.start)
    except _Problem as problem:
        return ParseResult(None, problem.message, problem.at)
    return ParseResult(node)
