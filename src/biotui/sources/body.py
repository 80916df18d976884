"""An article body from HTML: sanitized with nh3, converted to Markdown, tidied.

The one path every HTML body takes, whichever reader found it.
"""

from __future__ import annotations

import re

from biotui.plaintext import clean_multiline
from biotui.sources.converter import convert_fast, convert_full
from biotui.sources.markup import text_to_markdown, tidy_converted
from biotui.sources.sanitize import (
    MAX_HTML_CHARS,
    drop_sourceless_images,
    sanitize_html,
    strip_tags,
    too_deep,
)

_CONTROL_REFERENCES = ("&#", "&lrm;", "&rlm;")
"""How HTML without controls (see :func:`clean_multiline`) can write one: a numeric character
reference, or one of the two named references that stand for a character it removes (bidi
marks; HTML's other names stand for none, checked against ``html.entities.html5``)."""


def html_to_markdown(html: str, base_url: str = "") -> str:
    """Sanitize ``html`` (see :func:`sanitize_html`) and convert it to safe Markdown.

    Text that merely looks like Markdown (``*``, ``_``, ``[x](y)``) is escaped so it shows
    literally; the result carries no control characters. HTML nested too deep to parse, or
    that the converter fails on, gives the Markdown of its text. Relative links resolve
    against ``base_url`` when it is an http(s) URL.
    """
    html = clean_multiline(html[:MAX_HTML_CHARS])
    if too_deep(html):
        return text_to_markdown(strip_tags(html))
    sanitized = drop_sourceless_images(sanitize_html(html, base_url))
    if not sanitized or sanitized.isspace():
        return ""
    if "</code><" in sanitized:
        # Two code elements with only tags between them would make two code spans side by
        # side, whose backticks Markdown pairs wrongly when one holds a backtick.
        sanitized = _CODE_AFTER_CODE.sub(r"\1 \2", sanitized)
    try:
        fast = convert_fast(sanitized)
        markdown, escaped = (convert_full(sanitized), True) if fast is None else (fast, False)
        # A control here came from a character reference (``&#27;``): the input had none.
        if _may_reference_control(html):
            markdown = clean_multiline(markdown, whole_escapes=False)
        else:
            markdown = markdown.strip()  # what clean_multiline does to text without any
        return tidy_converted(markdown, escaped=escaped)
    except Exception:  # the converter failed on hostile input: fall back to plain text
        return text_to_markdown(strip_tags(sanitized))


_CODE_AFTER_CODE = re.compile(r"(</code>(?:</?[a-z][a-z0-9]*(?:\s[^>]*)?>)*)(<code[\s>])")
"""A code element's end followed, with only tags between, by another's start."""


def _may_reference_control(html: str) -> bool:
    """Whether ``html``, already cleaned, has a reference that decodes to a control."""
    return "&" in html and any(reference in html for reference in _CONTROL_REFERENCES)
