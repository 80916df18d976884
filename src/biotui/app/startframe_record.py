"""Record the app's first screen as a start frame.

The other half of :mod:`biotui.app.startframe`: once the first headlines are on screen, the
app renders its screen once more (as Textual would write it to the terminal) and keeps the
codes of every line, with a hole for each list row, plus the codes of each part of a row,
computed from the same styles the headline list draws with. The status line and the
footer's row are kept blank: the app fills both after its own first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input

from biotui.app.startframe import HOLE, PARTS, StartFrame, terminal_key
from biotui.app.textual_internals import render_screen
from biotui.app.widgets.headline_list import HeadlineList

if TYPE_CHECKING:
    from textual.screen import Screen

BLANK_IDS = ("status", "footer-slot")
"""Widgets whose lines the start frame keeps blank (the app fills them after its first
frame)."""
MIN_LIST_WIDTH = 40
"""Narrower lists are not recorded (their rows no longer add up to the width)."""


def record_start_frame(screen: Screen[object], theme: str | None = None) -> StartFrame | None:
    """The start frame of ``screen`` as it is now, or None when it is not a first screen:
    the list must have focus, rows and its cursor on the first of them at the top, the
    filter must be empty, and nothing may cover the screen (the side panel, another screen,
    a notification). ``theme`` is the configured one (a record is made for it).
    """
    headline_list = screen.query_one("#headlines", HeadlineList)
    rows = headline_list.scrollable_content_region
    if (
        screen.app.screen is not screen
        or not headline_list.has_focus
        or headline_list.row_count == 0
        or headline_list.cursor != 0
        or headline_list.scroll_offset.y != 0
        or rows.width < MIN_LIST_WIDTH
        or screen.query_one("#filter-input", Input).value
        or screen.has_class("-panel")
        or screen.query("Toast")  # a notification, by its widget's name
    ):
        return None
    lines = render_screen(screen)
    if lines is None:
        return None
    console = screen.app.console
    blank = {
        y
        for widget_id in BLANK_IDS
        for y in range(*screen.query_one(f"#{widget_id}").region.line_span)
    }

    def codes(y: int, line: Strip) -> str:
        """Line ``y`` as terminal codes (a stray :data:`HOLE` in its text dropped)."""
        if rows.y <= y < rows.bottom:
            left, right = line.crop(0, rows.x), line.crop(rows.right, line.cell_length)
            return codes(-1, left) + HOLE + codes(-1, right)
        if y in blank:
            spaces = [Segment(" " * cell_len(text), style) for text, style, _ in line]
            line = Strip(spaces, line.cell_length)
        return line.render(console).replace(HOLE, "")

    filters = headline_list.get_line_filters()
    background = headline_list.background_colors[1]
    styles = {}
    for prefix, cursor in (("", False), ("cursor:", True)):
        part_styles = headline_list.row_styles(cursor=cursor)
        for part in PARTS:
            strip = Strip([Segment(HOLE, part_styles[part])])
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            styles[prefix + part] = strip.render(console)
    return StartFrame(
        key=terminal_key(screen.size, theme=theme),
        list_width=rows.width,
        lines=[codes(y, line) for y, line in enumerate(lines)],
        styles=styles,
    )
