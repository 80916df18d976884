"""``biotui mark``: mark articles read, unread, starred or unstarred, by id or as a listing.

The articles are ids, or what ``--filter``, ``--search`` and ``--feed`` keep together (a
filter within a saved search, as in ``biotui list``, within the feeds named), or ``--all``.
The marking is one logged action of the store, so the app's undo can take it back.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.cli.listing import compile_filter, list_filter
from biotui.errors import QueryError
from biotui.model import Config
from biotui.plaintext import clean_text

if TYPE_CHECKING:
    from biotui.store import Store

FLAGS: dict[str, tuple[str, bool]] = {
    "read": ("read", True),
    "unread": ("read", False),
    "star": ("starred", True),
    "unstar": ("starred", False),
}
"""Each ``--`` option of ``mark``: the flag it sets and its value."""

_DONE = {"read": "read", "unread": "unread", "star": "starred", "unstar": "unstarred"}


@dataclass(frozen=True, slots=True)
class MarkRequest:
    """What ``biotui mark`` was asked: the flag (a key of :data:`FLAGS`) and the selectors."""

    flag: str
    ids: tuple[str, ...] = ()
    filter: str | None = None
    feeds: tuple[str, ...] = ()
    search: str | None = None
    every: bool = False


def mark_articles(config: Config, store: Store, request: MarkRequest) -> int:
    """Mark the selected articles and print how many changed.

    No selector, ids together with another selector, or ``--all`` with another is a usage
    error (status 2), as is an unknown feed, saved search or a malformed filter; an unknown
    id is reported (status 1) after the known ones are marked.
    """
    from biotui.store import MarkSelection

    problem = _selector_problem(request)
    if problem is not None:
        print(f"biotui: mark: {problem}", file=sys.stderr)
        return EXIT_USAGE
    column, value = FLAGS[request.flag]
    flags = {column: value}
    if request.ids:
        ids = [article_id.strip() for article_id in request.ids]
        result = store.mark(ids, **flags)
        missing = [i for i in dict.fromkeys(ids) if store.article(i) is None]
    else:
        feeds = tuple(_feed_name(config, store, name) for name in request.feeds)
        text = list_filter(config, request.filter or "", request.search)
        query = compile_filter(text) if text.strip() else None
        feed = None if not feeds else feeds[0] if len(feeds) == 1 else feeds
        result = store.mark(MarkSelection(query=query, feed=feed), **flags)
        missing = []
    print(_summary(request.flag, result.changed, result.selected))
    for article_id in missing:
        print(f"biotui: no article with id {clean_text(article_id)!r}", file=sys.stderr)
    return EXIT_ERROR if missing else EXIT_OK


def _selector_problem(request: MarkRequest) -> str | None:
    others = request.filter is not None or request.search is not None or bool(request.feeds)
    if not (request.ids or others or request.every):
        return "say which articles: ID..., --filter, --feed, --search or --all"
    if request.ids and (others or request.every):
        return "ids cannot be combined with --filter, --feed, --search or --all"
    if request.every and others:
        return "--all cannot be combined with --filter, --feed or --search"
    return None


def _feed_name(config: Config, store: Store, name: str) -> str:
    """The feed called ``name`` (any case), configured or still in the store; QueryError
    (status 2) when there is none."""
    known: Sequence[str] = [feed.name for feed in config.feeds] + list(store.counts())
    for candidate in known:
        if candidate.casefold() == name.strip().casefold():
            return candidate
    raise QueryError(f"no feed named {name!r} (see `biotui feeds`)")


def _summary(flag: str, changed: int, selected: int) -> str:
    noun = "article" if changed == 1 else "articles"
    line = f"marked {changed} {noun} {_DONE[flag]}"
    already = selected - changed
    if already:
        line += f" ({already} already {'was' if already == 1 else 'were'})"
    return line
