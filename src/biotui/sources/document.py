"""An RSS or Atom document read into feedparser's record shape, by whichever parser reads it
fully: the fast parser when it can (see :mod:`biotui.sources.fastparse`), else feedparser.

Both parsers only ever see bytes: given a string they would fetch URLs (or feedparser open
paths) themselves. Their own HTML sanitizing and URI resolving are off; the readers sanitize
with nh3 (see :mod:`biotui.sources.sanitize`).
"""

from __future__ import annotations

import io
from typing import Any

from biotui.errors import SourceError
from biotui.plaintext import clean_text
from biotui.sources.fastparse import fast_parse
from biotui.sources.xmlguard import ENTITIES_REMOVED, root_element, strip_entity_declarations

_SURVIVABLE = ("CharacterEncodingOverride", "NonXMLContentType", "CharacterEncodingUnknown")
"""feedparser's complaints that say nothing was lost."""


def read_document(data: bytes, content_type: str | None, warnings: list[str]) -> dict[str, Any]:
    """Parse RSS or Atom ``data`` (entity declarations already removed) into feedparser's shape.

    The fast parser's records when it reads the document fully, else feedparser's. Problems
    that did not stop the parse are appended to ``warnings``. Raises :class:`SourceError` when
    the document is not a feed.
    """
    fast = fast_parse(data, content_type)
    if fast is not None:
        if fast["bozo_exception"]:
            warnings.append(f"read leniently: {clean_text(fast['bozo_exception'])}")
        return fast
    import feedparser  # only when the fast parser cannot read the document: slow to load

    headers = {"content-type": content_type} if content_type else None
    data, headers = _without_hidden_entities(data, headers, warnings)
    parsed: dict[str, Any] = feedparser.parse(
        io.BytesIO(data),
        sanitize_html=False,
        resolve_relative_uris=False,
        response_headers=headers,
    )
    _check_bozo(parsed, data, warnings)
    return parsed


def _without_hidden_entities(
    data: bytes, headers: dict[str, str] | None, warnings: list[str]
) -> tuple[bytes, dict[str, str] | None]:
    """``data`` and ``headers`` for feedparser, without entity declarations its decoding reveals.

    feedparser decodes the document as its HTTP charset or XML declaration says before its
    XML parser sees it: UTF-7, UTF-16 or UTF-32 without a byte order mark, EBCDIC, ... can
    hide declarations (even a quadratic blowup feedparser deems safe) from the byte patterns of
    :func:`strip_entity_declarations`. When the decoded text holds any, feedparser gets that
    text as UTF-8, declarations removed, and no headers (the bytes now say their encoding).
    """
    from feedparser.encodings import convert_to_utf8

    try:
        decoded = convert_to_utf8(dict(headers or {}), data, {})
    except Exception:  # feedparser would fail the same way and report it
        return data, headers
    stripped, changed = strip_entity_declarations(decoded)
    if not changed:
        return data, headers
    if ENTITIES_REMOVED not in warnings:
        warnings.append(ENTITIES_REMOVED)
    return stripped, None


def _check_bozo(parsed: Any, data: bytes, warnings: list[str]) -> None:
    """Turn feedparser's bozo flag into a warning, or a SourceError when nothing is a feed."""
    is_feed = bool(parsed.get("version")) or bool(parsed.get("entries"))
    exception = parsed.get("bozo_exception")
    reason = clean_text(f"{type(exception).__name__}: {exception}") if exception else ""
    if is_feed:
        if parsed.get("bozo") and exception is not None:
            kind = type(exception).__name__
            warnings.append(reason if kind in _SURVIVABLE else f"read leniently: {reason}")
        return
    root = root_element(data)
    if root.lower() in ("html", "xhtml"):
        raise SourceError("an HTML page, not a feed")
    if root.lower() in ("rss", "feed"):
        raise SourceError(f"unreadable feed: {reason}" if reason else "unreadable feed")
    if root:
        raise SourceError(f"not a feed: the document's root element is <{root}>")
    raise SourceError(f"not a feed: {reason}" if reason else "not a feed")
