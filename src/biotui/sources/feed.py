"""Feed bytes to articles: RSS 0.9x/1.0/2.0 and Atom, JSON Feed by sniffing.

The bytes are guarded first (see :mod:`biotui.sources.xmlguard`), read by the fast parser or
feedparser (see :mod:`biotui.sources.document`), and every entry goes through the one mapping
to an article (see :mod:`biotui.sources.entries`). JSON Feed has its own reader
(:mod:`biotui.sources.jsonfeed`).
"""

from __future__ import annotations

from collections.abc import Collection

from biotui.errors import SourceError
from biotui.plaintext import clean_text
from biotui.sources import entries
from biotui.sources.document import read_document
from biotui.sources.jsonfeed import parse_json_feed
from biotui.sources.result import FeedParseResult
from biotui.sources.sanitize import safe_link
from biotui.sources.xmlguard import (
    ENTITIES_REMOVED,
    has_external_dtd,
    looks_like_json,
    strip_entity_declarations,
)


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
    (see :func:`biotui.sources.entries.identities`) is among them is skipped: its article is
    stored already, as this entry would make it. Most of the cost of an entry is converting
    its body, and a server that ignores conditional requests sends every entry again at every
    refresh. Without ``known`` no digest is computed.
    """
    if not data.strip():
        raise SourceError("empty document")
    if looks_like_json(data):
        return parse_json_feed(data, feed, url=url)
    data, stripped = strip_entity_declarations(data)
    result = FeedParseResult(warnings=[ENTITIES_REMOVED] if stripped else [])
    if has_external_dtd(data):
        result.warnings.append("external DTD not fetched")
    parsed = read_document(data, content_type, result.warnings)
    channel = entries.get(parsed, "feed")
    result.title = entries.text_field(channel, "title")
    feed_link = safe_link(entries.text(channel, "link"), url) or safe_link(url)
    records = entries.get(parsed, "entries") or []
    links = [entries.entry_link(entry, feed_link) for entry in records]
    identities = (
        entries.identities(records, links, feed, result.title, feed_link)
        if known is not None
        else [None] * len(records)
    )
    todo = [
        (index, entry, link, identity)
        for index, (entry, link, identity) in enumerate(
            zip(records, links, identities, strict=True), start=1
        )
        if identity is None or known is None or identity[1] not in known
    ]
    result.skipped = len(records) - len(todo)
    # Every body first, then every article: the compiled sanitizer and converter stay in the
    # processor's caches from one body to the next.
    bodies = [entries.entry_body(entry, link, feed_link) for _, entry, link, _ in todo]
    for (index, entry, link, identity), body in zip(todo, bodies, strict=True):
        try:
            if isinstance(body, Exception):
                raise body
            assert isinstance(link, str)  # a link that raised made its body that error
            known_id = identity[0] if identity is not None else None
            article = entries.entry_article(entry, feed, result.title, link, body, known_id)
        except Exception as exc:  # one bad entry must not lose the others
            reason = clean_text(f"{type(exc).__name__}: {exc}")
            result.warnings.append(f"entry {index} skipped: {reason}")
            continue
        result.articles.append(article)
        if identity is not None:
            result.source_hashes[article.id] = identity[1]
    if records and not result.articles and not result.skipped:
        raise SourceError("no entry could be read")
    return result
