"""RSS and Atom entries to articles: the one mapping from either parser's records (both in
feedparser's shape) to :class:`Article`, and the digest that tells an entry already stored."""

from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from datetime import datetime
from typing import Any

from biotui import __version__
from biotui.model import Article, article_id
from biotui.plaintext import clean_text
from biotui.sources.body import html_to_markdown
from biotui.sources.dates import utc_from_struct
from biotui.sources.markup import limit_body, text_to_markdown
from biotui.sources.sanitize import html_to_text, safe_link
from biotui.sources.titles import fallback_title, make_guid

HTML_TYPES = ("text/html", "application/xhtml+xml")
"""The content types of a text construct that holds HTML."""
_DATE_KEYS = ("published_parsed", "updated_parsed", "created_parsed")

READER_VERSION = 1
"""Part of every entry digest, with biotui's version: a change to how entries become
articles that the version number does not show must bump it, so entries are read again."""

Identity = tuple[str, str]
"""An entry's article id and its digest."""


def get(record: Any, key: str) -> Any:
    """One field of a record in feedparser's shape, None when absent.

    Read raw: feedparser's own ``get`` maps ``updated`` to ``published`` and the like.
    """
    return dict.get(record, key) if isinstance(record, dict) else None


def text(record: Any, key: str) -> str:
    """A field that should be a string, or ``""``."""
    value = get(record, key)
    return value if isinstance(value, str) else ""


def text_field(record: Any, key: str) -> str:
    """Return a text construct as clean plain text (HTML titles lose their tags)."""
    value = get(record, key)
    if not isinstance(value, str):
        return ""
    if get(get(record, f"{key}_detail"), "type") in HTML_TYPES:
        return html_to_text(value)
    return clean_text(value)


def entry_link(entry: Any, feed_link: str) -> str | Exception:
    """The entry's link made safe (relative to ``feed_link``), or what that raised."""
    try:
        return safe_link(text(entry, "link"), feed_link)
    except Exception as exc:  # the entry is skipped with this reason when it is read
        return exc


def entry_guid(entry: Any, link: str) -> str:
    """The entry's id, else its link (already made safe); ``""`` when it has neither."""
    return clean_text(text(entry, "id")) or link


def identities(
    entries: list[Any],
    links: list[str | Exception],
    feed: str,
    feed_title: str,
    feed_link: str,
) -> list[Identity | None]:
    """Each entry's article id and digest (given its link, see :func:`entry_link`), or None
    when its id needs its body read (it has neither id nor link), its link could not be read,
    or another entry has the same id (the last one must win).

    The digest covers the parsed record, the feed's name, title and link, and this reader's
    version. The record is pickled: two different records never give the same bytes, and a
    record that gives other bytes another time is only read again.
    """
    found: list[Identity | None] = []
    for entry, link in zip(entries, links, strict=True):
        try:
            guid = "" if isinstance(link, Exception) else entry_guid(entry, link)
            record = pickle.dumps(
                [READER_VERSION, __version__, feed, feed_title, feed_link, entry],
                protocol=5,
            )
        except Exception:  # an odd record is read the ordinary way
            guid = ""
        if not guid:
            found.append(None)
            continue
        digest = hashlib.sha256(record).hexdigest()[:32]
        found.append((article_id(feed, guid), digest))
    counts = Counter(i[0] for i in found if i is not None)
    return [None if i is None or counts[i[0]] > 1 else i for i in found]


def body_source(entry: Any) -> tuple[str, bool]:
    """The entry's body and whether it is HTML: the longest HTML content, else any, else the
    summary; ``""`` when it has none."""
    contents = [
        (get(c, "type") in HTML_TYPES, value, get(c, "type"))
        for c in get(entry, "content") or ()
        if isinstance(value := get(c, "value"), str)
    ]
    if contents:
        _, value, kind = max(contents, key=lambda c: (c[0], len(c[1])))
    else:
        value = get(entry, "summary")
        kind = get(get(entry, "summary_detail"), "type") or "text/html"
    if not isinstance(value, str) or not value.strip():
        return "", False
    return value, kind in HTML_TYPES


def entry_body(entry: Any, link: str | Exception, feed_link: str) -> str | Exception:
    """The entry's body (see :func:`body_source`) as Markdown, or what reading it raised (the
    error of its link included, see :func:`entry_link`). Relative links resolve against the
    entry's link, else ``feed_link``."""
    try:
        if isinstance(link, Exception):
            raise link
        value, is_html = body_source(entry)
        if is_html:
            return html_to_markdown(value, link or feed_link)
        return text_to_markdown(value) if value else ""
    except Exception as exc:  # the entry is skipped with this reason when it is read
        return exc


def _published(entry: Any) -> datetime | None:
    for key in _DATE_KEYS:
        value = utc_from_struct(get(entry, key))
        if value is not None:
            return value
    return None


def _author(entry: Any) -> str:
    names = [get(a, "name") for a in get(entry, "authors") or ()]
    names = [name for n in names if isinstance(n, str) and (name := clean_text(n))]
    if names:
        return ", ".join(dict.fromkeys(names))
    return clean_text(text(entry, "author"))


def _credits(entry: Any) -> tuple[str, ...]:
    credits = [get(c, "content") for c in get(entry, "media_credit") or ()]
    return tuple(dict.fromkeys(clean_text(c) for c in credits if isinstance(c, str) and c.strip()))


def entry_article(
    entry: Any,
    feed: str,
    feed_title: str,
    link: str,
    body: str,
    known_id: str | None = None,
) -> Article:
    """The article an entry record (either parser's) makes, given its safe link (see
    :func:`entry_link`), its body (see :func:`entry_body`) and the article id
    :func:`identities` found for it, if any (not hashed again)."""
    body, notes = limit_body(body)
    title = text_field(entry, "title")
    published = _published(entry)
    guid = entry_guid(entry, link)
    guid = guid or make_guid(title, published.isoformat() if published else "", body)
    source = get(entry, "source")
    source_title = text_field(source, "title") if source is not None else ""
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
