"""``biotui feeds``: each configured feed's article counts and last refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_OK
from biotui.cli.records import iso_time, json_line
from biotui.feedkinds import KINDS
from biotui.model import Config
from biotui.plaintext import clean_text

if TYPE_CHECKING:
    from biotui.store import Store


def print_feeds(config: Config, store: Store, *, as_json: bool) -> int:
    """Print one line per configured feed, in the configuration's order."""
    statuses = {status.name: status for status in store.feed_statuses()}
    counts = store.counts()
    for feed in config.feeds:
        status = statuses.get(feed.name)
        total, unread = counts.get(feed.name, (0, 0))
        error = status.last_error if status else None
        checked = status.last_success if status else None
        if as_json:
            record: dict[str, object] = {
                "name": feed.name,
                "location": feed.location,
                **{kind: getattr(feed, kind) for kind in KINDS if getattr(feed, kind) is not None},
                "tags": list(feed.tags),
                "articles": total,
                "unread": unread,
                "last_success": iso_time(checked),
                "last_error": error,
            }
            print(json_line(record))
            continue
        when = f"{checked:%Y-%m-%d %H:%M}" if checked else "never"
        line = f"{clean_text(feed.name)}: {total} articles, {unread} unread, refreshed {when}"
        print(line + (f" — error: {clean_text(error)}" if error else ""))
    return EXIT_OK
