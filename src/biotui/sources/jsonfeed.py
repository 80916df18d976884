"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org) to articles, read with the ``json`` module.

feedparser 6 does not read JSON Feed. Every field is type-checked: a stranger's JSON may put a
number where a string belongs, or leave anything out.
"""

from __future__ import annotations

import json
from typing import Any

from biotui.errors import SourceError
from biotui.model import Article, article_id
from biotui.plaintext import clean_text
from biotui.sources.body import html_to_markdown
from biotui.sources.dates import parse_rfc3339
from biotui.sources.markup import limit_body, text_to_markdown
from biotui.sources.result import FeedParseResult
from biotui.sources.sanitize import safe_link
from biotui.sources.titles import fallback_title, make_guid

_VERSION_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")


def is_json_feed(document: object) -> bool:
    """Tell whether a decoded JSON document is a JSON Feed (by its ``version`` URL)."""
    if not isinstance(document, dict):
        return False
    version = document.get("version")
    return isinstance(version, str) and version.startswith(_VERSION_PREFIXES)


def parse_json_feed(data: bytes, feed: str, *, url: str = "") -> FeedParseResult:
    """Parse JSON Feed bytes into the articles of feed ``feed``.

    Raises :class:`SourceError` for bytes that are not JSON or JSON that is not a JSON Feed.
    """
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"not valid JSON: {clean_text(str(exc))}") from None
    if not is_json_feed(document):
        if isinstance(document, dict) and isinstance(document.get("items"), list):
            warnings = ["no JSON Feed version; read as JSON Feed anyway"]
        else:
            raise SourceError("JSON, but not a JSON Feed (no jsonfeed.org version)")
    else:
        warnings = []
    result = FeedParseResult(warnings=warnings, title=_text(document.get("title")))
    feed_link = safe_link(_text(document.get("home_page_url")), url) or safe_link(url)
    feed_author = _authors(document)
    items = document.get("items")
    if not isinstance(items, list):
        result.warnings.append("no items list")
        return result
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            result.warnings.append(f"item {index} skipped: not an object")
            continue
        try:
            result.articles.append(_item_article(item, feed, result.title, feed_link, feed_author))
        except Exception as exc:  # one bad item must not lose the others
            reason = clean_text(f"{type(exc).__name__}: {exc}")
            result.warnings.append(f"item {index} skipped: {reason}")
    if items and not result.articles:
        raise SourceError("no item could be read")
    return result


def _text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return clean_text(value) if isinstance(value, str) else ""


def _authors(obj: dict[str, Any]) -> str:
    """Names from ``authors`` (1.1) or ``author`` (1.0), joined with commas."""
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj.get("author")]
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(dict.fromkeys(n for n in names if n))


def _item_article(
    item: dict[str, Any], feed: str, feed_title: str, feed_link: str, feed_author: str
) -> Article:
    link = safe_link(_text(item.get("url")), feed_link) or safe_link(
        _text(item.get("external_url")), feed_link
    )
    html, text = item.get("content_html"), item.get("content_text")
    if isinstance(html, str) and html.strip():
        body = html_to_markdown(html, link or feed_link)
    elif isinstance(text, str) and text.strip():
        body = text_to_markdown(text)
    else:
        body = text_to_markdown(_text(item.get("summary")))
    body, notes = limit_body(body)
    title = _text(item.get("title"))
    published = parse_rfc3339(item.get("date_published")) or parse_rfc3339(
        item.get("date_modified")
    )
    guid = _text(item.get("id")) or link
    guid = guid or make_guid(title, published.isoformat() if published else "", body)
    return Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=title or fallback_title(body),
        link=link,
        author=_authors(item) or feed_author,
        published=published,
        source=feed_title,
        body=body,
        notes=notes,
    )
