"""Feed bytes to articles: RSS 0.9x/1.0/2.0 and Atom, JSON Feed by sniffing.

Two parsers read RSS and Atom. The fast path is feedparser-rs (compiled, about ten times
feedparser's speed); feedparser reads every document the fast path rejects, reads no entry
from, or reads fewer entries from than the document has ``<item>``/``<entry>`` elements, and
every document whose HTTP charset disagrees with its XML declaration (feedparser follows the
HTTP rules there). Both parsers' records go through the one mapping to :class:`Article` below.

Both only ever see bytes: given a string they would fetch URLs (or feedparser open paths)
themselves. Their own HTML sanitizing and URI resolving are off; biotui sanitizes with nh3 in
:mod:`biotui.sanitize`. Entity declarations a feed makes are removed before parsing, never
expanded.
"""

from __future__ import annotations

import hashlib
import html
import io
import pickle
import re
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from biotui import __version__
from biotui.errors import SourceError
from biotui.model import Article, article_id
from biotui.sanitize import (
    clean_text,
    html_to_markdown_all,
    html_to_text,
    limit_body,
    safe_link,
    text_to_markdown,
)

UNTITLED = "(untitled)"
CONVERT_TOGETHER = 64
"""Entries whose bodies are converted together (see :func:`html_to_markdown_all`): enough
for the gain, and a feed of 2,500 entries holds the sanitized HTML of 64 at a time only."""
ENTITIES_REMOVED = "entity declarations removed"

_DOCTYPE_SUBSET = re.compile(rb"(<!DOCTYPE[^\[<>]*+)\[.*?(?:\]\s*>|\Z)", re.IGNORECASE | re.DOTALL)
"""A DOCTYPE with an internal subset; one never closed runs to the end of the document.

Written so that every match attempt stops at the next ``<`` or succeeds: many unclosed
declarations cost linear time, not quadratic."""
_ENTITY_DECL = re.compile(rb"<!ENTITY\b[^>]*+(?:>|\Z)", re.IGNORECASE)
_DECLARATION = re.compile(rb"<!(?i:DOCTYPE|ENTITY)")
"""Where either pattern above could match (its literal start lets the search skip ahead)."""
_EXTERNAL_DTD = re.compile(rb"<!DOCTYPE\s+[^\s\[<>]++\s+(?:SYSTEM|PUBLIC)\b([^\[<>]*+)")
_KNOWN_DTDS = (b"netscape", b"rss-0.91", b"rss-0.92")
"""External DTDs of RSS 0.91/0.92, which old feeds carry as boilerplate: never a warning."""
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!(?i:DOCTYPE)[^>]*>|\s)*", re.DOTALL)
FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})
"""Root element names (lowercased) of RSS, Atom and RSS 1.0 documents."""
_SURVIVABLE = ("CharacterEncodingOverride", "NonXMLContentType", "CharacterEncodingUnknown")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DATE_KEYS = ("published_parsed", "updated_parsed", "created_parsed")
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
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
title, a media credit. Every one starts with a letter or ``_``: an end tag, a comment or CDATA
fails at its first character. The name before a ``:`` is matched possessively: a name without
one fails at once instead of being given back character by character. (Each saved a fifth to
a third of the pass.)"""
_ENTRY, _TITLE, _CREDIT = 2, 3, 4
_HTML_TYPE_ATTR = re.compile(rb"type\s*=\s*[\"'](?:html|text/html)[\"']")
_BASE64_MODE = re.compile(rb"mode\s*=\s*[\"']base64[\"']")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_UTF8_NAMES = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})

_fast_parser: Any
try:
    import feedparser_rs as _fast_parser
except ImportError:  # pragma: no cover - a platform without its wheel: feedparser reads all
    _fast_parser = None


@dataclass(slots=True)
class FeedParseResult:
    """What one feed document gave: its articles, warnings about it, and its title."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str = ""
    source_hashes: dict[str, str] = field(default_factory=dict)
    """The digest of the entry each article was read from, by article id, when ``known`` was
    given (see :func:`parse_feed`); articles whose entry has no id nor link have none."""
    skipped: int = 0
    """Entries not read because ``known`` said the store holds them unchanged."""


READER_VERSION = 1
"""Part of every entry digest, with biotui's version: a change to how entries become
articles that the version number does not show must bump it, so entries are read again."""


def strip_entity_declarations(data: bytes) -> tuple[bytes, bool]:
    """Remove DOCTYPE internal subsets and ``<!ENTITY`` declarations; say whether any were.

    Works on ASCII-compatible bytes; UTF-16/32 documents are re-encoded as UTF-8 first.
    """
    data = _to_ascii_compatible(data)
    if _DECLARATION.search(data) is None:  # a third of the time of the two patterns below
        return data, False
    stripped = _DOCTYPE_SUBSET.sub(lambda match: match.group(1).rstrip() + b">", data)
    stripped = _ENTITY_DECL.sub(b"", stripped)
    return stripped, stripped != data


def has_external_dtd(data: bytes) -> bool:
    """Whether the document names an external DTD (never fetched) other than RSS 0.91's."""
    if data.find(b"<!DOCTYPE", 0, 65536) == -1:
        return False
    match = _EXTERNAL_DTD.search(data[:65536])
    return match is not None and not any(known in match.group(1).lower() for known in _KNOWN_DTDS)


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
    data: bytes,
    feed: str,
    *,
    url: str = "",
    content_type: str | None = None,
    known: Collection[str] | None = None,
) -> FeedParseResult:
    """Parse feed ``data`` (RSS, Atom or JSON Feed) into the articles of feed ``feed``.

    ``url`` is where the bytes came from (the base for relative links); ``content_type`` the
    HTTP Content-Type, if any (it helps find the encoding; JSON Feed is recognised by its
    content, whatever the type says). Raises :class:`SourceError` when ``data`` is not a feed.

    With ``known`` (the entry digests stored for this feed), an RSS or Atom entry whose digest
    (its parsed record, the feed's title and link, this reader's version) is among them is
    skipped: its article is stored already, as this entry would make it. Most of the cost of
    an entry is converting its body, and a server that ignores conditional requests sends
    every entry again at every refresh.
    """
    if not data.strip():
        raise SourceError("empty document")
    if looks_like_json(data):
        from biotui.sources.jsonfeed import parse_json_feed

        return parse_json_feed(data, feed, url=url)
    data, stripped = strip_entity_declarations(data)
    result = FeedParseResult(warnings=[ENTITIES_REMOVED] if stripped else [])
    if has_external_dtd(data):
        result.warnings.append("external DTD not fetched")
    parsed = read_document(data, content_type, result.warnings)
    channel = _get(parsed, "feed")
    result.title = _text_field(channel, "title")
    feed_link = safe_link(_text(channel, "link"), url) or safe_link(url)
    entries = _get(parsed, "entries") or []
    links = [_entry_link(entry, feed_link) for entry in entries]
    # Digests only for a caller that stores them (a refresh): nobody else pays for them.
    identities = (
        _identities(entries, links, feed, result.title, feed_link)
        if known is not None
        else [None] * len(entries)
    )
    todo = [
        (index, entry, link, identity)
        for index, (entry, link, identity) in enumerate(
            zip(entries, links, identities, strict=True), start=1
        )
        if identity is None or known is None or identity[1] not in known
    ]
    result.skipped = len(entries) - len(todo)
    for start in range(0, len(todo), CONVERT_TOGETHER):
        chunk = todo[start : start + CONVERT_TOGETHER]
        bodies = _bodies([(entry, link) for _, entry, link, _ in chunk], feed_link)
        for (index, entry, link, identity), body in zip(chunk, bodies, strict=True):
            try:
                if isinstance(body, Exception):
                    raise body
                assert isinstance(link, str)  # a link that raised made its body that error
                known_id = identity[0] if identity is not None else None
                article = _entry_article(entry, feed, result.title, link, body, known_id)
            except Exception as exc:  # one bad entry must not lose the others
                reason = clean_text(f"{type(exc).__name__}: {exc}")
                result.warnings.append(f"entry {index} skipped: {reason}")
                continue
            result.articles.append(article)
            if identity is not None:
                result.source_hashes[article.id] = identity[1]
    if entries and not result.articles and not result.skipped:
        raise SourceError("no entry could be read")
    return result


def _entry_link(entry: Any, feed_link: str) -> str | Exception:
    """The entry's link made safe (relative to ``feed_link``), or what that raised."""
    try:
        return safe_link(_text(entry, "link"), feed_link)
    except Exception as exc:  # the entry is skipped with this reason when it is read
        return exc


def _identities(
    entries: list[Any],
    links: list[str | Exception],
    feed: str,
    feed_title: str,
    feed_link: str,
) -> list[tuple[str, str] | None]:
    """Each entry's article id and digest (given its link, see :func:`_entry_link`), or None
    when its id needs its body read (it has neither id nor link), its link could not be read,
    or another entry has the same id (the last one must win)."""
    found: list[tuple[str, str] | None] = []
    for entry, link in zip(entries, links, strict=True):
        try:
            guid = "" if isinstance(link, Exception) else _entry_guid(entry, link)
            # pickle, not JSON: a third of the cost, and as faithful (two different records
            # never give the same bytes; a record given twice may differ, which only means
            # it is read again).
            record = pickle.dumps(
                [READER_VERSION, __version__, feed, feed_title, feed_link, entry],
                protocol=5,
            )
        except Exception:  # an odd record is read the ordinary way
            guid = ""
        if not guid:
            found.append(None)
            continue
        # SHA-256: processors compute it in hardware, two thirds of BLAKE2b's time here.
        digest = hashlib.sha256(record).hexdigest()[:32]
        found.append((article_id(feed, guid), digest))
    counts = Counter(i[0] for i in found if i is not None)
    return [None if i is None or counts[i[0]] > 1 else i for i in found]


def read_document(data: bytes, content_type: str | None, warnings: list[str]) -> dict[str, Any]:
    """Parse RSS or Atom ``data`` (entity declarations already removed) into feedparser's shape.

    The fast parser's records when it reads the document fully (see :func:`fast_parse`), else
    feedparser's. Problems that did not stop the parse are appended to ``warnings``. Raises
    :class:`SourceError` when the document is not a feed.
    """
    fast = fast_parse(data, content_type)
    if fast is not None:
        if fast["bozo_exception"]:
            warnings.append(f"read leniently: {clean_text(fast['bozo_exception'])}")
        return fast
    import feedparser  # only when the fast parser cannot read the document: 60 ms to load

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


def fast_parse(data: bytes, content_type: str | None = None) -> dict[str, Any] | None:
    """Parse ``data`` with the fast parser into feedparser's shape; None to use feedparser.

    None whenever the fast parser could read the document worse than feedparser: see
    :func:`_needs_feedparser` for what the bytes alone tell, and none when the document has
    an empty element that should hold text (written ``<x/>``, the fast parser lets it swallow
    the next field of an entry), or the fast parser reads no entry, fewer entries than the
    document has item or entry start tags, or fewer media credits than it has credit tags
    (counts that may overshoot, e.g. tags inside CDATA: that only costs a slower parse).
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
    tags, counted in one pass; None at the first empty element that should hold text.

    One pattern for all (see :data:`_MARKS`): a pass with a pattern of its own for each took
    twice as long, most of it trying every pattern at every ``<``.
    """
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
    if not data.isascii():  # ASCII is UTF-8; the check is a tenth of decoding
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
    # The literal first: finding it is a quarter of the pattern's search.
    return b"base64" in data and _BASE64_MODE.search(data) is not None


def _fast_entry(entry: Any, *, atom: bool, plain_atom: bool) -> dict[str, Any]:
    """One fast-parser entry in feedparser's shape, with the fast parser's known slips mended.

    Atom ``href`` values keep their XML character references (``&amp;``): decoded here. An
    Atom text construct without a type is plain text (the fast parser says HTML) when the
    document marks nothing as HTML. Dates the fast parser could not read go through
    feedparser's date parser; they are kept as tuples of ``struct_time``'s fields.

    Only what the mapping to :class:`Article` reads is taken (each field read from the fast
    parser is a new Python object): no summary when the entry has content, and only the
    first of its dates in the order the mapping looks for one. So the entry's digest also
    changes only when its article may.
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
                    value = _parse_date(text)
            if value is not None:
                record[key] = when = tuple(value)  # a struct_time pickles 5 times slower
                if utc_from_struct(when) is not None:
                    return record  # the date the mapping takes: no later one is read
                break
    return record


_FAST_DATES = (
    ("published_parsed", (("published_parsed", "published"),)),
    ("updated_parsed", (("updated_parsed", "updated"), ("dc_date_parsed", "dc_date"))),
    ("created_parsed", (("created_parsed", "created"),)),
)
"""Where feedparser's date fields come from in a fast-parser entry (``dc:date`` included)."""


def _fast_link(entry: Any, atom: bool) -> str:
    """The entry's link: its first alternate HTML link (Atom hrefs decoded), else ``link``."""
    link = entry.link if isinstance(entry.link, str) else ""
    if not atom:
        return link
    for candidate in entry.links or ():
        rel, kind = candidate.rel or "alternate", candidate.type
        if rel == "alternate" and kind in (None, *_HTML_TYPES) and candidate.href:
            return html.unescape(str(candidate.href))
    return html.unescape(link)


def _detail(detail: Any, plain_atom: bool) -> dict[str, Any] | None:
    return None if detail is None else {"type": _type(detail.type, plain_atom)}


def _type(kind: Any, plain_atom: bool) -> Any:
    return "text/plain" if plain_atom and kind == "text/html" else kind


def _parse_date(text: str) -> time.struct_time | None:
    """feedparser's lenient date parser (RFC 822, W3C-DTF and many odd forms), UTC."""
    from feedparser.datetimes import _parse_date as parse_date

    try:
        value = parse_date(text)
    except Exception:  # a date too odd even for feedparser
        return None
    return value if isinstance(value, time.struct_time) else None


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


def _get(record: Any, key: str) -> Any:
    """One field of a record in feedparser's shape, None when absent.

    Read raw: feedparser's own ``get`` maps ``updated`` to ``published`` and the like.
    """
    return dict.get(record, key) if isinstance(record, dict) else None


def _text(record: Any, key: str) -> str:
    """A field that should be a string, or ``""``."""
    value = _get(record, key)
    return value if isinstance(value, str) else ""


def _text_field(record: Any, key: str) -> str:
    """Return a text construct as clean plain text (HTML titles lose their tags)."""
    value = _get(record, key)
    if not isinstance(value, str):
        return ""
    if _get(_get(record, f"{key}_detail"), "type") in _HTML_TYPES:
        return html_to_text(value)
    return clean_text(value)


def utc_from_struct(value: Any) -> datetime | None:
    """Turn a parser's UTC ``time.struct_time`` (or a tuple of its fields, as the fast path
    gives) into an aware datetime, or ``None``."""
    if not isinstance(value, tuple) or len(value) < 6:
        return None
    year, month, day, hour, minute, second = value[:6]
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (ValueError, OverflowError, TypeError):
        return None


def _published(entry: Any) -> datetime | None:
    for key in _DATE_KEYS:
        value = utc_from_struct(_get(entry, key))
        if value is not None:
            return value
    return None


def _bodies(entries: list[tuple[Any, str | Exception]], feed_link: str) -> list[str | Exception]:
    """The body as Markdown (see :func:`_body_source`) of each ``(entry, link)``, or what
    reading it raised (the link's own error included, see :func:`_entry_link`).

    The HTML bodies are converted together (see :func:`html_to_markdown_all`), each relative
    to its entry's link, else to ``feed_link``."""
    bodies: list[str | Exception] = []
    html: dict[int, tuple[str, str]] = {}  # by position: the HTML bodies, and their bases
    for entry, link in entries:
        body: str | Exception
        try:
            if isinstance(link, Exception):
                raise link
            value, is_html = _body_source(entry)
            if is_html:
                html[len(bodies)] = (value, link or feed_link)
            body = text_to_markdown(value) if value and not is_html else ""
        except Exception as exc:
            body = exc
        bodies.append(body)
    for at, markdown in zip(html, html_to_markdown_all(list(html.values())), strict=True):
        bodies[at] = markdown
    return bodies


def _body_source(entry: Any) -> tuple[str, bool]:
    """The entry's body and whether it is HTML: the longest HTML content, else any, else the
    summary; ``""`` when it has none."""
    contents = [
        (_get(c, "type") in _HTML_TYPES, value, _get(c, "type"))
        for c in _get(entry, "content") or ()
        if isinstance(value := _get(c, "value"), str)
    ]
    if contents:
        _, value, kind = max(contents, key=lambda c: (c[0], len(c[1])))
    else:
        value = _get(entry, "summary")
        kind = _get(_get(entry, "summary_detail"), "type") or "text/html"
    if not isinstance(value, str) or not value.strip():
        return "", False
    return value, kind in _HTML_TYPES


def _author(entry: Any) -> str:
    names = [_get(a, "name") for a in _get(entry, "authors") or ()]
    names = [name for n in names if isinstance(n, str) and (name := clean_text(n))]
    if names:
        return ", ".join(dict.fromkeys(names))
    return clean_text(_text(entry, "author"))


def _credits(entry: Any) -> tuple[str, ...]:
    credits = [_get(c, "content") for c in _get(entry, "media_credit") or ()]
    return tuple(dict.fromkeys(clean_text(c) for c in credits if isinstance(c, str) and c.strip()))


def _entry_guid(entry: Any, link: str) -> str:
    """The entry's id, else its link (already made safe); ``""`` when it has neither."""
    return clean_text(_text(entry, "id")) or link


def make_guid(*parts: str) -> str:
    """Return a stable guid for an item that has neither id nor link: a hash of ``parts``."""
    return "sha256:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def fallback_title(body: str) -> str:
    """Return a title made from the start of a Markdown body, or ``(untitled)``."""
    text = clean_text(re.sub(r"\\(.)", r"\1", body))[:100]
    return text.rsplit(" ", 1)[0] + "…" if len(text) == 100 and " " in text else text or UNTITLED


def _entry_article(
    entry: Any,
    feed: str,
    feed_title: str,
    link: str,
    body: str,
    known_id: str | None = None,
) -> Article:
    """The one mapping from a parser's entry record (either parser's) to an :class:`Article`,
    given the entry's link and its body as Markdown (see :func:`_bodies`), and the
    article id :func:`_identities` found for it, if any (not hashed again)."""
    title = _text_field(entry, "title")
    published = _published(entry)
    body, notes = limit_body(body)
    guid = _entry_guid(entry, link)
    guid = guid or make_guid(title, published.isoformat() if published else "", body)
    source = _get(entry, "source")
    source_title = _text_field(source, "title") if source is not None else ""
    return Article(
        id=known_id or article_id(feed, guid),
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
