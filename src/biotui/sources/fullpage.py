"""An article's web page to its full text: the main text of the page as an article body.

Pure: the page's bytes, final URL and content type in, a :class:`PageText` out; nothing is
fetched. The page is read like a saved web page (:func:`biotui.sources.webpage.parse_webpage`:
trafilatura, the simple extraction as a fallback, the sanitizer and the Markdown conversion
every body takes), so a full text looks like any other body. Only the first
:data:`~biotui.sources.sanitize.MAX_HTML_CHARS` bytes are decoded, so a page of any size costs
bounded memory and time. Never raises: what cannot be read gives a one-line ``reason``.
"""

from __future__ import annotations

import codecs
import re

from biotui.errors import SourceError
from biotui.plaintext import clean_text
from biotui.sources.local import decode_text
from biotui.sources.pagetext import PageText
from biotui.sources.sanitize import MAX_HTML_CHARS

__all__ = ["HTML_TYPES", "PageText", "extract_page"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
"""Content types read as a web page; a page served without one is judged by its first bytes."""

_SNIFF_BYTES = 4096
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_WORD = re.compile(r"\w+")
_LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
MIN_PROSE_WORDS = 8
"""A page's text counts as an article only if one of its lines holds this many words outside
links: menus, link lists and headline indexes hold none (their lines are short or all link)."""


def extract_page(data: bytes, url: str, content_type: str | None = None) -> PageText:
    """Extract the main text of the page ``data`` fetched from ``url``.

    ``content_type`` is the HTTP ``Content-Type`` (its charset is used when it names a known
    one). Not HTML, a page with no main text (only navigation, say), or one the reader
    refuses gives a :class:`PageText` with a ``reason`` and no body.
    """
    kind, charset = _media_type(content_type)
    if kind and kind not in HTML_TYPES:
        return PageText(reason=f"not an HTML page ({kind})")
    if not kind and not _HTML_START.match(data[:_SNIFF_BYTES]):
        return PageText(reason="not an HTML page")
    notes: tuple[str, ...] = ()
    if len(data) > MAX_HTML_CHARS:
        data = data[:MAX_HTML_CHARS]
        notes = (f"page cut to its first {MAX_HTML_CHARS:,} bytes before reading",)
    html = _decode(data, charset)
    from biotui.sources.webpage import parse_webpage  # trafilatura is slow to load

    try:
        article = parse_webpage(html, feed="", guid=url, link=url)
    except SourceError as exc:
        return PageText(reason=clean_text(str(exc)) or "not a readable page")
    except Exception as exc:  # a reader failing on a hostile page: one line, no traceback
        return PageText(reason=f"not a readable page ({type(exc).__name__})")
    if not _has_prose(article.body):
        return PageText(reason="no article text on the page (only links or short lines)")
    return PageText(body=article.body, notes=(*notes, *article.notes))


def _has_prose(body: str) -> bool:
    """Whether some line of ``body`` has :data:`MIN_PROSE_WORDS` words outside links."""
    return any(
        len(_WORD.findall(_LINK.sub(" ", line))) >= MIN_PROSE_WORDS for line in body.splitlines()
    )


def _media_type(content_type: str | None) -> tuple[str, str]:
    """The lowercased media type and charset of a ``Content-Type`` (each may be empty)."""
    if not content_type:
        return "", ""
    kind, _, params = content_type.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return clean_text(kind.strip().lower())[:100], charset


def _decode(data: bytes, charset: str) -> str:
    """The page as text: its declared charset (HTTP, else ``<meta>``), else as files are."""
    head = _META_CHARSET.search(data[:_SNIFF_BYTES])
    for name in (charset, head.group(1).decode("ascii") if head else ""):
        if not name:
            continue
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        if codec not in ("utf-16", "utf-32"):  # without a BOM these are guesses: sniff instead
            return data.decode(codec, errors="replace")
    return decode_text(data)
