"""Turn untrusted text into safe text or Markdown.

Every string a feed, a web page or a file gives us comes from a stranger. Nothing here parses
Rich or Textual markup: ``[/]`` stays ``[/]``. What goes is what could reach the terminal as a
control: escape sequences, C0 and C1 controls, DEL and bidirectional overrides. Article HTML is
cleaned with nh3 against an allowlist, then converted to Markdown once, at ingest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from html import unescape
from urllib.parse import urljoin, urlsplit

import nh3

from biotui.converter import convert_fast, convert_full, map_outside

# Re-exported: the readers clean their plain-text fields with these.
from biotui.plaintext import clean_multiline as clean_multiline
from biotui.plaintext import clean_text as clean_text

MAX_BODY_CHARS = 1_000_000
"""Bodies longer than this are truncated; the article gets a note saying so."""

MAX_HTML_CHARS = 5_000_000
"""HTML longer than this is cut before it is parsed, to bound the cost of one article."""

_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")
_TIDY_LINES = re.compile(r"\n(?:(?<=[ \t]\n)|\n\n)")
"""A line ending in a space or tab, or the start of two blank lines: what
:func:`collapse_blank_lines` changes. The pattern starts with the newline, which the regular
expression engine looks for alone (a third of the time of ``" \\n" in text`` there: a
two-character search is tried at every space of the text)."""
_TRAILING_SPACE = re.compile(r"\n(?<=[ \t]\n)")

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": set()}
"""Links and images keep what Markdown can show of them; no other tag keeps any attribute
(nh3 would keep ``lang`` and ``title`` on every tag: nothing reads them, and
:mod:`biotui.converter` reads the other tags bare)."""
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


_FENCE_LINE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(?:.+?)(?<!`)\1(?!`)", re.DOTALL)
"""A code span; an escaped backtick (``\\` ``) opens none."""
# The converter escapes - . ! # + = ( ) everywhere; they only matter at the start of a line
# (lists, headings), so escapes after a non-space character are undone for readability.
_MISC_ESCAPE = re.compile(r"\\[-.!#+=()]")
_LIST_NUMBER_PREFIX = re.compile(r"[ \t]*(?:(?:>|[-+*]|\d+[.)])[ \t]+)*\d+")
"""What precedes ``\\.`` or ``\\)`` on a line where the escape stops an ordered list."""
_EMPTY_IMAGE = re.compile(r"!\[[^\]]*\]\((?:<>)?\)")

# Markdown-significant characters escaped anywhere in plain text, and those that only matter
# at the start of a paragraph.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^([#+\-=])")
_MD_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


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
        # http(s) scheme (most links; urlsplit costs about 8 µs a new URL).
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


# Built once: nh3.clean translates its options for the compiled sanitizer on every call,
# which costs as much as cleaning a short body.
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


def strip_raw_html(text: str) -> str:
    """Remove raw HTML from Markdown source: tags, comments, and script-like blocks whole.

    Autolinks (``<https://...>``) are not tags and stay; entities are left as they are.
    """
    return _RAW_TAG.sub("", _DROPPED_BLOCKS.sub("", text))


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


def collapse_blank_lines(markdown: str) -> str:
    """Collapse runs of blank lines to one and drop trailing spaces on every line."""
    if _TIDY_LINES.search(markdown) is None:
        return markdown.strip()  # no line ends in a space, so no blank line holds one either
    if _TRAILING_SPACE.search(markdown):
        # Line by line: a pattern for trailing spaces would be tried at every space of the text.
        markdown = "\n".join(line.rstrip(" \t") for line in markdown.split("\n"))
    return _BLANK_LINES.sub("\n\n", markdown).strip()


def html_to_markdown(html: str, base_url: str = "") -> str:
    """Sanitize ``html`` (see :func:`sanitize_html`) and convert it to safe Markdown.

    Text that merely looks like Markdown (``*``, ``_``, ``[x](y)``) is escaped so it shows
    literally; the result carries no control characters.
    """
    (markdown,) = html_to_markdown_all([(html, base_url)])
    if isinstance(markdown, Exception):
        raise markdown
    return markdown


def html_to_markdown_all(bodies: Sequence[tuple[str, str]]) -> list[str | Exception]:
    """:func:`html_to_markdown` of each ``(html, base_url)``, in order; where it raised, the
    exception instead (one body's failure is not the others').

    Stage by stage: every body is sanitized, then every body converted, then every one tidied,
    so that each compiled stage's code stays in the processor's caches: a feed's 50 bodies
    took 97 µs each this way, 116 µs one body after the other.
    """
    results: list[str | Exception] = []
    cleaned: dict[int, str] = {}  # by position: the bodies still to convert
    referencing: set[int] = set()  # positions of the bodies a control could come out of
    for html, base_url in bodies:
        try:
            html = clean_multiline(html[:MAX_HTML_CHARS])
            if too_deep(html):
                results.append(text_to_markdown(strip_tags(html)))
                continue
            sanitized = sanitize_html(html, base_url)
        except Exception as exc:
            results.append(exc)
            continue
        if sanitized and not sanitized.isspace():  # strip() would copy the body to tell
            cleaned[len(results)] = sanitized
            if _may_reference_control(html):
                referencing.add(len(results))
        results.append("")
    converted: dict[int, tuple[str, bool]] = {}  # Markdown, and whether the converter escaped
    for at, sanitized in cleaned.items():
        try:
            fast = convert_fast(sanitized)
            converted[at] = (convert_full(sanitized), True) if fast is None else (fast, False)
        except Exception:  # the converter failed on hostile input: fall back to plain text
            results[at] = _as_text(sanitized)
    for at, (markdown, escaped) in converted.items():
        try:
            tidy = _unescape_and_tidy if escaped else _tidy_prose
            # A control here came from a character reference (``&#27;``): the input had none.
            if at in referencing:
                markdown = clean_multiline(markdown, whole_escapes=False)
            else:
                markdown = markdown.strip()  # what clean_multiline does to text without any
            results[at] = collapse_blank_lines(map_prose(markdown, tidy))
        except Exception:
            results[at] = _as_text(cleaned[at])
    return results


_CONTROL_REFERENCES = ("&#", "&lrm;", "&rlm;")
"""How HTML without controls (see :func:`clean_multiline`) can write one: a numeric character
reference, or one of the two named references that stand for a character it removes (bidi
marks; HTML's other names stand for none, checked against ``html.entities.html5``)."""


def _may_reference_control(html: str) -> bool:
    """Whether ``html``, already cleaned, has a reference that decodes to a control."""
    return "&" in html and any(reference in html for reference in _CONTROL_REFERENCES)


def _as_text(sanitized: str) -> str | Exception:
    """Sanitized HTML the converter could not take, as the Markdown of its text."""
    try:
        return text_to_markdown(strip_tags(sanitized))
    except Exception as exc:
        return exc


def _unescape_and_tidy(markdown: str) -> str:
    return _tidy_prose(_unescape_harmless(markdown))


def _tidy_prose(markdown: str) -> str:
    if "!" in markdown and "![" in markdown:  # one character is found 20 times faster
        markdown = _EMPTY_IMAGE.sub("", markdown)  # images whose source was unsafe or relative
    return _quotes_apart(markdown) if ">" in markdown and "\n>" in markdown else markdown


def _quotes_apart(markdown: str) -> str:
    """A blank line before each quote that follows a line of text (Markdown would read the
    quote's first line as part of that paragraph otherwise).

    Found from each ``"\\n>"``: a pattern for "a line not starting with ``>``" would be tried
    at every line of the text.
    """
    out: list[str] = []
    last = 0
    at = markdown.find("\n>")
    while at != -1:
        start = markdown.rfind("\n", 0, at) + 1
        if start < at and markdown[start] != ">":
            out.append(markdown[last : at + 1])
            last = at
        at = markdown.find("\n>", at + 1)
    out.append(markdown[last:])
    return "".join(out)


def _unescape_harmless(markdown: str) -> str:
    """Undo the converter's escapes of ``- . ! # + = ( )`` after a non-space character.

    Kept: escapes at the start of a line or after a space, and ``\\.``/``\\)`` after the
    number that would start an ordered list (``1\\. x``, ``- 2\\) y``). The escapes are found
    by their backslash and judged one by one: a single pattern for both cases has no literal
    to search for and tries every position of the text (five times slower).
    """
    if "\\" not in markdown:
        return markdown
    out: list[str] = []
    last = 0
    for match in _MISC_ESCAPE.finditer(markdown):
        at = match.start()
        before = markdown[at - 1] if at else " "
        if before.isspace() or before == "\\":
            continue
        if before.isdigit() and markdown[at + 1] in ".)":
            line_start = markdown.rfind("\n", 0, at) + 1
            if _LIST_NUMBER_PREFIX.fullmatch(markdown, line_start, at):
                continue
        out.append(markdown[last:at])
        last = at + 1
    out.append(markdown[last:])
    return "".join(out)


def map_prose(markdown: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the parts of ``markdown`` outside fenced code and code spans."""
    if ("`" not in markdown or "```" not in markdown) and (
        "~" not in markdown or "~~~" not in markdown
    ):
        return _map_outside_spans(markdown, change)  # no fence: all of it is prose
    out: list[str] = []
    prose: list[str] = []
    fence = ""

    def flush() -> None:
        if prose:
            out.append(_map_outside_spans("\n".join(prose), change))
            prose.clear()

    for line in markdown.split("\n"):
        match = _FENCE_LINE.match(line)
        if fence:
            out.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            flush()
            fence = match.group(1)
            out.append(line)
        else:
            prose.append(line)
    flush()
    return "\n".join(out)


def _map_outside_spans(text: str, change: Callable[[str], str]) -> str:
    return map_outside(text, _CODE_SPAN, change) if "`" in text else change(text)


def escape_markdown(text: str) -> str:
    """Escape one paragraph of plain text so Markdown shows it literally."""
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LIST_NUMBER.sub(r"\1\\\2", text)  # "1. x" would start an ordered list
    return _MD_LINE_START.sub(r"\\\1", text)


def text_to_markdown(text: str) -> str:
    """Turn plain-text paragraphs into Markdown paragraphs that show the text literally.

    Paragraphs are separated by blank lines when the text has any (lines inside one are
    joined), else every line is a paragraph.
    """
    text = clean_multiline(text)
    if re.search(r"\n[ \t]*\n", text):
        blocks = [" ".join(block.split()) for block in re.split(r"\n[ \t]*\n", text)]
    else:
        blocks = [" ".join(line.split()) for line in text.split("\n")]
    return "\n\n".join(escape_markdown(block) for block in blocks if block)


def limit_body(body: str) -> tuple[str, tuple[str, ...]]:
    """Return ``body`` cut to :data:`MAX_BODY_CHARS` and the notes to add to the article."""
    if len(body) <= MAX_BODY_CHARS:
        return body, ()
    note = f"body truncated to {MAX_BODY_CHARS:,} of {len(body):,} characters"
    return body[:MAX_BODY_CHARS].rstrip("\\") + "\n\n…", (note,)
