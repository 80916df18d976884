"""Record the app's first screen as a start frame.

The other half of :mod:`biotui.app.startframe`: once the first headlines are on screen, the
app renders its screen once more (as Textual would write it to the terminal) and keeps the
codes of every line but the list's rows, plus the codes of each part of a row, computed from
the same styles the headline list draws with. The status line and the footer's row are kept
blank: both are filled later, by the app, as they are on its own first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input

from biotui.app.startframe import PARTS, StartFrame, terminal_key
from biotui.app.textual_internals import render_screen
from biotui.app.widgets.headline_list import HeadlineList

if TYPE_CHECKING:
    from rich.console import Console
    from rich.style import Style
    from textual.screen import Screen

BLANK_IDS = ("status", "footer-slot")
"""Widgets whose lines the start frame keeps blank (the app fills them after its first
frame)."""
NUL = "\0"


def record_start_frame(screen: Screen[object]) -> StartFrame | None:
    """The start frame of ``screen`` as it is now, or None when it is not a first screen:
    the list must have focus, rows and its cursor on the first of them at the top, the
    filter must be empty, and nothing may cover the screen (the side panel, another screen,
    a notification).
    """
    headline_list = screen.query_one("#headlines", HeadlineList)
    filter_input = screen.query_one("#filter-input", Input)
    if (
        screen.app.screen is not screen
        or not headline_list.has_focus
        or headline_list.row_count == 0
        or headline_list.cursor != 0
        or headline_list.scroll_offset.y != 0
        or filter_input.value
        or screen.has_class("-panel")
        or screen.query("Toast")  # a notification, by its widget's name
    ):
        return None
    lines = render_screen(screen)
    if lines is None:
        return None
    console = screen.app.console
    width, height = screen.size
    blank: set[int] = set()
    for widget_id in BLANK_IDS:
        region = screen.query_one(f"#{widget_id}").region
        blank.update(range(region.y, region.bottom))
    rows = headline_list.scrollable_content_region
    styles = _part_codes(headline_list, console)
    frame = StartFrame(
        key=terminal_key((width, height)),
        width=width,
        height=height,
        list_x=rows.x,
        list_y=rows.y,
        list_width=rows.width,
        list_height=rows.height,
        styles=styles,
        lines={
            y: (_blanked(line) if y in blank else line).render(console)
            for y, line in enumerate(lines)
            if not rows.y <= y < rows.bottom
        },
        left=[lines[y].crop(0, rows.x).render(console) for y in range(rows.y, rows.bottom)],
        right=[
            lines[y].crop(rows.right, width).render(console) for y in range(rows.y, rows.bottom)
        ],
    )
    try:
        frame.check()
    except ValueError:
        return None
    return frame


def _blanked(line: Strip) -> Strip:
    """``line`` with its text replaced by spaces, its colours kept."""
    return Strip(
        [Segment(" " * cell_len(text), style) for text, style, control in line if not control],
        line.cell_length,
    )


def _part_codes(headline_list: HeadlineList, console: Console) -> dict[str, tuple[str, str]]:
    """The codes before and after each part of a row, on the cursor's row and off it, as
    the list's line filters leave them."""
    filters = headline_list.get_line_filters()
    background = headline_list.background_colors[1]

    def codes(style: Style) -> tuple[str, str]:
        strip = Strip([Segment(NUL, style)])
        for line_filter in filters:
            strip = strip.apply_filter(line_filter, background)
        before, _, after = strip.render(console).partition(NUL)
        return before, after

    result: dict[str, tuple[str, str]] = {}
    for cursor, prefix in ((False, ""), (True, "cursor:")):
        part_styles = headline_list.row_styles(cursor=cursor)
        for part in PARTS:
            result[prefix + part] = codes(part_styles[part])
    return result
