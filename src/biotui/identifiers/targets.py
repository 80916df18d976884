"""Targets and biomarkers from the curated list (targets.toml), matched case-sensitively.

The spellings are compiled into one regex shaped as a trie (common beginnings shared), so a
position that starts no spelling costs one character test. A spelling counts only as a
whole word: "CD19" in "anti-CD19" and "CD19/BCMA", never in "CD190" or "xCD19y"; a bispecific
written "CD20xCD3" gives both. Nothing inside a link counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from biotui.identifiers.data import Target, targets
from biotui.identifiers.links import link
from biotui.identifiers.model import Identifier
from biotui.identifiers.spans import Spans

_Trie = dict[str, "_Trie"]
_END = ""


def trie_pattern(words: list[str]) -> str:
    """Return a regex matching exactly ``words``, longest first where one extends another."""
    root: _Trie = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return _node_pattern(root)


def _node_pattern(node: _Trie) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
    return body


@cache
def _matcher() -> tuple[re.Pattern[str], dict[str, Target]]:
    by_spelling: dict[str, Target] = {}
    for target in targets():
        for spelling in target.spellings:
            by_spelling.setdefault(spelling, target)
    body = trie_pattern(sorted(by_spelling))
    pattern = re.compile(
        rf"(?:{body})s?(?!(?!x[A-Z])[^\W_]|[.,]\d)",
    )
    return pattern, by_spelling


def find_targets(text: str, spans: Spans) -> Iterator[tuple[int, Identifier]]:
    """Yield ``(position, Identifier)`` for every curated target named in ``text``."""
    pattern, by_spelling = _matcher()
    for match in pattern.finditer(text):
        start = match.start()
        if start > 0:
            before = text[start - 1]
            if before == "." or (
                (before.isalnum() or before == "_")
                and not (before == "x" and start > 1 and text[start - 2].isalnum())
            ):
                continue
        spelling = match.group()
        target = by_spelling.get(spelling) or by_spelling.get(spelling[:-1])
        if target is None or spans.link_at(start) is not None:
            continue
        yield (
            start,
            Identifier("target", target.name, link("target", target.name, symbol=target.symbol)),
        )
