"""The filter language: what a person types -> a safe full-text query and a highlighter.

One engine for the app's filter, ``biotui list --filter`` and saved searches.

==========================  ===============================================================
you type                    it means
==========================  ===============================================================
``lupus``                   the word, any case, with or without accents, in title, body or
                            source; plurals too (``therapies`` = ``therapy``)
``CAR-T`` ``CD19/CD20``     a term with inner ``-`` or ``/`` is the phrase of its parts:
                            "CAR-T", "CAR T", "car-t", "CAR-Ts"; never "cart", "Carter",
                            "CAR-NK", "scar tissue"
``a b`` / ``a AND b``       both
``a OR b``                  either; AND binds tighter: ``a OR b c`` = ``a OR (b AND c)``
``( ... )``                 grouping
``-a`` / ``NOT a``          without; a filter of only exclusions keeps everything else
``"first patient"``         exactly this phrase (no plural forms)
``title:x`` ``source:x``    the term (word, phrase, prefix or group) in that field only;
``feed:x`` ``author:x``     names (source, feed, author) match as typed, without plurals
``lupus*``                  prefix
``trial:NCT06123456``       articles naming that identifier (``trial:`` any trial registry's
``pmid:`` ``doi:``          id, ``pmid:`` a PubMed or PMC id), compared after
``drug:`` ``target:``       ``biotui.identifiers.normalise`` (``drug:kyv101`` = KYV-101)
==========================  ===============================================================

Operators are ``AND``, ``OR``, ``NOT`` in capitals; ``and``, ``or``, ``not`` are words. A
problem (unclosed quote or parenthesis, an operator without its terms, an unknown field, an
empty group, more than :data:`MAX_LENGTH` characters) gives
``FilterResult(query=None, error="<what and where>")``: for the app, which keeps showing its
last good list, and never a half-guessed query. :func:`compile_query` raises
:class:`~biotui.errors.QueryError` instead (the CLI: exit 2).

Pipeline: :mod:`.lexer` (text -> tokens) -> :mod:`.parser` (tokens -> tree; plural forms from
:mod:`.forms`) -> :mod:`.compile` (tree -> :class:`~biotui.store.IndexQuery`) and
:mod:`.highlight` (tree -> :class:`Highlighter`). :mod:`.text` folds text as the index does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from biotui.errors import QueryError
from biotui.search.compile import to_index_query
from biotui.search.highlight import Highlighter, identifier_highlighter, positive_terms
from biotui.search.lexer import FIELDS, tokenize
from biotui.search.parser import parse
from biotui.store import IndexQuery

__all__ = [
    "FIELDS",
    "MAX_LENGTH",
    "FilterResult",
    "Highlighter",
    "QueryError",
    "compile_query",
    "identifier_highlighter",
    "mute_queries",
    "parse_filter",
]

MAX_LENGTH = 2_000
"""The longest filter read, in characters (compiling a longer one could take seconds)."""


@dataclass(frozen=True, slots=True)
class FilterResult:
    """What a filter means.

    ``query``: the index query, or None for every article (a blank filter) or when ``error``
    is set. ``error``: a one-line message saying what is wrong and where. ``highlighter``:
    finds the filter's terms in a text; None when there is nothing to highlight (blank, only
    exclusions, or an error).
    """

    query: IndexQuery | None
    error: str | None = None
    highlighter: Highlighter | None = None


def parse_filter(text: str) -> FilterResult:
    """Read the filter ``text``. Never raises; the query it returns never makes SQLite raise."""
    if len(text) > MAX_LENGTH:
        return FilterResult(None, f"filter too long ({MAX_LENGTH:,} characters at most)")
    lexed = tokenize(text)
    parsed = parse(lexed.tokens)
    errors = [(parsed.error_at, parsed.error), (lexed.error_at, lexed.error)]
    found = [(at, message) for at, message in errors if message is not None]
    if found:
        return FilterResult(None, min(found)[1])
    return FilterResult(
        to_index_query(parsed.node),
        None,
        Highlighter.for_terms(positive_terms(parsed.node)),
    )


def mute_queries(texts: Iterable[str]) -> tuple[IndexQuery, ...]:
    """The index queries of mute rules (``MuteRule.query``), for ``Store.set_mute``; a blank
    rule mutes nothing. Raises :class:`~biotui.errors.QueryError` for a malformed one (the
    configuration reports those first, with their place)."""
    queries = (compile_query(text).query for text in texts)
    return tuple(query for query in queries if query is not None)


def compile_query(text: str) -> FilterResult:
    """Like :func:`parse_filter`, but raise :class:`~biotui.errors.QueryError` on a problem."""
    result = parse_filter(text)
    if result.error is not None:
        raise QueryError(result.error)
    return result
