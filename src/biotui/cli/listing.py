"""``biotui list``: the headlines a filter or saved search finds, as text or JSON lines."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_OK
from biotui.cli.formatting import format_headline
from biotui.errors import QueryError
from biotui.model import Config

if TYPE_CHECKING:
    from biotui.store import IndexQuery, Store

PAGE = 2000
"""Headlines read and written at a time, so that memory stays flat however many match."""


def list_headlines(
    store: Store,
    text: str,
    *,
    unread: bool,
    limit: int | None,
    as_json: bool,
    muted: bool = False,
) -> int:
    """Print the headlines matching the filter ``text`` (all if blank), newest first: those
    the store's mute rules leave, or with ``muted`` only those they hide."""
    query = compile_filter(text) if text.strip() else None
    if query is not None and _names_identifiers(query) and store.identifiers.backfill_left():
        print(
            "biotui: note: the identifiers of some articles are still being found (the app, "
            "`biotui refresh` and `biotui group` find them): some matches may be missing",
            file=sys.stderr,
        )
    ids = store.headline_ids(query, unread_only=unread, muted=muted, limit=limit)
    return print_headlines(store, ids, as_json=as_json)


def print_headlines(store: Store, rowids: Sequence[int], *, as_json: bool) -> int:
    """Print the headlines of ``rowids`` in that order, as text or JSON lines, a page at a
    time."""
    for start in range(0, len(rowids), PAGE):
        wanted = rowids[start : start + PAGE]
        if as_json:
            _write_lines(store.json_lines(wanted))
        else:
            _write_lines([format_headline(headline) for headline in store.headlines(wanted)])
    return EXIT_OK


def _write_lines(lines: list[str]) -> None:
    """Print ``lines``, each ended by a newline."""
    sys.stdout.write("".join([line + "\n" for line in lines]))


def _names_identifiers(query: IndexQuery) -> bool:
    """Whether ``query`` has an identifier field (its parts are not all FTS5 expressions)."""
    return any(not isinstance(part, str | None) for part in (query.match, query.exclude))


def compile_filter(text: str) -> IndexQuery | None:
    """Compile a filter for the CLI; a malformed one raises QueryError (exit status 2)."""
    from biotui.search import compile_query

    try:
        return compile_query(text).query
    except QueryError as exc:
        raise QueryError(f"filter {text!r}: {exc}") from None


def list_filter(config: Config, text: str, search: str | None) -> str:
    """The filter ``list`` runs: ``text``, within the saved search named ``search`` if any."""
    if search is None:
        return text
    saved = saved_search_query(config, search)
    return f"({saved}) ({text})" if text.strip() else saved


def saved_search_query(config: Config, name: str) -> str:
    """The query of the saved search called ``name`` (any case); QueryError if there is none."""
    for search in config.searches:
        if search.name.casefold() == name.strip().casefold():
            return search.query
    known = ", ".join(repr(search.name) for search in config.searches) or "none configured"
    raise QueryError(f"no saved search named {name!r} (saved searches: {known})")
