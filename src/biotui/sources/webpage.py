"""Saved web pages (``.html``, ``.htm``) to articles.

Metadata comes from the page's ``<meta>`` tags (Open Graph, Twitter, Dublin Core), ``<title>``,
``<time>`` and ``<link rel=canonical>``. The main text comes from trafilatura, which finds
the article in ``div`` soup where a simple "take ``<article>``, drop ``<nav>``" extraction
keeps menus, comments and sidebars; that simple extraction remains the fallback when
trafilatura finds nothing, fails, or the page is too large for it. Figure captions and lines
that are photo credits become credits.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from biotui.errors import SourceError
from biotui.model import Article, article_id
from biotui.plaintext import clean_multiline, clean_text
from biotui.sources.body import html_to_markdown
from biotui.sources.credits import credit_text, find_credit, is_credit_line
from biotui.sources.dates import parse_date
from biotui.sources.markup import limit_body
from biotui.sources.sanitize import MAX_HTML_CHARS, MAX_NESTING, safe_link, too_deep
from biotui.sources.titles import fallback_title

# trafilatura logs its complaints about odd pages at ERROR level; with no logging configured
# Python would print them on stderr, over the CLI's output and the app's screen.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

MAX_EXTRACT_CHARS = 1_000_000
"""Pages with more text than this (scripts and styles aside) skip trafilatura: its cost grows
with the amount of text."""

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BOILERPLATE = re.compile(
    r"comment|cookie|newsletter|share|social|related|sidebar|promo|breadcrumb|subscribe|"
    r"advert|footer|header|navbar|\bad\b|\bads\b|\bnav\b|\bmenu\b",
    re.IGNORECASE,
)
_BODY_TAG = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_CAPTION_CLASS = re.compile(r"caption|credit|\bcap\b|-cap\b", re.IGNORECASE)
_DROPPED = "//script|//style|//noscript|//nav|//header|//footer|//aside|//form|//button|//iframe"
_TITLE_KEYS = ("og:title", "twitter:title", "dc.title")
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "parsely-author", "byl")
_DATE_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
    "publishdate", "dc.date.issued", "dc.date", "article:modified_time",
)  # fmt: skip


def parse_webpage(html: str, *, feed: str, guid: str, link: str = "") -> Article:
    """Read a saved web page into an article of feed ``feed`` (see the module docstring).

    ``link`` (the file's URI) is the article's link unless the page names a canonical URL.
    Raises :class:`SourceError` when the page cannot be parsed or holds no title and no text.
    """
    guid = clean_text(guid)
    notes: list[str] = []
    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
        notes.append(f"page cut to its first {MAX_HTML_CHARS:,} characters before reading")
    html = _XML_DECLARATION.sub("", clean_multiline(html.lstrip("\ufeff")), count=1)
    if not html.strip():
        raise SourceError("empty page")
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(f"not a readable HTML page: {clean_text(str(exc))}") from None
    meta = _meta(doc)
    canonical = _canonical(doc, meta)
    title = _first(meta, _TITLE_KEYS) or _text(doc, "//title") or _text(doc, "//h1")
    body_credits: list[str] = []
    if too_deep(html):  # the HTML parser keeps only the first levels: read the text instead
        main = _body_html(html)
        notes.append(f"page nested more than {MAX_NESTING:,} deep: read as plain text")
    else:
        headings = {title, _text(doc, "//title"), _text(doc, "//h1")}
        main, body_credits = _split_credits(_main_html(html, doc), headings)
    body, body_notes = limit_body(html_to_markdown(main, canonical or link))
    if not title and not body:
        raise SourceError("no title and no text found in the page")
    return Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=title or fallback_title(body),
        link=canonical or link,
        author=_author(doc, meta),
        published=_published(doc, meta),
        source=clean_text(meta.get("og:site_name", "")),
        credits=tuple(dict.fromkeys(_caption_credits(doc) + body_credits)),
        body=body,
        notes=(*notes, *body_notes),
    )


def _meta(doc: Any) -> dict[str, str]:
    """``<meta>`` contents by lowercased name, property or itemprop (the first one wins)."""
    meta: dict[str, str] = {}
    for element in doc.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), content)
    return meta


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = clean_text(meta.get(key, ""))
        if value:
            return value
    return ""


def _text(doc: Any, xpath: str) -> str:
    for element in doc.xpath(xpath):
        text = clean_text(element.text_content())
        if text:
            return text
    return ""


def _canonical(doc: Any, meta: dict[str, str]) -> str:
    for element in doc.xpath("//link[@href]"):
        rel = (element.get("rel") or "").lower().split()
        if "canonical" in rel and (url := safe_link(element.get("href", ""))):
            return url
    return safe_link(meta.get("og:url", ""))


def _author(doc: Any, meta: dict[str, str]) -> str:
    for key in _AUTHOR_KEYS:
        value = clean_text(meta.get(key, ""))
        if value and not safe_link(value):  # article:author is often a profile URL
            return value.removeprefix("By ").removeprefix("by ")
    return _text(doc, "//*[@rel='author']")


def _published(doc: Any, meta: dict[str, str]) -> datetime | None:
    for key in _DATE_KEYS:
        if key in meta and (date := parse_date(meta[key])) is not None:
            return date
    for element in doc.xpath("//time[@datetime]"):
        if (date := parse_date(element.get("datetime", ""))) is not None:
            return date
    return None


def _body_html(html: str) -> str:
    """The part of ``html`` after its ``<body>`` tag (all of it when there is none)."""
    match = _BODY_TAG.search(html)
    return html[match.end() :] if match else html


def _main_html(html: str, doc: Any) -> str:
    """The page's main content as HTML: trafilatura's, else our simple extraction's."""
    if len(_SCRIPTS.sub("", html)) <= MAX_EXTRACT_CHARS:
        try:
            extracted = trafilatura.extract(
                html,
                output_format="html",
                include_images=True,
                include_links=True,
                include_tables=True,
                include_comments=False,
                fast=True,
            )
        except Exception:  # trafilatura failing on one odd page must not lose the page
            extracted = None
        if extracted and extracted.strip():
            return str(extracted)
    return _simple_main_html(doc)


def _simple_main_html(doc: Any) -> str:
    """Fallback extraction: the ``<article>``/``<main>``/``<body>`` minus obvious boilerplate."""
    doc = lxml.html.document_fromstring(lxml.html.tostring(doc, encoding="unicode"))
    for element in doc.xpath(_DROPPED):
        element.drop_tree()
    for element in doc.xpath("//*[@class or @id]"):
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.tag not in ("html", "body") and _BOILERPLATE.search(marks):
            element.drop_tree()
    roots = doc.xpath("//article") or doc.xpath("//main") or doc.xpath("//body")
    return str(lxml.html.tostring(roots[0], encoding="unicode")) if roots else ""


def _split_credits(main: str, headings: set[str]) -> tuple[str, list[str]]:
    """Remove credit lines and the title heading (one of ``headings``) from the main HTML."""
    try:
        document = lxml.html.document_fromstring(main)
    except (etree.ParserError, ValueError):
        return main, []
    root = document.find("body")
    root = document if root is None else root
    credits: list[str] = []
    title_seen = False
    for element in list(root.iter("p", "div", "span", "small", "figcaption", "h1", "h2")):
        text = clean_text(element.text_content())
        if element.tag in ("h1", "h2") and text in headings and not title_seen:
            title_seen = True
            element.drop_tree()
        elif text and is_credit_line(text) and not element.xpath(".//p|.//div|.//img"):
            credits.append(credit_text(text))
            element.drop_tree()
    return str(lxml.html.tostring(root, encoding="unicode")), credits


def _caption_credits(doc: Any) -> list[str]:
    """Credits found in figure captions and credit-classed elements of the article area."""
    scope = (doc.xpath("//article") or doc.xpath("//main") or [doc])[0]
    credits = []
    for element in scope.iter():
        if not isinstance(element.tag, str):
            continue
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if element.tag == "figcaption" or _CAPTION_CLASS.search(marks):
            credit = find_credit(element.text_content())
            if credit:
                credits.append(credit)
    return credits
