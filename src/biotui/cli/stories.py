"""``biotui list --stories``: one line per story among the headlines a filter finds."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_OK
from biotui.cli.formatting import format_headline
from biotui.cli.listing import compile_filter
from biotui.cli.records import article_record, json_line

if TYPE_CHECKING:
    from biotui.store import Store


def list_stories(
    store: Store,
    text: str,
    *,
    unread: bool,
    limit: int | None,
    as_json: bool,
    muted: bool = False,
) -> int:
    """Print one line per story among the headlines matching ``text``, in the order of their
    newest match: the story's earliest article's headline and ``+N sources`` (its other
    articles). With ``as_json``, that headline's record with ``story`` and ``sources``."""
    query = compile_filter(text) if text.strip() else None
    rowids = store.headline_ids(query, unread_only=unread, muted=muted)
    summaries = store.stories.summaries(rowids)
    if limit is not None:
        summaries = summaries[:limit]
    headlines = {h.rowid: h for h in store.headlines([s.first for s in summaries])}
    lines: list[str] = []
    for summary in summaries:
        headline = headlines.get(summary.first)
        if headline is None:
            continue
        others = summary.size - 1
        if as_json:
            record = article_record(headline)
            record["story"] = summary.story or None
            record["sources"] = others
            lines.append(json_line(record))
        else:
            more = f"  +{others} source{'s' if others != 1 else ''}" if others else ""
            lines.append(format_headline(headline) + more)
    sys.stdout.write("".join(line + "\n" for line in lines))
    return EXIT_OK
