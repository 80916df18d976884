"""OPML 1.0 and 2.0 read into feeds: nested folders become tags, one per level.

Parsed with expat, which never fetches anything; every entity declaration (the way to a
billion laughs or an XXE) stops the parse, and an undeclared entity is never expanded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from biotui.feedlist.model import FeedList, FeedListError, ImportedFeed, Skipped
from biotui.feedlist.urls import check_url
from biotui.plaintext import clean_text

_FEED_URL_ATTRIBUTE = "xmlurl"
_NAME_LIMIT = 200


class _Refused(Exception):
    """The document declares an entity: the parse stops."""


@dataclass
class _Outline:
    label: str
    is_feed: bool
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
        if tag != "outline":
            return
        if self.stack:
            self.stack[-1].has_children = True
        attrs = {key.lower(): value for key, value in attributes.items()}
        label = _label(attrs)
        raw_url = attrs.get(_FEED_URL_ATTRIBUTE, "").strip()
        self.stack.append(_Outline(label=label, is_feed=bool(raw_url)))
        if raw_url:
            self._feed(label, raw_url)

    def end(self, tag: str) -> None:
        if tag != "outline" or not self.stack:
            return
        outline = self.stack.pop()
        if not outline.is_feed and not outline.has_children:
            self.skipped.append(Skipped(f'"{outline.label or "(untitled)"}": no feed URL'))

    def _feed(self, label: str, raw_url: str) -> None:
        checked = check_url(raw_url)
        if not checked.url:
            self.skipped.append(Skipped(f'"{label or "(untitled)"}": {checked.problem}'))
            return
        tags = tuple(o.label for o in self.stack[:-1] if not o.is_feed and o.label)
        note = "credentials in its URL left out" if checked.had_credentials else ""
        name = label or checked.host
        self.feeds.append(ImportedFeed(name=name, url=checked.url, tags=_unique(tags), note=note))


def _label(attrs: dict[str, str]) -> str:
    for key in ("title", "text"):
        value = clean_text(attrs.get(key, ""))
        if value:
            return value[:_NAME_LIMIT]
    return ""


def _unique(tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tags))


def read_opml(data: bytes, source: str) -> FeedList:
    """Read an OPML document; raise FeedListError (one line naming ``source``) if it is not."""
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
    except FeedListError as exc:
        raise FeedListError(f"{source}: {exc}") from None
    return FeedList(format="opml", feeds=tuple(reader.feeds), skipped=tuple(reader.skipped))
