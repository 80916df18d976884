"""What the bytes of a feed document say before any parser reads them, and the one change made
to them: entity declarations are removed, never expanded.

Both feed parsers read only what :func:`strip_entity_declarations` leaves: a DOCTYPE's internal
subset and ``<!ENTITY`` declarations go, so no entity expands (billion laughs, quadratic
blowup) and no external entity is fetched. External DTDs are never fetched either; naming one
gives a warning.
"""

from __future__ import annotations

import re

ENTITIES_REMOVED = "entity declarations removed"
"""The warning a document gets when declarations were removed from it."""
FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})
"""Root element names (lowercased) of RSS, Atom and RSS 1.0 documents."""

_DOCTYPE_SUBSET = re.compile(rb"(<!DOCTYPE[^\[<>]*+)\[.*?(?:\]\s*>|\Z)", re.IGNORECASE | re.DOTALL)
"""A DOCTYPE with an internal subset; one never closed runs to the end of the document.

Written so that every match attempt stops at the next ``<`` or succeeds: many unclosed
declarations cost linear time, not quadratic."""
_ENTITY_DECL = re.compile(rb"<!ENTITY\b[^>]*+(?:>|\Z)", re.IGNORECASE)
_DECLARATION = re.compile(rb"<!(?i:DOCTYPE|ENTITY)")
"""Where either pattern above could match: most documents have none, and this search with a
literal start is cheaper than both."""
_EXTERNAL_DTD = re.compile(rb"<!DOCTYPE\s+[^\s\[<>]++\s+(?:SYSTEM|PUBLIC)\b([^\[<>]*+)")
_KNOWN_DTDS = (b"netscape", b"rss-0.91", b"rss-0.92")
"""External DTDs of RSS 0.91/0.92, which old feeds carry as boilerplate: never a warning."""
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!(?i:DOCTYPE)[^>]*>|\s)*", re.DOTALL)
_HEAD_BYTES = 65536
"""How far into a document its DOCTYPE and root element are looked for."""


def strip_entity_declarations(data: bytes) -> tuple[bytes, bool]:
    """Remove DOCTYPE internal subsets and ``<!ENTITY`` declarations; say whether any were.

    Works on ASCII-compatible bytes; UTF-16/32 documents are re-encoded as UTF-8 first.
    """
    data = to_ascii_compatible(data)
    if _DECLARATION.search(data) is None:
        return data, False
    stripped = _DOCTYPE_SUBSET.sub(lambda match: match.group(1).rstrip() + b">", data)
    stripped = _ENTITY_DECL.sub(b"", stripped)
    return stripped, stripped != data


def has_external_dtd(data: bytes) -> bool:
    """Whether the document names an external DTD (never fetched) other than RSS 0.91's."""
    if data.find(b"<!DOCTYPE", 0, _HEAD_BYTES) == -1:
        return False
    match = _EXTERNAL_DTD.search(data[:_HEAD_BYTES])
    return match is not None and not any(known in match.group(1).lower() for known in _KNOWN_DTDS)


def to_ascii_compatible(data: bytes) -> bytes:
    """``data`` as UTF-8 (its XML declaration saying so) when a UTF-16/32 byte order mark
    starts it, else unchanged."""
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec, errors="replace")
            text = re.sub(r"^(<\?xml[^>]*?encoding=)([\"'])[^\"']*\2", r"\1\2utf-8\2", text)
            return text.encode("utf-8")
    return data


def root_element(data: bytes) -> str:
    """Return the name of the document's first element (after the prolog), or ``""``."""
    head = data[:_HEAD_BYTES].lstrip(b"\xef\xbb\xbf")
    match = _ROOT.match(head, _PROLOG.match(head).end())  # type: ignore[union-attr]
    return match.group(1).decode("ascii", "replace") if match else ""


def looks_like_json(data: bytes) -> bool:
    """Tell whether ``data`` starts like a JSON object (after a BOM and whitespace)."""
    return to_ascii_compatible(data[:1024]).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
