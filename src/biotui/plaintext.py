"""Make one string safe for a terminal: no escape sequences, controls or bidi overrides.

Kept apart from :mod:`biotui.sources.sanitize` (which needs nh3 and html-to-markdown) so that
the CLI and the configuration can clean text without loading the HTML machinery.
"""

from __future__ import annotations

import re
from typing import Any

# ESC sequences: CSI (ESC [ ... final), string commands OSC/DCS/SOS/PM/APC (ESC ] P X ^ _ ...
# ended by BEL or ST, or cut at a newline / the end), then any other two-character ESC x.
# C1 characters (the 8-bit forms) are removed one by one with the other controls: a stray
# 0x9D from a legacy file must not swallow the text after it.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -~]?"
)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROLS_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ufeff\ud800-\udfff]")
_CONTROLS_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ufeff\ud800-\udfff]")
_ASCII_CONTROLS_MULTILINE = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
"""The controls :func:`clean_multiline` removes that ASCII has (all but tab and newline)."""
_WHITESPACE = re.compile(r"\s+")


def clean_text(s: str) -> str:
    """Return ``s`` as one line of plain text, safe for a terminal.

    Removes escape sequences, C0/C1 controls, DEL, bidi controls and stray surrogates, then
    collapses every run of whitespace (newlines and tabs included) to one space. Nothing is
    unescaped or parsed: ``[@click=app.quit]x`` stays exactly that.
    """
    if s.isprintable() and "  " not in s:
        # No control, escape, bidi mark or surrogate (none is printable), and no whitespace
        # but single spaces: nothing to remove or collapse (most titles and names).
        return s.strip(" ")
    s = _ESCAPES.sub("", s)
    s = s.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return _WHITESPACE.sub(" ", _CONTROLS_ONE_LINE.sub("", s)).strip()


def clean_multiline(s: str, *, whole_escapes: bool = True) -> str:
    """Like :func:`clean_text` but keep line breaks (normalised to ``\\n``) and tabs.

    With ``whole_escapes=False`` an escape sequence loses its ESC only, the rest staying as
    text: for Markdown, where an ESC that took the next character along could take the
    backtick closing a code span.
    """
    if s.isascii():
        # Most bodies. Checked as bytes: a fifth of the time of the search below.
        data = s.encode("ascii")
        if len(data.translate(None, _ASCII_CONTROLS_MULTILINE)) == len(data):
            return s.strip()  # no ESC, no CR, no other control: nothing to remove
    elif s.replace("\n", "").replace("\t", "").isprintable() or (
        # Not printable either: the spaces other than " " (no-break, thin), soft hyphens and
        # zero-width joiners, which stay. Printable text holds nothing removed here, and
        # telling so takes about two thirds of the time of this search.
        _CONTROLS_MULTILINE.search(s) is None and "\u2028" not in s and "\u2029" not in s
    ):
        return s.strip()  # the same, for text beyond ASCII
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if whole_escapes:
        s = _ESCAPES.sub("", s)
    return _CONTROLS_MULTILINE.sub("", s).strip()


def type_name(value: Any) -> str:
    """How a configuration error names the TOML type of ``value`` ("a string", "an array")."""
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)
