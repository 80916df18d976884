"""The content digest: whether an article to store differs from the one stored.

An ingest compares the digest of each incoming article with the stored one and rewrites the
row only when they differ. The digest is made generically from the fields of
:class:`~biotui.model.Article`, so a new field needs nothing here.

Contract: a field at its default value is left out of the canonical form (and ``id``,
``read`` and ``starred``, which are not content, always are). So adding a field with a default
to ``Article`` changes the digest of no stored article: an article that does not set the new
field has the same canonical form as before, and a refresh finds it unchanged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import MISSING, Field, fields
from datetime import datetime
from typing import Any

from biotui.model import Article
from biotui.store.rows import to_us

__all__ = ["DIGEST_VERSION", "canonical_form", "content_digest"]

DIGEST_VERSION = "3"
"""Starts every digest (``3:`` and 32 hex digits); a stored digest without it is from an
earlier form, which the schema-5 migration replaced."""

NOT_CONTENT = frozenset({"id", "read", "starred"})
"""Fields of :class:`Article` that are not part of its content."""


def _default(field: Field[Any]) -> object:
    if field.default is not MISSING:
        return field.default
    if field.default_factory is not MISSING:
        return field.default_factory()
    return MISSING


_FIELDS: dict[type[Article], tuple[tuple[str, object], ...]] = {}


def _content_fields(kind: type[Article]) -> tuple[tuple[str, object], ...]:
    """The content fields of ``kind`` (``Article`` or a variant of it) and their defaults,
    sorted by name."""
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = tuple(
            sorted(
                (field.name, _default(field))
                for field in fields(kind)
                if field.name not in NOT_CONTENT
            )
        )
    return found


def _text(value: object) -> str:
    """A field's value as text: a string as it is, a time as microseconds since the epoch
    (UTC), anything else (a tuple of strings, a number) as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return str(to_us(value))
    if isinstance(value, tuple):
        value = list(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def canonical_form(article: Article) -> str:
    """The text the digest is made of: for every content field of ``article`` whose value is
    not the field's default, in the order of the fields' names, a line ``name=N:text`` where
    ``text`` is the value as text (see :func:`_text`) and ``N`` its length in characters (so
    that no value can be mistaken for another, whatever characters it holds)."""
    parts: list[str] = []
    for name, default in _content_fields(type(article)):
        value = getattr(article, name)
        if value != default:
            text = _text(value)
            parts.append(f"{name}={len(text)}:{text}")
    return "\n".join(parts)


def content_digest(article: Article) -> str:
    """``3:`` and 32 hex digits of SHA-256 over :func:`canonical_form`."""
    payload = canonical_form(article).encode("utf-8", "surrogatepass")
    return f"{DIGEST_VERSION}:{hashlib.sha256(payload).hexdigest()[:32]}"
