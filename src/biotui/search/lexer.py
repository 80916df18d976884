"""The filter's tokens: words, quoted phrases, parentheses, operators and field prefixes.

Rules (the parser gives them meaning):

- whitespace (and control characters) separate tokens; ``(``, ``)`` and ``"`` are tokens of
  their own wherever they appear; a word runs until one of them;
- ``"..."`` is a phrase; a ``*`` right after the closing quote makes it a prefix; a quote
  that is never closed runs to the end and is an error;
- ``AND``, ``OR``, ``NOT`` in capitals are operators; any other spelling is a word;
- ``-`` at the start of a term (not inside a word: ``CAR-T``) excludes what follows it;
- ``name:`` at the start of a term is a field prefix when ``name`` is letters only and the
  colon is followed by more of the term (``title:lupus``, ``title:"a b"``, ``title:(a OR b)``).
  So ``10:30``, ``CD19:CD20`` and ``http://...`` are words, and so is ``Note:`` followed by a
  space; a known field followed by a space (``title: lupus``) is an error, and the word right
  after a field prefix is never an operator (``title:OR`` looks for the word "or");
- a word or phrase without a single letter or digit (``***``, ``&``, ``""``) is dropped, as
  if it were a space: it gives the index nothing to look for.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from biotui.plaintext import clean_text
from biotui.search.text import words

__all__ = ["FIELDS", "ID_FIELDS", "Kind", "LexResult", "Token", "quoted", "tokenize"]

ID_FIELDS = ("trial", "pmid", "doi", "drug", "target")
"""The fields that take an identifier (``drug:KYV-101``): ``biotui.identifiers.SEARCH_FIELDS``
names the kinds each one matches (named here too, so that a filter without them never loads
the recogniser)."""

FIELDS = ("title", "source", "feed", "author", *ID_FIELDS)
"""The fields a term can be limited to, as ``field:term``."""


class Kind(enum.Enum):
    """The kinds of token."""

    WORD = "word"
    PHRASE = "phrase"
    LPAREN = "("
    RPAREN = ")"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    MINUS = "-"
    FIELD = "field"


class Token(NamedTuple):
    """One token and where it is in the filter (``[start, end)``).

    ``text``: the word as typed, the phrase between its quotes, or the field name (lowercase).
    ``words``: the index's words of a word or phrase (folded). ``prefix``: it ended in ``*``.
    """

    kind: Kind
    start: int
    end: int
    text: str = ""
    words: tuple[str, ...] = ()
    prefix: bool = False


class LexResult(NamedTuple):
    """The tokens and the first problem found (with where it is), if any."""

    tokens: list[Token]
    error: str | None = None
    error_at: int = 0


_OPERATORS = {"AND": Kind.AND, "OR": Kind.OR, "NOT": Kind.NOT}
_SINGLE = {"(": Kind.LPAREN, ")": Kind.RPAREN}
_STOPS = frozenset('()"')


def _is_space(char: str) -> bool:
    return char.isspace() or char < " " or "\x7f" <= char <= "\x9f"


def quoted(text: str, limit: int = 24) -> str:
    """``text`` in single quotes for a message, shortened to ``limit`` characters.

    The text is made safe for a terminal (no escape sequences or controls: a person may paste
    anything into a filter, and the CLI prints the message).
    """
    text = clean_text(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def _field_name(text: str, start: int) -> str | None:
    """The field name if ``text[start:]`` begins with ``letters:`` followed by more of a term,
    or by a space or the end when the name is a known field (so the parser can complain)."""
    colon = start
    while colon < len(text) and text[colon].isalpha():
        colon += 1
    if colon == start or colon >= len(text) or text[colon] != ":":
        return None
    name = text[start:colon]
    if not name.isascii():
        return None
    after = text[colon + 1] if colon + 1 < len(text) else ""
    if after == "" or _is_space(after):
        return name.lower() if name.lower() in FIELDS else None
    if after in ":/":
        return None
    return name.lower()


def tokenize(text: str) -> LexResult:
    """Split the filter ``text`` into tokens. Never raises."""
    tokens: list[Token] = []
    error: str | None = None
    error_at = 0
    i, n = 0, len(text)
    after_field = False
    while i < n:
        char = text[i]
        if _is_space(char):
            i += 1
            after_field = False
            continue
        if char in _SINGLE:
            tokens.append(Token(_SINGLE[char], i, i + 1, char))
            i += 1
            after_field = False
            continue
        if char == '"':
            close = text.find('"', i + 1)
            if close == -1:  # runs to the end: this happens once at most
                inside = clean_text(text[i + 1 :])
                where = f"before {quoted(inside)}" if inside else "at the end"
                error, error_at = f"unclosed quote {where}", i
                close = n
            end = close + 1
            prefix = end < n and text[end] == "*"
            if prefix:
                end += 1
            phrase = text[i + 1 : close]
            found = tuple(words(phrase))
            if found:
                tokens.append(Token(Kind.PHRASE, i, min(end, n), phrase, found, prefix))
            i = end
            after_field = False
            continue
        if char == "-":
            tokens.append(Token(Kind.MINUS, i, i + 1, "-"))
            i += 1
            continue  # after_field stays: in title:-OR, OR is a word
        name = None if after_field else _field_name(text, i)
        if name is not None:
            end = i + len(name) + 1
            tokens.append(Token(Kind.FIELD, i, end, name))
            i = end
            after_field = True
            continue
        end = i
        while end < n and not _is_space(text[end]) and text[end] not in _STOPS:
            end += 1
        word = text[i:end]
        if word in _OPERATORS and not after_field:
            tokens.append(Token(_OPERATORS[word], i, end, word))
        else:
            found = tuple(words(word))
            if found:
                tokens.append(Token(Kind.WORD, i, end, word, found, word.endswith("*")))
        i = end
        after_field = False
    return LexResult(tokens, error, error_at)
