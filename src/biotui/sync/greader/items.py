"""Google Reader answers read into records: subscriptions into :class:`RemoteFeed`, a stream's
items into :class:`RemoteItem`, ``stream/items/ids`` into ids and a continuation.

An answer whose shape is wrong (a missing key, a wrong type) raises SyncError naming the
server; a single item the records cannot hold (no id, no feed) is left out, and an optional
field of a wrong type is read as absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from biotui.sync.backend import RemoteFeed, RemoteItem, SyncError
from biotui.sync.greader.ids import canonical_id, label_name, state_of

__all__ = ["ParsedItem", "ids_page", "items_of", "subscriptions"]


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """An item and when the server crawled it (milliseconds since the epoch; 0 unknown)."""

    item: RemoteItem
    crawled_ms: int


def _dict(value: Any, server: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SyncError(f"{server}: the {what} answer is not a JSON object")
    return value


def _list(answer: dict[str, Any], key: str, server: str, what: str) -> list[Any]:
    value = answer.get(key)
    if not isinstance(value, list):
        raise SyncError(f"{server}: the {what} answer has no list {key!r}")
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 20:
        return int(value)
    return 0


def continuation(answer: dict[str, Any]) -> str:
    """The answer's continuation ("" when the stream ends); numbers are read as text."""
    value = answer.get("continuation")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else ""


def subscriptions(answer: Any, server: str) -> list[RemoteFeed]:
    """``subscription/list?output=json`` as feeds, their categories as tags."""
    found: list[RemoteFeed] = []
    for entry in _list(
        _dict(answer, server, "subscription list"), "subscriptions", server, "subscription list"
    ):
        if not isinstance(entry, dict) or not _text(entry.get("id")):
            continue
        feed_id = entry["id"]
        url = _text(entry.get("url"))
        if not url and feed_id.startswith("feed/http"):
            url = feed_id[len("feed/") :]
        tags: list[str] = []
        categories = entry.get("categories")
        for category in categories if isinstance(categories, list) else ():
            if not isinstance(category, dict):
                continue
            name = _text(category.get("label")) or label_name(_text(category.get("id")))
            if name and name not in tags:
                tags.append(name)
        found.append(
            RemoteFeed(
                id=feed_id,
                title=_text(entry.get("title")) or url or feed_id,
                url=url,
                site_url=_text(entry.get("htmlUrl")),
                tags=tuple(tags),
            )
        )
    return found


def items_of(answer: Any, server: str) -> Iterator[ParsedItem]:
    """The items of a ``stream/contents`` or ``stream/items/contents`` answer."""
    for entry in _list(_dict(answer, server, "items"), "items", server, "items"):
        parsed = _item(entry)
        if parsed is not None:
            yield parsed


def _item(entry: Any) -> ParsedItem | None:
    if not isinstance(entry, dict):
        return None
    raw_id = _text(entry.get("id"))
    origin = entry.get("origin")
    feed_id = _text(origin.get("streamId")) if isinstance(origin, dict) else ""
    if not raw_id or not feed_id:
        return None
    categories = entry.get("categories")
    states = (
        {state_of(c) for c in categories if isinstance(c, str)}
        if isinstance(categories, list)
        else set()
    )
    published = _number(entry.get("published"))
    crawled = _number(entry.get("crawlTimeMsec")) or _number(entry.get("timestampUsec")) // 1000
    item = RemoteItem(
        id=canonical_id(raw_id),
        feed_id=feed_id,
        title=_text(entry.get("title")),
        html=_content(entry),
        url=_link(entry),
        author=_text(entry.get("author")),
        published=_when(published),
        read="read" in states,
        starred="starred" in states,
    )
    return ParsedItem(item, crawled or published * 1000)


def _content(entry: dict[str, Any]) -> str:
    for key in ("content", "summary"):
        block = entry.get(key)
        if isinstance(block, dict) and _text(block.get("content")):
            return _text(block.get("content"))
    return ""


def _link(entry: dict[str, Any]) -> str:
    for key in ("canonical", "alternate"):
        links = entry.get(key)
        if isinstance(links, list):
            for link in links:
                if isinstance(link, dict) and _text(link.get("href")):
                    return _text(link.get("href"))
    return ""


def _when(seconds: int) -> datetime | None:
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def ids_page(answer: Any, server: str) -> tuple[list[str], str]:
    """``stream/items/ids``: the ids as the server gave them, and the continuation."""
    page = _dict(answer, server, "item ids")
    # An empty stream may come without its list (as Google's did); any other shape is wrong.
    refs = (
        _list(page, "itemRefs", server, "item ids")
        if "itemRefs" in page or continuation(page)
        else []
    )
    ids: list[str] = []
    for ref in refs:
        if isinstance(ref, dict):
            value = ref.get("id")
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if isinstance(value, str) and value:
                ids.append(value)
    return ids, continuation(answer)
