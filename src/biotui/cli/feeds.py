"""``biotui feeds``: each configured feed's article counts and last refresh, then the feeds of
the ``[sync]`` server that no ``[[feeds]]`` entry names; a synced feed says so (``synced`` in
JSON) with the time of the last sync."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_OK
from biotui.cli.records import iso_time, json_line
from biotui.feedkinds import KINDS
from biotui.model import Config
from biotui.plaintext import clean_text

if TYPE_CHECKING:
    from biotui.store import Store, SyncedFeed


def print_feeds(config: Config, store: Store, *, as_json: bool) -> int:
    """Print one line per configured feed, in the configuration's order, then one per server
    feed no entry names, by name."""
    statuses = {status.name: status for status in store.feed_statuses()}
    counts = store.counts()
    synced, synced_at = _synced(config, store)
    for feed in config.feeds:
        status = statuses.get(feed.name)
        total, unread = counts.get(feed.name, (0, 0))
        error = status.last_error if status else None
        checked = status.last_success if status else None
        from_server = feed.name in synced
        if as_json:
            record: dict[str, object] = {
                "name": feed.name,
                "location": feed.location,
                **{kind: getattr(feed, kind) for kind in KINDS if getattr(feed, kind) is not None},
                "tags": list(feed.tags),
                "articles": total,
                "unread": unread,
                "last_success": iso_time(synced_at if from_server else checked),
                "last_error": None if from_server else error,
                "synced": from_server,
            }
            print(json_line(record))
            continue
        if from_server:
            print(_synced_line(feed.name, total, unread, synced_at))
            continue
        when = f"{checked:%Y-%m-%d %H:%M}" if checked else "never"
        line = f"{clean_text(feed.name)}: {total} articles, {unread} unread, refreshed {when}"
        print(line + (f" — error: {clean_text(error)}" if error else ""))
    configured = {feed.name for feed in config.feeds}
    for remote in sorted(synced.values(), key=lambda f: f.name):
        if remote.name in configured:
            continue
        total, unread = counts.get(remote.name, (0, 0))
        if as_json:
            record = {
                "name": remote.name,
                "location": remote.url or remote.site_url,
                "tags": list(remote.tags),
                "articles": total,
                "unread": unread,
                "last_success": iso_time(synced_at),
                "last_error": None,
                "synced": True,
            }
            print(json_line(record))
        else:
            print(_synced_line(remote.name, total, unread, synced_at))
    return EXIT_OK


def _synced(config: Config, store: Store) -> tuple[dict[str, SyncedFeed], datetime | None]:
    """The server's feeds by name, and when the last sync finished."""
    if config.sync is None:
        return {}, None
    account = store.synced.find(config.sync.account)
    feeds = {feed.name: feed for feed in store.synced.feeds(config.sync.account)}
    return feeds, account.synced if account is not None else None


def _synced_line(name: str, total: int, unread: int, when: datetime | None) -> str:
    shown = f"{when:%Y-%m-%d %H:%M}" if when else "never"
    return f"{clean_text(name)}: {total} articles, {unread} unread, synced {shown}"
