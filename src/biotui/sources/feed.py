"""Feed bytes to articles: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by sniffing.

feedparser only ever sees bytes (a ``BytesIO``): given a string it would fetch URLs or open
paths itself. Its own HTML sanitizing and URI resolving are off; biotui sanitizes with nh3 in
:mod:`biotui.sanitize`. Entity declarations a feed makes are removed before parsing, never
expanded.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from biotui.errors import SourceError
from biotui.model import Article, article_id
from biotui.sanitize import (
    clean_text,
    html_to_markdown,
    html_to_text,
    limit_body,
    safe_link,
    text_to_markdown,
)

UNTITLED = "(untitled)"

_DOCTYPE_SUBSET = re.compile(rb"(<!DOCTYPE[^\[>]*?)\s*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY_DECL = re.compile(rb"<!ENTITY\b[^>]*>", re.IGNORECASE)
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*", re.DOTALL)
FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})
"""Root element names (lowercased) of RSS, Atom and RSS 1.0 documents."""
_SURVIVABLE = ("CharacterEncodingOverride", "NonXMLContentType", "CharacterEncodingUnknown")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DATE_KEYS = ("published_parsed", "updated_parsed", "created_parsed")


@dataclass(slots=True)
class FeedParseResult:
    """What one feed document gave: its articles, warnings about it, and its title."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str = ""


def strip_entity_declarations(data: bytes) -> tuple[bytes, bool]:
    """Remove DOCTYPE internal subsets and ``<!ENTITY`` declarations; say whether any were.

    Works on ASCII-compatible bytes; UTF-16/32 documents are re-encoded as UTF-8 first.
    """
    data = _to_ascii_compatible(data)
    stripped = _DOCTYPE_SUBSET.sub(rb"\1>", data)
    stripped = _ENTITY_DECL.sub(b"", stripped)
    return stripped, stripped != data


def _to_ascii_compatible(data: bytes) -> bytes:
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec, errors="replace")
            text = re.sub(r"^(<\?xml[^>]*?encoding=)([\"'])[^\"']*\2", r"\1\2utf-8\2", text)
            return text.encode("utf-8")
    return data


def root_element(data: bytes) -> str:
    """Return the name of the document's first element (after the prolog), or ``""``."""
    head = data[:65536].lstrip(b"\xef\xbb\xbf")
    match = _ROOT.match(head, _PROLOG.match(head).end())  # type: ignore[union-attr]
    return match.group(1).decode("ascii", "replace") if match else ""


def looks_like_json(data: bytes) -> bool:
    """Tell whether ``data`` starts like a JSON object (after a BOM and whitespace)."""
    return _to_ascii_compatible(data[:1024]).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_feed(
    data: bytes, feed: str, *, url: str = "", content_type: str | None = None
) -> FeedParseResult:
    """Parse feed ``data`` (RSS, Atom or JSON Feed) into the articles of feed ``feed``.

    ``url`` is where the bytes came from (the base for relative links); ``content_type`` the
    HTTP Content-Type, if any (it helps feedparser find the encoding; JSON Feed is recognised
    by its content, whatever the type says). Raises :class:`SourceError` when ``data`` is not
    a feed.
    """
    if not data.strip():
        raise SourceError("empty document")
    if looks_like_json(data):
        from biotui.sources.jsonfeed import parse_json_feed

        return parse_json_feed(data, feed, url=url)
    data, stripped = strip_entity_declarations(data)
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(
        io.BytesIO(data),
        sanitize_html=False,
        resolve_relative_uris=False,
        response_headers=headers,
    )
    result = FeedParseResult(warnings=["entity declarations removed"] if stripped else [])
    _check_bozo(parsed, data, result.warnings)
    channel = parsed.get("feed", {})
    result.title = _text_field(channel, "title")
    feed_link = safe_link(channel.get("link", ""), url) or safe_link(url)
    for index, entry in enumerate(parsed.get("entries", []), start=1):
        try:
            result.articles.append(_entry_article(entry, feed, result.title, feed_link))
        except Exception as exc:  # one bad entry must not lose the others
            reason = clean_text(f"{type(exc).__name__}: {exc}")
            result.warnings.append(f"entry {index} skipped: {reason}")
    if parsed.get("entries") and not result.articles:
        raise SourceError("no entry could be read")
    return result


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


def _text_field(mapping: Mapping[str, Any], key: str) -> str:
    """Return a feedparser text construct as clean plain text (HTML titles lose their tags)."""
    value = mapping.get(key)
    if not isinstance(value, str):
        return ""
    detail = mapping.get(f"{key}_detail") or {}
    if detail.get("type") in _HTML_TYPES:
        return html_to_text(value)
    return clean_text(value)


def utc_from_struct(value: Any) -> datetime | None:
    """Turn feedparser's UTC ``time.struct_time`` into an aware datetime, or ``None``."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _published(entry: Mapping[str, Any]) -> datetime | None:
    # Test with ``in``: feedparser's .get("updated") silently falls back to "published".
    for key in _DATE_KEYS:
        if key in entry:
            value = utc_from_struct(entry[key])
            if value is not None:
                return value
    return None


def _body(entry: Mapping[str, Any], base: str) -> str:
    """Return the entry's body as Markdown: the longest HTML content, else any, else summary."""
    contents = [c for c in entry.get("content", []) if isinstance(c.get("value"), str)]
    contents.sort(key=lambda c: (c.get("type") in _HTML_TYPES, len(c["value"])), reverse=True)
    if contents:
        value, kind = contents[0]["value"], contents[0].get("type")
    else:
        value = entry.get("summary", "")
        kind = (entry.get("summary_detail") or {}).get("type", "text/html")
    if not isinstance(value, str) or not value.strip():
        return ""
    return html_to_markdown(value, base) if kind in _HTML_TYPES else text_to_markdown(value)


def _author(entry: Mapping[str, Any]) -> str:
    names = [a.get("name", "") for a in entry.get("authors", []) if isinstance(a, Mapping)]
    names = [clean_text(n) for n in names if isinstance(n, str) and clean_text(n)]
    if names:
        return ", ".join(dict.fromkeys(names))
    author = entry.get("author")
    return clean_text(author) if isinstance(author, str) else ""


def _credits(entry: Mapping[str, Any]) -> tuple[str, ...]:
    credits = [c.get("content", "") for c in entry.get("media_credit", []) if isinstance(c, dict)]
    return tuple(dict.fromkeys(clean_text(c) for c in credits if isinstance(c, str) and c.strip()))


def make_guid(*parts: str) -> str:
    """Return a stable guid for an item that has neither id nor link: a hash of ``parts``."""
    return "sha256:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def fallback_title(body: str) -> str:
    """Return a title made from the start of a Markdown body, or ``(untitled)``."""
    text = clean_text(re.sub(r"\\(.)", r"\1", body))[:100]
    return text.rsplit(" ", 1)[0] + "…" if len(text) == 100 and " " in text else text or UNTITLED


def _entry_article(entry: Mapping[str, Any], feed: str, feed_title: str, feed_link: str) -> Article:
    link = safe_link(entry.get("link", ""), feed_link)
    base = link or feed_link
    title = _text_field(entry, "title")
    published = _published(entry)
    body, notes = limit_body(_body(entry, base))
    raw_id = entry.get("id")
    guid = clean_text(raw_id) if isinstance(raw_id, str) else ""
    guid = guid or link or make_guid(title, published.isoformat() if published else "", body)
    source = entry.get("source")
    source_title = _text_field(source, "title") if isinstance(source, Mapping) else ""
    return Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=title or fallback_title(body),
        link=link,
        author=_author(entry),
        published=published,
        source=source_title or feed_title,
        credits=_credits(entry),
        body=body,
        notes=notes,
    )
