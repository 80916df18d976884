"""Helpers shared by the sources tests: the injection payload and the safety check."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"

PAYLOAD = (
    "[@click=app.quit]x [/] [bold]b\x1b[31mred\x1b]0;pwned\x07\x1b[2J\x9b1m\u202eevil\u202c\x00\x7f"
)
"""Markup that must stay literal, plus controls that must go, for every field of every reader."""

FORBIDDEN = frozenset(
    [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]
    + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"]
    + ["\u2069", "\u200e", "\u200f", "\u061c"]
)


def assert_safe(value: str) -> None:
    """Fail when ``value`` holds a control character or a bidi control."""
    bad = [f"U+{ord(c):04X}" for c in value if c in FORBIDDEN]
    assert not bad, f"control characters {bad} in {value!r}"
    assert "pwned" not in value, f"an OSC payload survived in {value!r}"
