"""Titles and guids for items that lack them, the same for every reader."""

from __future__ import annotations

import hashlib
import re

from biotui.plaintext import clean_text

UNTITLED = "(untitled)"
_FALLBACK_CHARS = 100


def fallback_title(body: str) -> str:
    """Return a title made from the start of a Markdown body, or ``(untitled)``."""
    text = clean_text(re.sub(r"\\(.)", r"\1", body))[:_FALLBACK_CHARS]
    if len(text) == _FALLBACK_CHARS and " " in text:
        return text.rsplit(" ", 1)[0] + "…"
    return text or UNTITLED


def make_guid(*parts: str) -> str:
    """Return a stable guid for an item that has neither id nor link: a hash of ``parts``."""
    return "sha256:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
