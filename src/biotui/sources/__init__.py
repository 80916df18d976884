"""Sources: bytes or a path in, articles out. Pure: no database, no network.

``parse_feed`` reads feed bytes (RSS, Atom, JSON Feed); ``iter_files`` walks a file, folder or
glob, ``read_file`` reads one local file with the reader its type needs, and ``feed_root``
names the folder its guid is relative to; ``extract_page`` reads an article's fetched web
page into its full text. Nothing here
fetches over HTTP: the refresh does, and hands the bytes to ``parse_feed``.

The names are imported on first use: a parser process that only reads feeds never loads the
web-page stack behind ``read_file``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from biotui.sources.discovery import Discovery, FeedLink, discover
    from biotui.sources.feed import parse_feed
    from biotui.sources.fullpage import extract_page
    from biotui.sources.local import decode_text, feed_root, iter_files, local_guid, read_file
    from biotui.sources.pagetext import PageText
    from biotui.sources.pubmed import esearch_ids, parse_pubmed
    from biotui.sources.result import FeedParseResult
    from biotui.sources.trials import parse_trials

__all__ = [
    "Discovery",
    "FeedLink",
    "FeedParseResult",
    "PageText",
    "decode_text",
    "discover",
    "esearch_ids",
    "extract_page",
    "feed_root",
    "iter_files",
    "local_guid",
    "parse_feed",
    "parse_pubmed",
    "parse_trials",
    "read_file",
]

_HOMES = {
    "FeedParseResult": "result",
    "parse_feed": "feed",
    "decode_text": "local",
    "feed_root": "local",
    "iter_files": "local",
    "local_guid": "local",
    "read_file": "local",
    "Discovery": "discovery",
    "FeedLink": "discovery",
    "discover": "discovery",
    "PageText": "pagetext",
    "extract_page": "fullpage",
    "esearch_ids": "pubmed",
    "parse_pubmed": "pubmed",
    "parse_trials": "trials",
}


def __getattr__(name: str) -> Any:
    """Import a public name from the module that defines it, on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
