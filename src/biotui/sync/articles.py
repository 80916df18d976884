"""A server's items as biotui's articles, through the sources layer's own sanitizing and
HTML-to-Markdown conversion: an item comes out as clean as a fetched feed's entry (no script,
no control character, no ``javascript:`` link, a body cut to the same length).

Which feed an item's article is stored in: the name of the ``[[feeds]]`` entry whose ``url``
is the server feed's (that entry's tags, ``full_text`` and mutes then apply), else the server
feed's title, made unique among the configured feeds and the other server feeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC

from biotui.model import Article, Feed, article_id
from biotui.plaintext import clean_text
from biotui.sources.body import html_to_markdown
from biotui.sources.markup import limit_body, text_to_markdown
from biotui.sources.sanitize import html_to_text, safe_link, strip_tags
from biotui.sources.titles import fallback_title, make_guid
from biotui.sync.backend import RemoteFeed, RemoteItem

__all__ = ["feed_names", "item_article", "orphan_feed_name", "synced_article_id"]


def synced_article_id(account: str, item: str) -> str:
    """The public id of the article of server item ``item`` of ``account`` (a
    :attr:`~biotui.model.SyncConfig.account`): stable, whatever feed it is stored in."""
    return article_id(f"sync {account}", item)


def feed_names(remote: Sequence[RemoteFeed], local: Iterable[Feed]) -> dict[str, str]:
    """Server feed id -> the feed name its articles are stored under (see the module)."""
    configured = list(local)
    by_url = {feed.url.strip(): feed.name for feed in configured if feed.url}
    taken = {feed.name for feed in configured}
    names: dict[str, str] = {}
    for feed in sorted(remote, key=lambda f: f.id):
        matched = by_url.get(feed.url.strip()) if feed.url else None
        if matched is not None:
            names[feed.id] = matched
            continue
        base = html_to_text(feed.title) or clean_text(feed.url) or clean_text(feed.id) or "feed"
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base} ({number})"
        taken.add(name)
        names[feed.id] = name
    return names


def orphan_feed_name(feed_id: str) -> str:
    """The feed name of an item whose feed the server no longer lists (a starred item of a
    feed unsubscribed since)."""
    shown = clean_text(feed_id.removeprefix("feed/"))
    return shown if shown.startswith(("http://", "https://")) else f"feed {shown or '?'}"


def item_article(item: RemoteItem, feed: str, article: str, source: str = "") -> Article:
    """The article of ``item``, stored in feed ``feed`` under public id ``article``, with
    ``source`` (the server feed's title) as its origin."""
    link = safe_link(item.url)
    body = _body(item.html, link)
    body, notes = limit_body(body)
    title = html_to_text(item.title)
    published = item.published
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    guid = clean_text(item.id) or make_guid(title, link, body)
    return Article(
        id=article,
        feed=feed,
        guid=guid,
        title=title or fallback_title(body),
        link=link,
        author=html_to_text(item.author),
        published=published,
        source=html_to_text(source),
        body=body,
        notes=notes,
    )


def _body(html: str, link: str) -> str:
    """The item's HTML as Markdown; plain text if the conversion fails on it."""
    if not html.strip():
        return ""
    try:
        return html_to_markdown(html, link)
    except Exception:  # hostile input a sanitizer chokes on: keep its text
        return text_to_markdown(strip_tags(clean_text(html[:1_000_000])))
