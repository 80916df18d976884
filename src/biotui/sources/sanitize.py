"""Untrusted HTML made safe: cleaned with nh3 against an allowlist, links checked, text taken.

Every string a feed, a web page or a file gives us comes from a stranger. Article HTML keeps
only the tags and attributes Markdown can show; links may only be http, https or mailto.
Nothing here parses Rich or Textual markup: ``[/]`` stays ``[/]``.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from html import unescape
from urllib.parse import urljoin, urlsplit

import nh3

from biotui.plaintext import clean_multiline, clean_text

MAX_HTML_CHARS = 5_000_000
"""HTML longer than this is cut before it is parsed, to bound the cost of one article."""

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": set()}
"""Links and images keep what Markdown can show of them; no other tag keeps any attribute
(nh3 would keep ``lang`` and ``title`` on every tag: nothing reads them, and
:mod:`biotui.sources.converter` reads the other tags bare)."""
_DROPPED_WITH_CONTENT = {
    "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
    "title", "head", "select", "textarea", "button",
}  # fmt: skip
_URL_SCHEMES = {"http", "https", "mailto"}
_ABSOLUTE_HTTP = re.compile(r"https?://[^/?#\s]")
"""An absolute http(s) URL with a host, in lowercase: joining it to a base gives it back
unchanged (unless it ends in an empty fragment, which joining drops)."""

MAX_NESTING = 1000
"""HTML nested deeper than this is read as plain text: the HTML parser's cost grows with depth."""
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>")
_NOT_NESTING = {
    "area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input", "li",
    "link", "meta", "option", "optgroup", "p", "param", "rp", "rt", "source", "tbody", "td",
    "tfoot", "th", "thead", "tr", "track", "wbr",
}  # fmt: skip
_DROPPED_BLOCKS = re.compile(
    r"<(script|style|template|noscript|iframe|object|svg|math|title|head)\b.*?</\1\s*>|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)
_RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|<![^<>]*>|<\?[^<>]*\?>")


def safe_link(url: str, base: str = "", *, schemes: frozenset[str] | None = None) -> str:
    """Return ``url`` (resolved against ``base``) if it is an http(s) URL, else ``""``.

    ``schemes`` replaces the accepted schemes (e.g. ``file`` for local files).
    """
    url = clean_text(url).replace(" ", "%20")
    if not url:
        return ""
    absolute = _ABSOLUTE_HTTP.match(url) is not None
    if base and not (absolute and not url.endswith("#")):
        try:
            url = urljoin(clean_text(base).replace(" ", "%20"), url)
        except ValueError:
            return ""
        absolute = _ABSOLUTE_HTTP.match(url) is not None
    if absolute and schemes is None and url.isascii() and "[" not in url and "]" not in url:
        # http(s) with a host, ASCII, no IPv6 brackets: urlsplit would accept it and find an
        # http(s) scheme (most links, so they skip urlsplit).
        return url
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in (schemes or frozenset({"http", "https"})) else ""


_relative_base: ContextVar[str] = ContextVar("_relative_base", default="")
"""The http(s) URL relative links of the body being cleaned resolve against ("": none)."""


def _resolve_relative(url: str) -> str | None:
    """nh3's answer for a relative link: resolved against :data:`_relative_base`, else gone."""
    base = _relative_base.get()
    return (safe_link(url, base) or None) if base else None


# Built once: nh3.clean translates its options for the compiled sanitizer on every call.
_BODY_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes=_ALLOWED_ATTRIBUTES,
    url_schemes=_URL_SCHEMES,
    link_rel=None,
    url_relative=_resolve_relative,
)
_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags=_DROPPED_WITH_CONTENT)


def too_deep(html: str, limit: int = MAX_NESTING) -> bool:
    """Tell whether elements in ``html`` nest deeper than ``limit`` (a cheap estimate).

    Elements whose end tag is optional or absent (``p``, ``li``, ``img``...) are not counted.
    """
    # Every level needs a start tag of three characters at least, each a ``<``.
    if len(html) < 3 * (limit + 1) or html.count("<") <= limit:
        return False
    depth = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _NOT_NESTING:
            continue
        depth += -1 if closing else 1
        if depth > limit:
            return True
    return False


def strip_tags(html: str) -> str:
    """Return the text of ``html`` without parsing it: for input too deep or odd to parse.

    Script, style and similar blocks go with their content; entities are decoded.
    """
    text = _TAG.sub(" ", _DROPPED_BLOCKS.sub(" ", html))
    return unescape(re.sub(r"<[^<>]*>", " ", text))


STRIP_PASSES = 8
"""Most passes :func:`strip_raw_html` makes over one text (each is linear in it)."""


def strip_raw_html(text: str) -> str:
    """Remove raw HTML from Markdown source: tags, comments, and script-like blocks whole.

    Autolinks (``<https://...>``) are not tags and stay; entities are left as they are. A tag
    taken out can leave a new one made of the pieces around it (``<<b>script>``), so the
    text is stripped again until nothing changes; past :data:`STRIP_PASSES` (hostile
    nesting), what is left of a ``<`` is escaped.
    """
    for _ in range(STRIP_PASSES):
        stripped = _RAW_TAG.sub("", _DROPPED_BLOCKS.sub("", text))
        if stripped == text:
            return text
        text = stripped
    return text.replace("<", "\\<")


def sanitize_html(html: str, base_url: str = "") -> str:
    """Clean ``html`` with nh3 against biotui's allowlist; links only http, https, mailto.

    Relative links are resolved against ``base_url`` when it is an http(s) URL, else dropped.
    The caller bounds nesting first (see :func:`too_deep`).
    """
    # A base safe_link made needs no second check (most bodies: the entry's own link).
    base = base_url if _ABSOLUTE_HTTP.match(base_url) else safe_link(base_url)
    token = _relative_base.set(base)
    try:
        return _BODY_CLEANER.clean(html[:MAX_HTML_CHARS])
    finally:
        _relative_base.reset(token)


def html_to_text(html: str) -> str:
    """Return the text of an HTML fragment (tags dropped, entities decoded) as one clean line."""
    html = clean_multiline(html[:MAX_HTML_CHARS])  # nh3 cannot take lone surrogates
    if "<" not in html and "&" not in html:
        return clean_text(html)  # no tag, no entity: already text (most titles)
    if too_deep(html):
        return clean_text(strip_tags(html))
    text = _TEXT_CLEANER.clean(html)
    return clean_text(unescape(str(text)))


_IMAGE_TAG = re.compile(r'<img(?:\s[^>"]*(?:"[^"]*"[^>"]*)*)?/?>')
"""An image tag as the sanitizer writes it (values in double quotes, where a ``>`` may be)."""


def drop_sourceless_images(sanitized: str) -> str:
    """``sanitized`` (the output of :func:`sanitize_html`) without the images whose source
    was unsafe, relative or missing: the converter would write them with an empty source."""
    if "<img" not in sanitized:
        return sanitized
    return _IMAGE_TAG.sub(lambda tag: tag[0] if ' src="' in tag[0] else "", sanitized)
