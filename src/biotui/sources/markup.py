"""Markdown that shows text literally: escaping plain text, tidying converted HTML, the
length limit on bodies.

Every reader's body ends here: :func:`text_to_markdown` for plain text, the tidying of
:func:`tidy_converted` for Markdown converted from HTML, :func:`limit_body` for all.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from biotui.plaintext import clean_multiline

MAX_BODY_CHARS = 1_000_000
"""Bodies longer than this are truncated; the article gets a note saying so."""

_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")
_TIDY_LINES = re.compile(r"\n(?:(?<=[ \t]\n)|\n\n)")
"""A line ending in a space or tab, or the start of two blank lines: what
:func:`collapse_blank_lines` changes. The pattern starts with the newline, which the regular
expression engine looks for alone (a search for ``" \\n"`` is tried at every space)."""
_TRAILING_SPACE = re.compile(r"\n(?<=[ \t]\n)")

_FENCE_LINE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(?:.+?)(?<!`)\1(?!`)", re.DOTALL)
"""A code span; an escaped backtick (``\\` ``) opens none."""
# The converter escapes - . ! # + = ( ) everywhere; they only matter at the start of a line
# (lists, headings), so escapes after a non-space character are undone for readability.
_MISC_ESCAPE = re.compile(r"\\[-.!#+=()]")
_LIST_NUMBER_PREFIX = re.compile(r"[ \t]*(?:(?:>|[-+*]|\d+[.)])[ \t]+)*\d+")
"""What precedes ``\\.`` or ``\\)`` on a line where the escape stops an ordered list."""
_FENCE_IN_LINE = re.compile(r"(?<=[^\n`~])(`{3,}|~{3,})([^\n`~]*\n.*?\n)\1(?![`~])", re.DOTALL)
"""A fenced block the converter opened after text on its line (a ``<pre>`` inside a ``<q>``,
say), up to its closing fence: Markdown reads no fence there, and the code as text. Its
fence is longer than any run of backticks in the code, so the first line starting with it
closes it."""
_EMPTY_IMAGE = re.compile(r"!\[[^\]]*\]\((?:<>)?\)")

# Markdown-significant characters escaped anywhere in plain text, and those that only matter
# at the start of a paragraph.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^([#+\-=])")
_MD_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


def map_outside(text: str, pattern: re.Pattern[str], change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to each part outside the matches of ``pattern``."""
    out: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        out.append(change(text[last : found.start()]))
        out.append(found.group(0))
        last = found.end()
    out.append(change(text[last:]))
    return "".join(out)


def collapse_blank_lines(markdown: str) -> str:
    """Collapse runs of blank lines to one and drop trailing spaces on every line."""
    if _TIDY_LINES.search(markdown) is None:
        return markdown.strip()  # no line ends in a space, so no blank line holds one either
    if _TRAILING_SPACE.search(markdown):
        # Line by line: a pattern for trailing spaces would be tried at every space of the text.
        markdown = "\n".join(line.rstrip(" \t") for line in markdown.split("\n"))
    return _BLANK_LINES.sub("\n\n", markdown).strip()


def tidy_converted(markdown: str, *, escaped: bool) -> str:
    """Tidy Markdown the converter made: each fence on a line of its own, empty images
    gone, quotes set apart, blank lines collapsed, and (``escaped``: the converter escaped
    every character that could be markup) the escapes that cannot matter undone, for
    readability."""
    if "```" in markdown or "~~~" in markdown:  # each fence on a line of its own
        markdown = _FENCE_IN_LINE.sub(r"\n\1\2\1\n", markdown)
    tidy = _unescape_and_tidy if escaped else _tidy_prose
    return collapse_blank_lines(map_prose(markdown, tidy))


def _unescape_and_tidy(markdown: str) -> str:
    return _tidy_prose(_unescape_harmless(markdown))


def _tidy_prose(markdown: str) -> str:
    if "!" in markdown and "![" in markdown:  # a one-character search first: most have none
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
    to search for and would be tried at every position of the text.
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
