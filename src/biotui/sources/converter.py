"""Sanitized HTML to Markdown with html-to-markdown, with the text shown literally.

:func:`convert_fast` runs the converter's single-pass scanner ("tier 1"), much faster than its
DOM walk but blind to the options that escape Markdown in the text (``*``, ``_``, ``[``,
``<``...): text such as ``**b**``, ``[x](y)`` or ``<script>`` would come out as markup. So the
text is escaped before the scanner runs: every character of the HTML's text that Markdown
could read as markup gets :data:`MARK` in front of it, a private-use character the converter
leaves alone, and each mark becomes the backslash that escapes the character once the
Markdown is out (where the scanner escapes the character as well, in link text or a table
cell, the two backslashes become one). A backslash of the text becomes :data:`BACKSLASH`
meanwhile, so that every backslash the scanner sees is its own. Tags, attribute values and
code are not marked: the converter escapes what it writes from attributes itself, and code
shows as it is. :func:`convert_full` is the DOM walk with the converter's own escaping, for
HTML that holds one of those private-use characters already.

Both expect what :func:`biotui.sources.sanitize.sanitize_html` makes of a body: well-formed
tags, attribute values in double quotes, text with ``<``, ``>`` and ``&`` written as entities,
no attribute on any tag but ``a`` and ``img``.
"""

from __future__ import annotations

import dataclasses
import re

import html_to_markdown as _h2m

from biotui.sources.h2m import make_converter
from biotui.sources.markup import map_outside

MARK = "\ue000"
"""Put before a character of the text that must show literally; becomes a backslash."""
BACKSLASH = "\ue001"
"""Stands for a backslash of the text; becomes an escaped backslash."""

FULL_OPTIONS = _h2m.ConversionOptions(
    escape_asterisks=True,
    escape_underscores=True,
    escape_misc=True,
    extract_metadata=False,
    autolinks=False,
    newline_style="backslash",
    max_depth=200,
)
"""The DOM walk, escaping every character that could be markup (the caller undoes the
escapes that cannot matter, for readability)."""

FAST_OPTIONS = dataclasses.replace(
    FULL_OPTIONS,
    escape_asterisks=False,
    escape_underscores=False,
    escape_misc=False,
    tier_strategy="tier1",
)
"""The single-pass scanner, which falls back to the DOM walk by itself for what it cannot
read. Without escaping options it still escapes what would start a block at the start of a
line (``-``, ``+``, ``#``, ``1.``, ``>``) and what it writes from attributes."""


convert_full = make_converter(FULL_OPTIONS)
_scan = make_converter(FAST_OPTIONS)

_ATTRIBUTED_TAG = re.compile(r'<(?:a|img)\s[^>"]*(?:"[^"]*"[^>"]*)*>')
"""A link or image tag: the only tags with attributes (values in double quotes, where a ``>``
may be), so the only ones whose characters must not be marked."""
TAG = "\ue002"
"""Stands for a link or image tag while the text around it is marked."""
_MARKED = [(char, MARK + char) for char in "`*_[]|~"] + [
    (entity, MARK + entity) for entity in ("&amp;", "&lt;", "&gt;")
]
"""What Markdown may read as markup anywhere in the text (``&``, ``<``, ``>`` are entities
there), each with what it becomes."""
_BLOCK_MARKER = re.compile(r"(\n[ \t]*+(?:(?=[-+#=])|\d{1,9}(?=[.)])))")
"""A block marker after a newline of the text, up to where its mark goes: before ``-``,
``+``, ``#`` or ``=``, or after the number of ``1.`` or ``1)`` (the scanner escapes them
only after tags)."""
_CODE = re.compile(r"<(pre|code|kbd)>.*?</\1>", re.DOTALL)

_INLINE_END = r"</(?:a|abbr|b|cite|code|del|em|i|ins|kbd|mark|q|s|small|strong|sub|sup|u)>"
_BLOCK = r"(?:p|li|dd|dt|td|th|blockquote|h[1-6]|figcaption|caption|figure|ul|ol|dl|table|pre)"
_BREAKS = re.compile(r"((?:<br>\s*+)++)((?:" + _INLINE_END + r"\s*+)*+)")
"""A run of line breaks, and the ends of inline elements right after it (each run is matched
once: patterns that can fail after a run would try again from each of its breaks)."""
_BLOCK_EDGE_AFTER = re.compile(r"</" + _BLOCK + r">|<(?:" + _BLOCK + r"|hr)[\s>]|\Z")
_BREAKS_AT_BLOCK_START = re.compile(r"(\A|<" + _BLOCK + r">)(?:\s*+<br>)++")
"""A line break at the end or start of a block shows nothing in HTML; the scanner would write
it as a backslash that Markdown shows (and one before ``**`` would escape the ``*``)."""


_MARKABLE = "`*_[]|~&\\"
"""The characters :func:`_mark_text` changes when they are in the text (``&`` starts an
entity)."""


def _text_to_mark(html: str) -> bool:
    """Whether the text of ``html`` holds anything :func:`_mark_text` changes.

    Most bodies hold none, but their links' URLs often do (``utm_source``, ``&amp;``): a
    character found inside a tag is passed over with the rest of the tag. The text never holds
    a raw ``<`` (it is written ``&lt;``), so a character after the last ``<`` that a ``>``
    closed is text; a ``>`` inside an attribute value can only make this answer yes wrongly,
    which costs the full marking, never a mark missed.
    """
    if "\n" in html and _BLOCK_MARKER.search(html):
        return True
    # Character by character: str.find is much faster than a pattern finding any of them.
    for char in _MARKABLE:
        at = html.find(char)
        while at != -1:
            if html.rfind("<", 0, at) <= html.rfind(">", 0, at):
                return True
            end = html.find(">", at)
            at = -1 if end == -1 else html.find(char, end)
    return False


def _mark_text(html: str) -> str:
    """``html`` (no code in it) with :data:`MARK` before each character of its text that
    could be Markdown, and :data:`BACKSLASH` for each backslash of the text."""
    if not _text_to_mark(html):
        return html
    tags = _ATTRIBUTED_TAG.findall(html) if "<a " in html or "<img " in html else []
    if tags:
        html = _ATTRIBUTED_TAG.sub(TAG, html)
    # Every other tag is bare (``<p>``, ``</em>``): what is left to mark is all text.
    if "\\" in html:
        html = html.replace("\\", BACKSLASH)
    for found, replacement in _MARKED:
        if found in html:
            html = html.replace(found, replacement)
    if "\n" in html and _BLOCK_MARKER.search(html):  # a sub that changes nothing still copies
        html = _BLOCK_MARKER.sub("\\1" + MARK, html)
    if not tags:
        return html
    pieces = html.split(TAG)
    out = [pieces[0]]
    for tag, piece in zip(tags, pieces[1:], strict=True):
        out += (tag, piece)
    return "".join(out)


_CODE_START = re.compile(r"<(?:pre|code|kbd)>")


def _mark_outside_code(html: str) -> str:
    if _CODE_START.search(html) is None:
        return _mark_text(html)
    return map_outside(html, _CODE, _mark_text)


def _without_edge_breaks(html: str) -> str:
    if "<br>" not in html:
        return html

    def moved(run: re.Match[str]) -> str:
        """The breaks after the inline ends that follow them, or gone at a block's end."""
        breaks, ends = run.groups()
        return ends if _BLOCK_EDGE_AFTER.match(html, run.end()) else ends + breaks

    return _BREAKS_AT_BLOCK_START.sub("\\1", _BREAKS.sub(moved, html))


def convert_fast(html: str) -> str | None:
    """Sanitized ``html`` as Markdown whose text shows literally; None when ``html`` holds
    one of the private-use characters this uses (use :func:`convert_full`)."""
    if MARK in html or BACKSLASH in html or TAG in html:
        return None
    markdown = _scan(_mark_outside_code(_without_edge_breaks(html)))
    markdown = markdown.replace(MARK + "\\", "\\").replace(MARK, "\\")
    return markdown.replace(BACKSLASH, "\\\\")
