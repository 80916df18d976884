"""Every use of a private Textual internal, in one place.

The start frame needs what Textual has no public API for: the whole screen rendered as the
terminal would receive it, a hook for the moment the driver takes the terminal, and the
footer's own "keys are ready" flag; and the article pane lets go of the line caches of the
widgets it removed, which a cache of Textual's keeps alive. Each sits behind a function here,
and ``tests/app/test_textual_internals.py`` checks their shape for the supported versions
(:data:`SUPPORTED`, the same range as ``pyproject.toml``), so that an upgrade that changes
them fails in CI, not on a user's screen. Nothing else in ``src/`` imports ``textual._*`` or
subclasses a driver.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual._compositor import LayoutUpdate
from textual._styles_cache import StylesCache
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.driver import Driver
    from textual.screen import Screen
    from textual.widgets import Footer

SUPPORTED = ((8, 2), (9, 0))
"""Textual versions these internals are checked for: from the first, up to (not
including) the second."""


def _full_update(screen: Screen[object]) -> LayoutUpdate | None:
    """The compositor's update that draws all of ``screen``, or None when it gives none."""
    update = screen._compositor.render_update(full=True)
    return update if isinstance(update, LayoutUpdate) else None


def render_screen(screen: Screen[object]) -> list[Strip] | None:
    """Every line of ``screen`` as Textual would write it to the terminal, or None when the
    compositor gives no full frame."""
    update = _full_update(screen)
    return None if update is None else [Strip.join(chops) for chops in update.strips]


def handover_driver(on_take: Callable[[], None]) -> type[Driver]:
    """Textual's Linux/macOS terminal driver, calling ``on_take`` just before it takes the
    terminal (puts it in application mode)."""
    from textual.drivers.linux_driver import LinuxDriver

    class HandoverDriver(LinuxDriver):
        """Textual's driver for Linux and macOS, after the start frame."""

        def start_application_mode(self) -> None:
            on_take()
            super().start_application_mode()  # type: ignore[no-untyped-call]

    return HandoverDriver


def footer_keys_ready(footer: Footer) -> bool:
    """True once ``footer`` has heard which keys to show (before that it shows none)."""
    return bool(footer._bindings_ready)


def terminal_output(screen: Screen[object]) -> str:
    """What Textual would write to the terminal to draw all of ``screen`` (for tests that
    compare the start frame with it)."""
    update = _full_update(screen)
    return "" if update is None else update.render_segments(screen.app.console)


def character_key(character: str) -> str:
    """The key name Textual gives a one-character key (``?`` -> ``question_mark``), as its
    keymap does with the keys it is given."""
    from textual.keys import _character_to_key

    return _character_to_key(character)


def release_removed_line_caches() -> None:
    """Let go of the rendered lines of widgets already removed.

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its keys hold up to
    1,024 widgets' style caches, with every line they rendered, after the widgets are gone
    (Textual issue 6665). The article pane removes its body's blocks with every article
    shown; clearing the cache then costs one recomputation per widget drawn next.
    """
    StylesCache.get_inner_outer.cache_clear()
