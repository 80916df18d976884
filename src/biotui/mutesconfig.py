"""The ``[[mute]]`` entries of feeds.toml read into :class:`~biotui.model.MuteRule` records,
each query checked by the filter language's parser so a malformed one is reported with its place."""

from __future__ import annotations

from typing import Any

from biotui.keysconfig import Report
from biotui.model import MuteRule
from biotui.plaintext import clean_text, type_name

_MUTE_KEYS = {"name", "query"}


def parse_mutes(items: Any, report: Report) -> tuple[MuteRule, ...]:
    """The ``[[mute]]`` rules: a ``query`` in the filter language each (checked here, so a
    malformed one is reported with its place), and an optional ``name``."""
    if not isinstance(items, list):
        report("mute", "must be an array of tables ([[mute]])")
        return ()
    rules: list[MuteRule] = []
    names: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        place = f"mute[{number}]"
        if not isinstance(item, dict):
            report(place, f"must be a table, not {type_name(item)}")
            continue
        rule = _mute(item, place, report)
        if rule is None:
            continue
        if rule.name in names:
            report(place, f'duplicate name "{rule.name}" (also mute[{names[rule.name]}])')
            continue
        names[rule.name] = number
        rules.append(rule)
    return tuple(rules)


def _mute(item: dict[str, Any], place: str, report: Report) -> MuteRule | None:
    problems: list[str] = []

    def add(where: str, what: str) -> None:
        problems.append(what)
        report(where, what)

    for key in item:
        if key not in _MUTE_KEYS:
            add(place, f"unknown key '{key}' (expected name, query)")
    name, query = item.get("name"), item.get("query")
    if name is not None and not isinstance(name, str):
        add(place, f"'name' must be a string, not {type_name(name)}")
    elif isinstance(name, str) and not name.strip():
        add(place, "'name' must not be blank (leave it out to name the rule by its query)")
    elif isinstance(name, str) and clean_text(name) != name.strip():
        add(place, "'name' must be one line of text without control characters")
    if query is None:
        add(place, "needs a 'query' (a filter, such as \"sponsored OR webinar\")")
    elif not isinstance(query, str):
        add(place, f"'query' must be a string, not {type_name(query)}")
    elif not query.strip():
        add(place, "'query' must not be blank (it would mute nothing)")
    else:
        from biotui.search import parse_filter  # only for a configuration with rules

        error = parse_filter(query).error
        if error is not None:
            add(place, f"'query' {query!r}: {error}")
    if problems:
        return None
    assert isinstance(query, str)
    shown = name.strip() if isinstance(name, str) else clean_text(query)
    return MuteRule(name=shown, query=query)
