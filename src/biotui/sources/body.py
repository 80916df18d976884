"""Article bodies from HTML: sanitized with nh3, converted to Markdown, tidied.

The one path every HTML body takes, whichever reader found it. A feed's bodies go through it
together, stage by stage (every body sanitized, then every one converted, then every one
tidied): each compiled stage then stays in the processor's caches from one body to the next,
which makes a feed's parse measurably faster than taking the bodies one at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

from biotui.plaintext import clean_multiline
from biotui.sources.converter import convert_fast, convert_full
from biotui.sources.markup import text_to_markdown, tidy_converted
from biotui.sources.sanitize import MAX_HTML_CHARS, sanitize_html, strip_tags, too_deep

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
    (markdown,) = html_to_markdown_all([(html, base_url)])
    if isinstance(markdown, Exception):
        raise markdown
    return markdown


def html_to_markdown_all(bodies: Sequence[tuple[str, str]]) -> list[str | Exception]:
    """:func:`html_to_markdown` of each ``(html, base_url)``, in order, stage by stage; where
    it raised, the exception instead (one body's failure is not the others')."""
    results: list[str | Exception] = []
    to_convert: list[tuple[int, str, str]] = []  # position, cleaned HTML, sanitized HTML
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
        if sanitized and not sanitized.isspace():
            to_convert.append((len(results), html, sanitized))
        results.append("")
    converted = [_convert(sanitized) for _, _, sanitized in to_convert]
    for (at, html, sanitized), markdown in zip(to_convert, converted, strict=True):
        results[at] = _tidy(html, sanitized, markdown)
    return results


def _convert(sanitized: str) -> tuple[str, bool] | None:
    """The Markdown of sanitized HTML and whether the converter escaped it (see
    :func:`tidy_converted`); None when the converter failed on it."""
    try:
        fast = convert_fast(sanitized)
        return (convert_full(sanitized), True) if fast is None else (fast, False)
    except Exception:  # hostile input: the body becomes its text
        return None


def _tidy(html: str, sanitized: str, converted: tuple[str, bool] | None) -> str | Exception:
    """The body made of what :func:`_convert` gave, or of the text of ``sanitized`` when that
    failed; ``html`` is the body before sanitizing."""
    try:
        if converted is not None:
            markdown, escaped = converted
            # A control here came from a character reference (``&#27;``): the input had none.
            if _may_reference_control(html):
                markdown = clean_multiline(markdown, whole_escapes=False)
            else:
                markdown = markdown.strip()  # what clean_multiline does to text without any
            return tidy_converted(markdown, escaped=escaped)
    except Exception:  # tidying failed on hostile input: the body becomes its text
        pass
    try:
        return text_to_markdown(strip_tags(sanitized))
    except Exception as exc:
        return exc


def _may_reference_control(html: str) -> bool:
    """Whether ``html``, already cleaned, has a reference that decodes to a control."""
    return "&" in html and any(reference in html for reference in _CONTROL_REFERENCES)
