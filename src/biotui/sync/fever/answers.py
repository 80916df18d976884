"""Fever answers read into the backend records, or a :class:`SyncError` of one line naming the
server: not JSON, not an object, a missing or mistyped member, an id that is not a positive
decimal number.

Ids are kept as the exact strings the server gave (FreshRSS sends strings, Coldsweat and
Miniflux numbers: those become their decimal form). Texts are kept raw (the engine sanitizes);
a text member that is absent or null is "".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from biotui.sync.backend import RemoteFeed, RemoteItem, SyncAuthError, SyncError

__all__ = ["MAX_ID", "id_number", "read_feeds", "read_id", "read_id_list", "read_items"]

MAX_ID = 2**63 - 1
"""The largest id the servers' databases hold (a signed 64-bit integer)."""
_MAX_DIGITS = len(str(MAX_ID))


def fever_object(data: Any, server: str) -> Mapping[str, Any]:
    """The answer's JSON object once the server accepted the key: SyncAuthError when it
    answers ``auth`` 0, SyncError when the answer is not a Fever answer."""
    if not isinstance(data, dict) or "auth" not in data:
        raise SyncError(f"{server}: the answer is not a Fever API answer")
    if data["auth"] in (0, "0", False):
        raise SyncAuthError(
            f"{server}: the server refused the Fever credentials (check [sync] username "
            "and password)"
        )
    if data["auth"] not in (1, "1", True):
        raise SyncError(f"{server}: the answer is not a Fever API answer (auth)")
    return data


def member(data: Mapping[str, Any], name: str, kind: type, server: str) -> Any:
    """``data[name]``, which must be a ``kind``."""
    value = data.get(name)
    if not isinstance(value, kind):
        said = "is missing" if value is None else "has the wrong type"
        raise SyncError(f"{server}: the answer's {name!r} {said}")
    return value


def read_id(value: Any, server: str, what: str = "item id") -> str:
    """An id as the server wrote it: a positive integer, or a string of decimal digits."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        return str(value)
    if (
        isinstance(value, str)
        and 0 < len(value) <= _MAX_DIGITS
        and value.isascii()
        and value.isdigit()
        and 0 < int(value) <= MAX_ID
    ):
        return value
    shown = repr(value)[:40]
    raise SyncError(f"{server}: the answer holds an invalid {what} ({shown})")


def id_number(value: str) -> int:
    """The number of an id :func:`read_id` accepted."""
    return int(value)


def read_id_list(value: Any, server: str, what: str) -> frozenset[str]:
    """A comma list of ids (``unread_item_ids``, ``feed_ids``); "" or null is empty. Some
    servers send a JSON list instead: accepted."""
    if value is None or value == "":
        return frozenset()
    if isinstance(value, list):
        parts: list[Any] = value
    elif isinstance(value, str):
        parts = [part.strip() for part in value.split(",") if part.strip()]
    elif isinstance(value, int) and not isinstance(value, bool):
        parts = [value]
    else:
        raise SyncError(f"{server}: the answer's {what!r} has the wrong type")
    return frozenset(read_id(part, server, what.removesuffix("s")) for part in parts)


def _text(item: Mapping[str, Any], name: str, server: str) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SyncError(f"{server}: an item's {name!r} has the wrong type")
    return value


def _flag(item: Mapping[str, Any], name: str, server: str) -> bool:
    value = item.get(name)
    if value in (None, 0, "0", False, ""):
        return False
    if value in (1, "1", True):
        return True
    raise SyncError(f"{server}: an item's {name!r} has the wrong type")


def _time(value: Any, server: str) -> datetime | None:
    """``created_on_time`` (UNIX seconds) as UTC; None when absent or out of range."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise SyncError(f"{server}: an item's 'created_on_time' is not a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SyncError(f"{server}: an item's 'created_on_time' has the wrong type")
    try:
        return datetime.fromtimestamp(value, UTC) if value > 0 else None
    except (OverflowError, OSError, ValueError):
        return None


def read_items(data: Mapping[str, Any], server: str) -> list[RemoteItem]:
    """The ``items`` of an answer; absent is none (Coldsweat leaves it out for a query it
    does not serve)."""
    listed = data.get("items")
    if listed is None:
        return []
    if not isinstance(listed, list):
        raise SyncError(f"{server}: the answer's 'items' has the wrong type")
    items = []
    for item in listed:
        if not isinstance(item, dict):
            raise SyncError(f"{server}: an item of the answer is not an object")
        items.append(
            RemoteItem(
                id=read_id(item.get("id"), server),
                feed_id=read_id(item.get("feed_id"), server, "feed id"),
                title=_text(item, "title", server),
                html=_text(item, "html", server),
                url=_text(item, "url", server),
                author=_text(item, "author", server),
                published=_time(item.get("created_on_time"), server),
                read=_flag(item, "is_read", server),
                starred=_flag(item, "is_saved", server),
            )
        )
    return items


def read_feeds(
    feeds: Mapping[str, Any], groups: Mapping[str, Any], server: str
) -> list[RemoteFeed]:
    """The feeds of a ``feeds`` answer, each tagged with the titles of its groups (from a
    ``groups`` answer's ``groups`` and ``feeds_groups``)."""
    titles: dict[str, str] = {}
    for group in member(groups, "groups", list, server):
        if not isinstance(group, dict):
            raise SyncError(f"{server}: a group of the answer is not an object")
        titles[read_id(group.get("id"), server, "group id")] = _text(group, "title", server)
    tags: dict[str, list[str]] = {}
    for link in groups.get("feeds_groups") or feeds.get("feeds_groups") or []:
        if not isinstance(link, dict):
            raise SyncError(f"{server}: a feeds_groups entry of the answer is not an object")
        title = titles.get(read_id(link.get("group_id"), server, "group id"), "")
        for feed_id in sorted(read_id_list(link.get("feed_ids"), server, "feed_ids")):
            if title and title not in tags.setdefault(feed_id, []):
                tags[feed_id].append(title)
    result = []
    for feed in member(feeds, "feeds", list, server):
        if not isinstance(feed, dict):
            raise SyncError(f"{server}: a feed of the answer is not an object")
        feed_id = read_id(feed.get("id"), server, "feed id")
        result.append(
            RemoteFeed(
                id=feed_id,
                title=_text(feed, "title", server),
                url=_text(feed, "url", server),
                site_url=_text(feed, "site_url", server),
                tags=tuple(tags.get(feed_id, ())),
            )
        )
    return result
