"""The ``[keys]`` table of feeds.toml read into :class:`~biotui.model.KeyEntry` records.

Only the shape is checked here (a table of strings or arrays of strings, each key one word
without commas); whether an action exists and a key name means a key is the app's to say,
since both come from Textual and the app's bindings (see ``biotui.app.keymap``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from biotui.model import KeyEntry

Report = Callable[[str, str], None]
"""Adds a problem: its place (``keys.next``) and what is wrong."""


def parse_keys(table: Any, report: Report) -> tuple[KeyEntry, ...]:
    """The entries of a ``[keys]`` table, reporting each malformed one to ``report``."""
    if not isinstance(table, dict):
        report("keys", "must be a table of action = key or action = [keys]")
        return ()
    entries: list[KeyEntry] = []
    for action, value in table.items():
        place = f"keys.{action}"
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            report(place, 'must be a key ("ctrl+a") or a non-empty array of keys (["j", "down"])')
            continue
        bad = [key for key in keys if not key.strip() or "," in key or " " in key.strip()]
        if bad:
            report(place, f"{bad[0]!r} is not a key name (one key per string, no commas)")
            continue
        entries.append(KeyEntry(action, tuple(dict.fromkeys(key.strip() for key in keys))))
    return tuple(entries)
