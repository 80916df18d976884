"""The fast path for RSS and Atom: feedparser-rs, its records put in feedparser's shape.

feedparser-rs is compiled and reads most feeds far faster than feedparser. It reads some
documents worse, though: :func:`fast_parse` says ``None`` for those, and feedparser reads them
(see :mod:`biotui.sources.document`). Its records are mended where it is known to slip, so
that one mapping reads either parser's records.
"""

from __future__ import annotations

import html
import re
from typing import Any

from biotui.sources.dates import parse_feed_date, utc_from_struct
from biotui.sources.entries import HTML_TYPES

_fast_parser: Any
try:
    import feedparser_rs as _fast_parser
except ImportError:  # pragma: no cover - a platform without its wheel: feedparser reads all
    _fast_parser = None

_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_UTF8_NAMES = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_HTML_TYPE_ATTR = re.compile(rb"type\s*=\s*[\"'](?:html|text/html)[\"']")
_BASE64_MODE = re.compile(rb"mode\s*=\s*[\"']base64[\"']")
_EMPTY_TEXT_NAMES = (
    rb"author|category|comments|content|creator|description|encoded|guid|id|link|name|pubDate|"
    rb"published|subject|summary|title|updated"
)
_MARKS = re.compile(
    rb"<(?=[A-Za-z_])(?:[A-Za-z_][\w.-]*+(:))?(?:"
    rb"(?:" + _EMPTY_TEXT_NAMES + rb")\s*+/>"
    rb"|(item|entry)[\s>/]"
    rb"|(title)[\s>]"
    rb"|(credit)[\s>]"
    rb")"
)
"""The start tags :func:`_tag_counts` counts, found in one pass (group 1: a namespace
prefix was there): an empty element that should hold text, an RSS item or Atom entry, a
title, a media credit. Every one starts with a letter or ``_``, so an end tag, a comment or
CDATA fails at its first character, and the name before a ``:`` is matched possessively, so a
name without one fails at once."""
_ENTRY, _TITLE, _CREDIT = 2, 3, 4
_FAST_DATES = (
    ("published_parsed", (("published_parsed", "published"),)),
    ("updated_parsed", (("updated_parsed", "updated"), ("dc_date_parsed", "dc_date"))),
    ("created_parsed", (("created_parsed", "created"),)),
)
"""Where feedparser's date fields come from in a fast-parser entry (``dc:date`` included)."""


def fast_parse(data: bytes, content_type: str | None = None) -> dict[str, Any] | None:
    """Parse ``data`` with the fast parser into feedparser's shape; None to use feedparser.

    None whenever the fast parser could read the document worse than feedparser: see
    :func:`_needs_feedparser` for what the bytes alone tell, and none when the document has
    an empty element that should hold text (written ``<x/>``, the fast parser lets it swallow
    the next field of an entry), or the fast parser reads no entry, fewer entries than the
    document has item or entry start tags, or fewer media credits than it has credit tags
    (counts that may overshoot, e.g. tags inside CDATA: that only costs a slower parse), or an
    entry link it left empty (it drops links to private and loopback addresses, which an
    intranet's feed has).
    """
    if _fast_parser is None or _needs_feedparser(data, content_type):
        return None
    counts = _tag_counts(data)
    if counts is None:
        return None
    entry_tags, title_tags, credit_tags = counts
    try:
        parsed = _fast_parser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        entries = parsed.entries
        if not entries or len(entries) < entry_tags:
            return None
        if title_tags > len(entries) + 2:
            return None  # titles nested in other elements: the fast parser may take theirs
        if any(not link.href for entry in entries for link in entry.links or ()):
            return None  # a link it refused (one to a private or loopback address) or an empty one
        atom = str(parsed.version or "").startswith("atom")
        plain_atom = atom and _HTML_TYPE_ATTR.search(data) is None
        records = [_fast_entry(entry, atom=atom, plain_atom=plain_atom) for entry in entries]
        if credit_tags and sum(len(r["media_credit"]) for r in records) < credit_tags:
            return None
        channel = parsed.feed
        return {
            "feed": {
                "title": channel.title,
                "title_detail": _detail(channel.title_detail, plain_atom),
                "link": channel.link,
            },
            "entries": records,
            "bozo_exception": str(parsed.bozo_exception or "") if parsed.bozo else "",
        }
    except Exception:  # whatever the fast parser dislikes or gives oddly, feedparser reads
        return None


def _tag_counts(data: bytes) -> tuple[int, int, int] | None:
    """The document's item and entry start tags, unprefixed title tags and prefixed credit
    tags, counted in one pass with one pattern (see :data:`_MARKS`); None at the first empty
    element that should hold text."""
    entries = titles = credits = 0
    for match in _MARKS.finditer(data):
        kind = match.lastindex
        if kind == _ENTRY:
            entries += 1
        elif kind == _TITLE:
            titles += match.start(1) == -1
        elif kind == _CREDIT:
            credits += match.start(1) != -1
        else:  # no group but the prefix's: the empty element
            return None
    return entries, titles, credits


def _needs_feedparser(data: bytes, content_type: str | None) -> bool:
    """What the bytes alone say the fast parser reads worse than feedparser.

    Documents that are not UTF-8 or declare another encoding (feedparser detects and converts
    encodings; the fast parser replaces what is not UTF-8), an HTTP charset that names another
    encoding than the document, and base64 Atom 0.3 content.
    """
    declared = _XML_ENCODING.match(data[:512])
    if declared is not None and declared.group(1).decode("ascii").lower() not in _UTF8_NAMES:
        return True
    if _charset_conflict(data, content_type):
        return True
    if not data.isascii():  # ASCII is UTF-8, and far quicker to tell
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
    return b"base64" in data and _BASE64_MODE.search(data) is not None


def _charset_conflict(data: bytes, content_type: str | None) -> bool:
    """Whether an HTTP charset names another encoding than the document declares."""
    if not content_type:
        return False
    given = _CHARSET.search(content_type)
    if given is None:
        return False
    declared = _XML_ENCODING.match(data[:512])
    declared_name = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    given_name = given.group(1).lower()
    if given_name in _UTF8_NAMES and declared_name in _UTF8_NAMES:
        return False
    return given_name != declared_name


def _fast_entry(entry: Any, *, atom: bool, plain_atom: bool) -> dict[str, Any]:
    """One fast-parser entry in feedparser's shape, with the fast parser's known slips mended.

    Atom ``href`` values keep their XML character references (``&amp;``): decoded here. An
    Atom text construct without a type is plain text (the fast parser says HTML) when the
    document marks nothing as HTML. Dates the fast parser could not read are read by
    :func:`parse_feed_date`; dates are kept as tuples of ``struct_time``'s fields.

    Only what the mapping to an article reads is taken: no summary when the entry has content,
    and only the first of its dates in the order the mapping looks for one. So the entry's
    digest also changes only when its article may.
    """
    content = [{"type": _type(c.type, plain_atom), "value": c.value} for c in entry.content or ()]
    record: dict[str, Any] = {
        "title": entry.title,
        "title_detail": _detail(entry.title_detail, plain_atom),
        "link": _fast_link(entry, atom),
        "id": entry.id,
        "content": content,
        "authors": [{"name": person.name} for person in entry.authors or ()],
        "author": entry.author,
        "media_credit": [{"content": credit.content} for credit in entry.media_credit or ()],
    }
    if not content:
        record["summary"] = entry.summary
        record["summary_detail"] = _detail(entry.summary_detail, plain_atom)
    source = entry.source
    if source is not None:
        record["source"] = {"title": source.title}
    for key, fields in _FAST_DATES:
        for parsed_key, text_key in fields:
            value = getattr(entry, parsed_key, None)
            if value is None:
                text = getattr(entry, text_key, None)
                if isinstance(text, str) and text.strip():
                    value = parse_feed_date(text)
            if value is not None:
                record[key] = when = tuple(value)
                if utc_from_struct(when) is not None:
                    return record  # the date the mapping takes: no later one is read
                break
    return record


def _fast_link(entry: Any, atom: bool) -> str:
    """The entry's link: its first alternate HTML link (Atom hrefs decoded), else ``link``."""
    link = entry.link if isinstance(entry.link, str) else ""
    if not atom:
        return link
    for candidate in entry.links or ():
        rel, kind = candidate.rel or "alternate", candidate.type
        if rel == "alternate" and kind in (None, *HTML_TYPES) and candidate.href:
            return html.unescape(str(candidate.href))
    return html.unescape(link)


def _detail(detail: Any, plain_atom: bool) -> dict[str, Any] | None:
    return None if detail is None else {"type": _type(detail.type, plain_atom)}


def _type(kind: Any, plain_atom: bool) -> Any:
    return "text/plain" if plain_atom and kind == "text/html" else kind
