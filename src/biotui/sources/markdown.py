"""Markdown files (``.md``, ``.markdown``) to articles.

Optional front matter between ``---`` lines gives ``title``, ``source``, ``author``, ``date``,
``link``, ``credits`` (a list or one value), ``section``, ``place`` and ``tags``; only the simple
``key: value`` and ``- item`` / ``[a, b]`` list forms of YAML are read, with YAML's single- and
double-quoted strings (escapes included). Without a title there, the first heading is the title
and leaves the body. The body stays Markdown, but raw HTML in it is removed (script-like blocks
with their content), links may only use http, https or mailto, and standalone credit lines
(``*Photo: X*``) become credits, except in a file biotui exported (``generator: biotui``, see
:mod:`biotui.articlefile`), whose credits are all in its front matter.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

from biotui.articlefile import GENERATOR
from biotui.errors import SourceError
from biotui.model import Article, article_id
from biotui.plaintext import clean_multiline, clean_text
from biotui.sources.credits import credit_text, is_credit_line
from biotui.sources.dates import parse_date
from biotui.sources.markup import collapse_blank_lines, limit_body, map_prose
from biotui.sources.sanitize import safe_link, strip_raw_html
from biotui.sources.titles import fallback_title

FrontMatter = dict[str, str | list[str]]

_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_ITEM = re.compile(r"^\s*-\s+(.*)$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_FENCE_AHEAD = re.compile(r"^([^\S\n]{0,3})(?=`{3}|~{3})", re.MULTILINE)
_ATX = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_INLINE_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]*)")
_REFERENCE = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S*)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][\w+.-]*):[^<>\s]*>")
_LINK_SCHEMES = ("http", "https", "mailto", "")
_ESCAPED_LT = re.compile(r"(?<!\\)((?:\\\\)*)\\<")
MAX_FRONT_MATTER_LINES = 200


_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_YAML_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:
        number = int(code[1:], 16)
        return chr(number) if number <= 0x10FFFF else ""
    return _YAML_ESCAPES.get(code, match.group(0))


def _unquote(value: str) -> str:
    """A YAML scalar's text: double-quoted with its escapes, single-quoted with ``''``, or
    plain without a trailing comment (an unknown escape stays as written)."""
    value = value.strip()
    if value.startswith('"') and (match := _DOUBLE_QUOTED.match(value)):
        return _YAML_ESCAPE.sub(_unescape, match.group(1))
    if value.startswith("'") and (match := _SINGLE_QUOTED.match(value)):
        return match.group(1).replace("''", "'")
    if value[:1] in "\"'" and len(value) > 1 and value[1:].find(value[0]) >= 0:
        return value[1 : 1 + value[1:].find(value[0])]
    return re.sub(r"\s+#.*$", "", value)


def parse_front_matter(text: str) -> tuple[FrontMatter, str]:
    """Split ``text`` into its front matter (keys lowercased) and the rest of the document."""
    written = text.split("\n")
    lines = [line.rstrip() for line in written]
    if lines[0] != "---":
        return {}, text
    closing = (
        i for i, line in enumerate(lines[1:MAX_FRONT_MATTER_LINES], 1) if line in ("---", "...")
    )
    end = next(closing, None)
    if end is None:
        return {}, text
    meta: FrontMatter = {}
    key = ""
    for line in lines[1:end]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if (item := _ITEM.match(line)) and key:
            values = meta.setdefault(key, [])
            if isinstance(values, list):
                values.append(_unquote(item.group(1)))
        elif match := _KEY.match(line):
            key, value = match.group(1).lower(), match.group(2).strip()
            if not value:
                meta[key] = []
            elif value.startswith("[") and value.endswith("]"):
                meta[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
            else:
                meta[key] = _unquote(value)
    return meta, "\n".join(written[end + 1 :])  # the body as written: see collapse_blank_lines


def _field(meta: FrontMatter, *keys: str) -> str:
    for key in keys:
        value = meta.get(key)
        text = clean_text(", ".join(value) if isinstance(value, list) else value or "")
        if text:
            return text
    return ""


def _list(meta: FrontMatter, *keys: str) -> list[str]:
    for key in keys:
        value = meta.get(key)
        if value:
            return [clean_text(v) for v in ([value] if isinstance(value, str) else value)]
    return []


def _plain_heading(text: str) -> str:
    """Heading text without Markdown syntax: links keep their text, emphasis marks go."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?<!\\)[*_`]+", "", text)
    return clean_text(re.sub(r"\\(.)", r"\1", text))


def _blocks(text: str) -> list[tuple[bool, list[str]]]:
    """Group lines into (is_fenced_code, lines) runs."""
    blocks: list[tuple[bool, list[str]]] = []
    fence = ""
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence:
            blocks[-1][1].append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            fence = match.group(1)
            blocks.append((True, [line]))
        else:
            if not blocks or blocks[-1][0]:
                blocks.append((False, []))
            blocks[-1][1].append(line)
    return blocks


def _fenceless(prose: str) -> str:
    """``prose`` (a block without fences) with a fence that taking raw HTML out left at the
    start of a line escaped: it was text, and would have opened a code block when the body
    is read again."""
    if "```" not in prose and "~~~" not in prose:
        return prose
    return _FENCE_AHEAD.sub(r"\1\\", prose)


def _take_heading(lines: list[str]) -> str:
    """Find the first heading among ``lines``, remove it from them and return its text."""
    for i, line in enumerate(lines):
        if (match := _ATX.match(line)) and line.lstrip().startswith("#"):
            del lines[i]
            return _plain_heading(match.group(1) or "")
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        underlined = _SETEXT.match(nxt) and not _SETEXT.match(line)
        if line.strip() and underlined and not _ITEM.match(line):
            del lines[i : i + 2]
            return _plain_heading(line)
    return ""


def _safe_destination(match: re.Match[str]) -> str:
    destination = match.group(2)
    return match.group(1) + (destination if _safe_scheme(destination) else "")


def _safe_reference(match: re.Match[str]) -> str:
    """A reference definition with an unsafe destination keeps an empty one (``<>``): with
    none, the next line's first word would become its destination."""
    start, destination = match.group(1), match.group(2)
    if _safe_scheme(destination):
        return start + destination
    return start if start.endswith("<") else start + "<>"


def _safe_scheme(destination: str) -> bool:
    try:
        scheme = urlsplit(unescape(destination).strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in _LINK_SCHEMES


def _safe_autolink(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1).lower() in _LINK_SCHEMES else "\\" + match.group(0)


def sanitize_markdown(text: str) -> str:
    """Make Markdown source safe: raw HTML and unsafe link schemes out, code left as written."""
    return map_prose(text, _sanitize_prose)


def _sanitize_prose(text: str) -> str:
    # An escaped "<" (`\<a\>`, as biotui's converter writes a feed's literal text) opens no
    # tag: it is kept out of the way of the tag pattern, behind a NUL no clean text holds.
    hidden = "\\<" in text and "\x00" not in text
    if hidden:
        text = _ESCAPED_LT.sub("\\1\x00", text)
    text = strip_raw_html(text)
    text = _INLINE_LINK.sub(_safe_destination, text)
    text = _REFERENCE.sub(_safe_reference, text)
    text = _AUTOLINK.sub(_safe_autolink, text)
    return text.replace("\x00", "\\<") if hidden else text


def parse_markdown(text: str, *, feed: str, guid: str, link: str = "") -> Article:
    """Read one Markdown document into an article of feed ``feed`` (see the module docstring).

    Raises :class:`SourceError` for a document with no text at all.
    """
    guid = clean_text(guid)
    text = clean_multiline(text.lstrip("\ufeff"))
    if not text.strip():
        raise SourceError("empty Markdown file")
    meta, rest = parse_front_matter(text)
    title = _field(meta, "title")
    credits = _list(meta, "credits", "credit")
    exported = _field(meta, "generator") == GENERATOR
    body: list[str] = []
    for is_code, lines in _blocks(rest):
        if is_code:
            body.append("\n".join(lines))
            continue
        if not title:
            title = _take_heading(lines)
        prose = []
        for line in lines:
            if (
                not exported
                and is_credit_line(line)
                and not line.lstrip().startswith(("#", ">", "-", "+"))
            ):
                credits.append(credit_text(line))
            else:
                prose.append(line)
        body.append(_fenceless(sanitize_markdown("\n".join(prose))))
    markdown, notes = limit_body(collapse_blank_lines("\n".join(body)))
    return Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=title or fallback_title(markdown),
        link=safe_link(_field(meta, "link", "url")) or link,
        author=_field(meta, "author", "authors"),
        published=parse_date(_field(meta, "date", "published")),
        source=_field(meta, "source", "publisher"),
        section=_field(meta, "section"),
        place=_field(meta, "place"),
        credits=tuple(dict.fromkeys(c for c in credits if c)),
        body=markdown,
        notes=notes,
    )
