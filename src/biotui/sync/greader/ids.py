"""Google Reader ids: item ids in their two forms, and stream ids that may name the user.

Servers give an item's id in a long form in contents (``tag:google.com,2005:reader/item/``
and 16 hex digits) and as a signed 64-bit decimal in ``stream/items/ids``; The Old Reader uses
24-hex ids in both. :func:`canonical_id` maps each to one form, so that the read state and the
items compare: the long form for the first two, any other id as given.
"""

from __future__ import annotations

import re

__all__ = [
    "ITEM_PREFIX",
    "READ",
    "READING_LIST",
    "STARRED",
    "canonical_id",
    "label_name",
    "short_id",
    "state_of",
]

ITEM_PREFIX = "tag:google.com,2005:reader/item/"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"

_DECIMAL = re.compile(r"-?[0-9]{1,20}")
_HEX = re.compile(r"[0-9a-fA-F]{1,16}")
_STATE = re.compile(r"user/[^/]*/state/com\.google/([a-z-]+)")
_LABEL = re.compile(r"user/[^/]*/label/(.+)", re.DOTALL)
_MASK = (1 << 64) - 1


def canonical_id(raw: str) -> str:
    """The form an item id is compared in: a decimal (signed or not, 64-bit) or a long form
    with fewer than 16 hex digits becomes the 16-digit long form; any other id is kept."""
    if _DECIMAL.fullmatch(raw):
        value = int(raw)
        if -(1 << 63) <= value <= _MASK:
            return f"{ITEM_PREFIX}{value & _MASK:016x}"
        return raw
    if raw.startswith(ITEM_PREFIX):
        digits = raw[len(ITEM_PREFIX) :]
        if _HEX.fullmatch(digits):
            return f"{ITEM_PREFIX}{int(digits, 16):016x}"
    return raw


def short_id(canonical: str) -> str:
    """The signed decimal form of a long-form id (what some servers accept in writes); any
    other id as given."""
    if canonical.startswith(ITEM_PREFIX):
        digits = canonical[len(ITEM_PREFIX) :]
        if _HEX.fullmatch(digits):
            value = int(digits, 16)
            return str(value - (1 << 64) if value >= 1 << 63 else value)
    return canonical


def state_of(stream: str) -> str:
    """The state a stream id names (``read``, ``starred``…), whichever user it spells
    (``user/-/`` or ``user/1/``); "" when it names none."""
    match = _STATE.fullmatch(stream)
    return match.group(1) if match else ""


def label_name(stream: str) -> str:
    """The label a stream id names (``user/-/label/X`` or ``user/1/label/X`` → ``X``)."""
    match = _LABEL.fullmatch(stream)
    return match.group(1) if match else ""
