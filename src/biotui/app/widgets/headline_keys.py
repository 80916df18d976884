"""The headline list's keys, as the help lists them; each ``id`` is the action's public
name in ``[keys]`` (``biotui.app.keymap``)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

LIST_BINDINGS: list[BindingType] = [
    Binding("j,down", "cursor_down", "Move", tooltip="Next headline", id="next"),
    Binding("k,up", "cursor_up", "Up", show=False, tooltip="Previous headline", id="previous"),
    Binding("pagedown,space", "page_down", "Page down", show=False, id="page_down"),
    Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
    Binding("home,g", "first", "First", show=False, tooltip="Newest headline", id="first"),
    Binding("end,G", "last", "Last", show=False, tooltip="Oldest headline", id="last"),
    Binding("enter", "select", "Show", tooltip="Read the highlighted article", id="show"),
    # The screen unfolds a story (it reads the story's articles): see screens/story_control.
    Binding(
        "z",
        "screen.toggle_story",
        "Story",
        show=False,
        tooltip="Unfold or fold the story's other sources",
        id="expand_story",
    ),
]
"""The list's bindings (the footer shows only ``next`` and ``show``; ``z`` is in the help
and the palette, the footer having no room left at 140 columns)."""
