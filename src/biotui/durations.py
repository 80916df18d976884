"""Durations as the configuration writes them: ``"45s"``, ``"30m"``, ``"2h"``, ``"off"``."""

from __future__ import annotations

import math
import re

OFF = math.inf
"""The duration ``"off"`` stands for: a wait that never ends, so nothing is ever due."""

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")


def parse_duration(text: str) -> float:
    """Return ``text`` in seconds (``OFF`` for ``"off"``).

    A number and a unit, s, m, h or d, or several (``"1h30m"``); raises ValueError with a
    short reason for anything else, or for a duration of zero.
    """
    cleaned = text.strip().lower()
    if cleaned == "off":
        return OFF
    compact = cleaned.replace(" ", "")
    position, seconds = 0, 0.0
    while position < len(compact):
        match = _DURATION.match(compact, position)
        if match is None:
            raise ValueError('must be a duration such as "45s", "30m", "2h", "1d", or "off"')
        seconds += float(match[1]) * _UNITS[match[2]]
        position = match.end()
    if not compact:
        raise ValueError('must be a duration such as "45s", "30m", "2h", "1d", or "off"')
    if seconds <= 0:
        raise ValueError('must be longer than 0 (write "off" to never refresh by itself)')
    return seconds


def format_duration(seconds: float) -> str:
    """Say ``seconds`` in the largest whole units that fit: ``"2h 5m"``, ``"40s"``, ``"off"``."""
    if seconds == OFF:
        return "off"
    left = max(round(seconds), 0)
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if left >= size:
            parts.append(f"{left // size}{unit}")
            left %= size
    if left or not parts:
        parts.append(f"{left}s")
    return " ".join(parts[:2])
