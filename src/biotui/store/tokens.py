"""What the full-text index's tokenizer does to each character, asked of SQLite itself.

The highlighter and the filter compiler must split and fold text exactly as the index does
(``unicode61 remove_diacritics 2``): which characters belong to words, and what each becomes
(``É`` -> ``e``, ``ł`` -> ``l``, a combining accent -> nothing, ``ø`` and Greek accents kept).
Python's Unicode tables differ from SQLite's in hundreds of places, so instead of imitating the
tokenizer this module asks it, once per distinct character, through an in-memory FTS5 table.
ASCII is answered without SQLite.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable

from biotui.store.schema import FTS_TOKENIZE

__all__ = ["fold_chars"]

_ASCII: dict[str, str | None] = {
    chr(code): (chr(code).lower() if chr(code).isalnum() else None) for code in range(128)
}

_cache: dict[str, str | None] = dict(_ASCII)
_lock = threading.Lock()
_probe: sqlite3.Connection | None = None


def _connection() -> sqlite3.Connection:
    """The in-memory probe database (made on first use; call with the lock held)."""
    global _probe
    if _probe is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        conn.execute(f"CREATE VIRTUAL TABLE probe USING fts5 (t, tokenize = '{FTS_TOKENIZE}')")
        conn.execute("CREATE VIRTUAL TABLE probe_terms USING fts5vocab (probe, 'instance')")
        _probe = conn
    return _probe


def _ask(chars: list[str]) -> dict[str, str | None]:
    """Tokenize ``q<char>q`` for each character: one token means the character is part of
    words (folded to what sits between the q's), two tokens mean it separates them."""
    conn = _connection()
    conn.execute("DELETE FROM probe")
    conn.executemany(
        "INSERT INTO probe (rowid, t) VALUES (?, ?)",
        [(number, f"q{char}q") for number, char in enumerate(chars)],
    )
    terms: dict[int, list[str]] = {}
    for doc, term in conn.execute("SELECT doc, term FROM probe_terms ORDER BY doc, offset"):
        terms.setdefault(doc, []).append(term)
    answers: dict[str, str | None] = {}
    for number, char in enumerate(chars):
        found = terms.get(number, [])
        if len(found) == 1 and len(found[0]) >= 2 and found[0][0] == found[0][-1] == "q":
            answers[char] = found[0][1:-1]
        else:
            answers[char] = None
    return answers


def fold_chars(chars: Iterable[str]) -> dict[str, str | None]:
    """Map each character of ``chars`` to what the index makes of it.

    ``None``: the character separates words. A string: the character is part of a word and is
    indexed as that string (lowercase, accents removed; ``""`` for a dropped combining mark).
    Thread-safe; each distinct character is asked of SQLite once per process.
    """
    wanted = set(chars)
    missing = [char for char in wanted if char not in _cache]
    if missing:
        with _lock:
            missing = [char for char in missing if char not in _cache]
            askable = [char for char in missing if not 0xD800 <= ord(char) <= 0xDFFF]
            if askable:
                _cache.update(_ask(askable))
            for char in missing:
                _cache.setdefault(char, None)  # lone surrogates cannot even be stored
    return {char: _cache[char] for char in wanted}
