"""OPML 1.0 and 2.0 read into feeds: nested folders become tags, one per level.

Parsed with expat, which never fetches anything; every entity declaration (the way to a
billion laughs or an XXE) stops the parse, and an undeclared entity is never expanded.
An outline's ``category`` paths (OPML 2.0) give tags too, one per level, like folders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from biotui.feedlist.model import FeedList, FeedListError, ImportedFeed, Skipped
from biotui.feedlist.urls import check_url
from biotui.plaintext import clean_text

_FEED_URL_ATTRIBUTE = "xmlurl"
_NAME_LIMIT = 200
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DECLARED_ENCODING = re.compile(
    rb"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._-]{1,40})[\"']"
)
_LIST_TYPES = ("source",)
"""Outline types that point at another subscription list (Liferea), not at a feed."""


class _Refused(Exception):
    """The document declares an entity: the parse stops."""


@dataclass
class _Outline:
    label: str
    is_feed: bool
    why: str = "no feed URL"
    has_children: bool = False


@dataclass
class _Reader:
    feeds: list[ImportedFeed] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    stack: list[_Outline] = field(default_factory=list)
    root: str | None = None

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if self.root is None:
            self.root = tag
            if tag.lower() != "opml":
                raise FeedListError(f"not OPML (its root element is <{clean_text(tag)[:40]}>)")
            return
        if tag.lower() != "outline":
            return
        if self.stack:
            self.stack[-1].has_children = True
        attrs = {key.lower(): value for key, value in attributes.items()}
        label = _label(attrs)
        raw_url = attrs.get(_FEED_URL_ATTRIBUTE, "").strip()
        kind = attrs.get("type", "").strip().lower()
        outline = _Outline(label=label, is_feed=bool(raw_url), why=_why_no_feed(attrs))
        self.stack.append(outline)
        if raw_url and kind in _LIST_TYPES:
            self.skipped.append(
                Skipped(f'"{label or "(untitled)"}": a subscription list, not a feed')
            )
        elif raw_url:
            self._feed(label, raw_url, _categories(attrs.get("category", "")))

    def end(self, tag: str) -> None:
        if tag.lower() != "outline" or not self.stack:
            return
        outline = self.stack.pop()
        if not outline.is_feed and not outline.has_children:
            self.skipped.append(Skipped(f'"{outline.label or "(untitled)"}": {outline.why}'))

    def _feed(self, label: str, raw_url: str, categories: tuple[str, ...]) -> None:
        checked = check_url(raw_url)
        if not checked.url:
            self.skipped.append(Skipped(f'"{label or "(untitled)"}": {checked.problem}'))
            return
        folders = tuple(o.label for o in self.stack[:-1] if not o.is_feed and o.label)
        note = "credentials in its URL left out" if checked.had_credentials else ""
        name = label or checked.host
        tags = _unique(folders + categories)
        self.feeds.append(ImportedFeed(name=name, url=checked.url, tags=tags, note=note))


def _why_no_feed(attrs: dict[str, str]) -> str:
    """The reason an outline without children and without a feed URL is skipped."""
    kind = attrs.get("type", "").strip().lower()
    if kind in ("include", "link") and attrs.get("url", "").strip():
        return f"no feed URL (type {kind}: a link to another list or page)"
    if attrs.get("htmlurl", "").strip():
        return "no feed URL, only a web page (htmlUrl; biotui add can look for its feed)"
    return "no feed URL"


def _categories(value: str) -> tuple[str, ...]:
    """Tags from an OPML 2.0 ``category``: comma-separated paths, each level one tag.

    ``"/Science/Biotech,/Work"`` gives Science, Biotech and Work; empty levels and items
    (stray slashes and commas) give nothing.
    """
    tags: list[str] = []
    for item in value.split(","):
        for level in item.split("/"):
            tag = clean_text(level)[:_NAME_LIMIT]
            if tag:
                tags.append(tag)
    return tuple(tags)


def _label(attrs: dict[str, str]) -> str:
    for key in ("title", "text"):
        value = clean_text(attrs.get(key, ""))
        if value:
            return value[:_NAME_LIMIT]
    return ""


def _unique(tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tags))


def read_opml(data: bytes, source: str) -> FeedList:
    """Read an OPML document; raise FeedListError (one line naming ``source``) if it is not.

    Blank lines before the XML declaration are tolerated. Expat reads UTF-8, UTF-16 and
    single-byte encodings itself; a multi-byte one it cannot (Shift JIS, Big5, GB2312...)
    is decoded here from the encoding the prolog declares.
    """
    data = _trim_start(data)
    try:
        return _parse(data, source)
    except ValueError:
        encoding = _declared_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise FeedListError(
            f"{source}: not valid {encoding}, as its XML declaration says"
        ) from None
    return _parse(text, source)


def _trim_start(data: bytes) -> bytes:
    """``data`` without a UTF-8 byte order mark and blank space before the first ``<``."""
    if data.startswith(_UTF16_BOMS) or b"\0" in data[:4]:
        return data
    return data.removeprefix(_UTF8_BOM).lstrip(b" \t\r\n")


def _declared_encoding(data: bytes) -> str:
    match = _DECLARED_ENCODING.match(data)
    return match.group(1).decode("ascii") if match else "utf-8"


def _parse(data: bytes | str, source: str) -> FeedList:
    reader = _Reader()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args: object) -> None:
        raise _Refused

    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = lambda *_args: 0  # never fetched: a parse error
    try:
        parser.Parse(data, True)
    except _Refused:
        raise FeedListError(
            f"{source}: declares XML entities, which biotui never expands"
        ) from None
    except expat.ExpatError as exc:
        raise FeedListError(
            f"{source}: not well-formed XML ({expat.errors.messages[exc.code]}, line {exc.lineno})"
        ) from None
    except LookupError:
        shown = clean_text(_declared_encoding(data) if isinstance(data, bytes) else "")
        raise FeedListError(
            f"{source}: declares an encoding biotui does not know ({shown})"
        ) from None
    except FeedListError as exc:
        raise FeedListError(f"{source}: {exc}") from None
    return FeedList(format="opml", feeds=tuple(reader.feeds), skipped=tuple(reader.skipped))
