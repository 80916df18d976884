"""The keys in force: the bindings' public names, ``[keys]`` checked and turned into
Textual's keymap, and the theme's name checked.

Every rebindable binding carries an ``id``: that is its action's public name in ``[keys]``
(``next``, ``mark_all_read``...). The names are collected from the classes in
:func:`binding_owners`, so adding a binding with an ``id`` to one of their ``BINDINGS`` lists
is all it takes to make it rebindable, listed in the help and checked in the configuration.
One name may sit on several widgets' bindings (``next`` moves in the list, the side panel
and the article). A key given in ``[keys]`` is taken from whichever action held it by
default; an action left without keys is parked on :data:`UNBOUND`, a key no terminal sends,
and hidden from the footer by :class:`KeyedScreen`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from textual.binding import ActiveBinding, Binding
from textual.keys import Keys, format_key
from textual.screen import Screen

from biotui.app.textual_internals import character_key
from biotui.errors import ConfigError
from biotui.model import Config, KeyEntry
from biotui.plaintext import clean_text

if TYPE_CHECKING:
    from textual.dom import DOMNode

UNBOUND = "biotui_unbound"
"""The key an action is parked on when ``[keys]`` took all of its keys."""
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED_KEYS = frozenset(
    key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<")
)
"""Key names Textual knows besides characters (``down``, ``pagedown``, ``f5``...)."""


@dataclass(frozen=True, slots=True)
class PublicAction:
    """A rebindable action: its public name, what it does, and its default keys."""

    name: str
    description: str
    keys: tuple[str, ...]


def binding_owners() -> tuple[type[DOMNode], ...]:
    """The classes whose bindings with an ``id`` are public, in the help's order."""
    from biotui.app.app import BiotuiApp
    from biotui.app.screens.main import MainScreen
    from biotui.app.widgets.article_view import ArticleView
    from biotui.app.widgets.headline_list import HeadlineList
    from biotui.app.widgets.side_panel import SidePanel

    return (HeadlineList, MainScreen, ArticleView, SidePanel, BiotuiApp)


@cache
def public_actions() -> Mapping[str, PublicAction]:
    """Every public action by name; the first binding of a name describes it, and its
    default keys are those of all its bindings."""
    found: dict[str, PublicAction] = {}
    for owner in binding_owners():
        for binding in owner.BINDINGS:
            if not isinstance(binding, Binding) or binding.id is None:
                continue
            keys = tuple(normalize_key(key) for key in binding.key.split(","))
            known = found.get(binding.id)
            if known is None:
                what = binding.tooltip or binding.description
                found[binding.id] = PublicAction(binding.id, what, keys)
            else:
                merged = tuple(dict.fromkeys(known.keys + keys))
                found[binding.id] = PublicAction(known.name, known.description, merged)
    return found


def normalize_key(key: str) -> str:
    """``key`` as Textual names it (``?`` -> ``question_mark``); other names unchanged."""
    key = key.strip()
    return character_key(key) if len(key) == 1 else key


def key_problem(key: str) -> str | None:
    """Why ``key`` names no key Textual can send, or None when it does."""
    *modifiers, base = key.split("+")
    unknown = [modifier for modifier in modifiers if modifier not in MODIFIERS]
    if unknown:
        return f"{key!r} has an unknown modifier {unknown[0]!r} (expected {', '.join(MODIFIERS)})"
    if (len(base) == 1 and base.isprintable()) or base in NAMED_KEYS:
        return None
    try:
        character = unicodedata.lookup(base.replace("_", " ").upper())
    except KeyError:
        character = ""
    if len(character) == 1 and character_key(character) == base:
        return None  # the name Textual gives that character (question_mark, full_stop)
    return f"{key!r} is not a key name (such as j, A, ctrl+a, down, pagedown, f5, question_mark)"


def check_config(config: Config) -> None:
    """Raise :class:`ConfigError` for an unknown theme, an unknown action or key in
    ``[keys]``, or a key given to two actions; each problem one line with its place."""
    label = config.path.name
    problems = [clean_text(f"{label}: {problem}") for problem in _problems(config)]
    if problems:
        raise ConfigError(problems)


def theme_names() -> list[str]:
    """The names of Textual's built-in themes, sorted."""
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def _problems(config: Config) -> Iterable[str]:
    theme = config.settings.theme
    if theme is not None and theme not in theme_names():
        names = ", ".join(theme_names())
        yield f"settings.theme: unknown theme {theme!r} (expected one of {names})"
    actions = public_actions()
    holders: dict[str, str] = {}
    for entry in config.keys:
        place = f"keys.{entry.action}"
        if entry.action not in actions:
            yield f"{place}: unknown action (expected one of {', '.join(actions)})"
        for key in entry.keys:
            problem = key_problem(key)
            if problem is not None:
                yield f"{place}: {problem}"
                continue
            other = holders.setdefault(normalize_key(key), entry.action)
            if other != entry.action:
                yield f"{place}: {key!r} is already given to {other}"


def build_keymap(entries: Iterable[KeyEntry]) -> dict[str, str]:
    """Textual's keymap for ``entries`` (checked): each rebound action's keys, and each
    action that lost a key to another its remaining keys (or :data:`UNBOUND`)."""
    keymap = {entry.action: ",".join(normalize_key(key) for key in entry.keys) for entry in entries}
    claimed = {normalize_key(key) for entry in entries for key in entry.keys}
    for name, action in public_actions().items():
        if name in keymap or claimed.isdisjoint(action.keys):
            continue
        keymap[name] = ",".join(key for key in action.keys if key not in claimed) or UNBOUND
    return keymap


def keys_in_force(keymap: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Each public action's keys under ``keymap`` (none for an action left without)."""
    return {
        name: tuple(key for key in keymap[name].split(",") if key != UNBOUND)
        if name in keymap
        else action.keys
        for name, action in public_actions().items()
    }


def show_keys(keys: Iterable[str]) -> str:
    """Keys as the footer shows them (``question_mark`` -> ``?``), joined by `` / ``."""
    return " / ".join(format_key(key) for key in keys) or "(no key)"


class KeyedScreen(Screen[None]):
    """A screen whose footer leaves out the actions parked on :data:`UNBOUND`."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, without the parked ones."""
        return {key: bound for key, bound in super().active_bindings.items() if key != UNBOUND}
