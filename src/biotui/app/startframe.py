"""The start frame: the first screenful of headlines, drawn while Textual is still loading.

Importing Textual takes a noticeable moment before the app can draw anything. So the app
records how its first screen looks, as terminal codes, in ``start-frame.json`` in the data
folder (:mod:`biotui.app.startframe_record`). At the next start the first page of headlines
is read from the store and drawn in that look at once, while Textual is imported; Textual's
own first frame then replaces it cell for cell. Keys typed meanwhile are not echoed: they
wait in the terminal and the app reads them when it is up.

A record is used only where it was made: the same terminal size, terminal type and colour
settings, and the same versions of biotui and Textual; anything else draws nothing early.
Nothing here imports Textual or Rich.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biotui import __version__
from biotui.app.format import row_parts
from biotui.app.story_rows import newest_folded
from biotui.errors import BiotuiError
from biotui.model import Headline

if TYPE_CHECKING:
    from biotui.store import Store

FRAME_FILE = "start-frame.json"
"""The record's file, in the data folder."""
FORMAT = 3
"""Bumped when the record's layout changes (a record in another format is ignored)."""
HOLE = "\0"
"""Where text goes in a template: a list row in a screen line, a part's text in its codes."""
ENVIRONMENT = (
    "TERM",
    "COLORTERM",
    "TERM_PROGRAM",
    "NO_COLOR",
    "FORCE_COLOR",
    "TEXTUAL_COLOR_SYSTEM",
    "TEXTUAL_THEME",
    "TEXTUAL_FILTERS",
    "TEXTUAL_ANIMATIONS",
)
"""Variables that change how Textual draws, so a record is only valid under the same ones."""
PARTS = ("base", "marker", "star", "date", "source", "title", "unread")
"""The styled parts of a row (``base`` fills a row no headline covers)."""

ENTER = "\x1b[?1049h\x1b[?25l\x1b[?2026h"
"""Alternate screen (as Textual's), cursor hidden, and synchronized output begun."""
LEAVE = "\x1b[?2026l"
"""Synchronized output ended: the terminal shows the whole frame at once."""
UNDO = "\x1b[?2026l\x1b[?1049l\x1b[?25h"
"""Back to the normal screen with the cursor, when the app never took over (synchronized
output ended first, in case the frame was cut short)."""


@dataclass(frozen=True, slots=True)
class StartFrame:
    """How the app's first screen looks, as terminal codes, for one terminal and version."""

    key: dict[str, Any]
    """What the record is valid for (see :func:`terminal_key`)."""
    list_width: int
    lines: list[str]
    """Each screen line; a list row's line holds :data:`HOLE` where the row goes."""
    styles: dict[str, str]
    """The codes of each part in :data:`PARTS` around a :data:`HOLE` for its text, and of
    each part on the cursor's row (``cursor:date`` and so on)."""

    @property
    def list_height(self) -> int:
        """Rows in the list."""
        return sum(HOLE in line for line in self.lines)


def terminal_key(
    size: tuple[int, int], environ: dict[str, str] | None = None, *, theme: str | None = None
) -> dict[str, Any]:
    """What a record made now, on a terminal of ``size`` (columns, lines), with the
    configured ``theme``, is valid for.

    Textual's version is where it is installed and when (read without importing it).
    """
    env = os.environ if environ is None else environ
    spec = importlib.util.find_spec("textual")
    origin = spec.origin if spec is not None and spec.origin is not None else ""
    with contextlib.suppress(OSError):
        origin += f":{os.stat(origin).st_mtime_ns}"
    return {
        "biotui": __version__,
        "textual": origin,
        "size": list(size),
        "environment": {name: env[name] for name in ENVIRONMENT if name in env},
        **({} if theme is None else {"theme": theme}),
    }


def load_frame(data_dir: Path, key: dict[str, Any]) -> StartFrame | None:
    """The record in ``data_dir`` if it was made for ``key``, else None (a missing or broken
    file only means no early frame)."""
    try:
        data = json.loads((data_dir / FRAME_FILE).read_text(encoding="utf-8"))
        if data.pop("format") != FORMAT:
            return None
        frame = StartFrame(**data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return frame if frame.key == key else None


def save_frame(data_dir: Path, frame: StartFrame) -> None:
    """Make ``frame`` the record in ``data_dir``, through a temporary file renamed into
    place, so a reader never sees half a file; a failure to write only means no record."""
    path = data_dir / FRAME_FILE
    temporary = path.with_name(f".{FRAME_FILE}.{os.getpid()}")
    try:
        temporary.write_text(json.dumps({"format": FORMAT, **asdict(frame)}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def draw(frame: StartFrame, headlines: Sequence[Headline], *, now: datetime) -> str:
    """The whole screen of ``frame`` with ``headlines`` in its list, the first one under the
    cursor, as terminal codes (cursor moves included)."""
    out = [ENTER]
    rows = iter(headlines)
    cursor = True
    for y, line in enumerate(frame.lines):
        left, hole, right = line.partition(HOLE)
        out.append(f"\x1b[{y + 1};1H{left}")
        if hole:
            out.append(_row(frame, next(rows, None), cursor=cursor, now=now))
            cursor = False
        out.append(right)
    out.append(LEAVE)
    return "".join(out)


def _row(frame: StartFrame, headline: Headline | None, *, cursor: bool, now: datetime) -> str:
    """One list row as terminal codes: the headline's parts, or blank cells."""
    prefix = "cursor:" if cursor and headline is not None else ""

    def styled(part: str, text: str) -> str:
        return frame.styles[prefix + part].replace(HOLE, text)

    if headline is None:
        return styled("base", " " * frame.list_width)
    parts = row_parts(headline, frame.list_width, now=now)
    return (
        styled("marker", parts.marker)
        + styled("star", parts.star)
        + styled("date", parts.date)
        + styled("source", parts.source)
        + styled("unread" if parts.unread else "title", parts.title)
        + (styled("source", parts.story) if parts.story else "")
    )


class StartPainter:
    """Draws the start frame on the terminal once, then hands the terminal to Textual.

    :meth:`paint` runs in the thread that reads the first headlines; :meth:`hand_over` runs
    when Textual's driver takes the terminal; :meth:`close` when the app is done. A lock
    keeps a late paint from landing over Textual's screen.
    """

    def __init__(self, frame: StartFrame, *, output: int, keyboard: int) -> None:
        """Paint ``frame`` on file descriptor ``output``; ``keyboard`` is the terminal's
        input, whose echo is off while the frame waits for the app."""
        self.frame = frame
        self._output = output
        self._keyboard = keyboard
        self._lock = threading.Lock()
        self._handed_over = False
        self._painted = False
        self._saved_modes: list[Any] | None = None

    @classmethod
    def for_terminal(cls, data_dir: Path, theme: str | None = None) -> StartPainter | None:
        """A painter for this process's terminal, or None when no record in ``data_dir`` was
        made for it (and the configured ``theme``). Ask only when :func:`may_draw_early`."""
        output, keyboard = sys.__stderr__, sys.__stdin__
        try:
            assert output is not None and keyboard is not None  # may_draw_early said so
            size = os.get_terminal_size(output.fileno())
            output_fd, keyboard_fd = output.fileno(), keyboard.fileno()
        except (OSError, ValueError):
            return None
        frame = load_frame(data_dir, terminal_key((size.columns, size.lines), theme=theme))
        return None if frame is None else cls(frame, output=output_fd, keyboard=keyboard_fd)

    def paint(self, headlines: Sequence[Headline]) -> None:
        """Draw the frame with ``headlines``, unless Textual has the terminal already or
        there are none to show. Never raises: a frame that cannot be drawn is skipped."""
        with self._lock:
            if self._handed_over or self._painted or not headlines:
                return
            try:
                screen = draw(self.frame, headlines, now=datetime.now().astimezone())
                self._quiet_keyboard()
                self._painted = True
                _write_all(self._output, screen.encode("utf-8", "replace"))
            except Exception:  # an early frame is a nicety: it never gets in the way
                return

    def paint_newest(self, store: Store) -> None:
        """Read the newest headlines, as many as the list shows, from ``store`` and paint
        them. Never raises: a store that fails now fails the app's own read next."""
        try:
            headlines = newest_folded(store, self.frame.list_height)
        except BiotuiError:
            return
        self.paint(headlines)

    def hand_over(self) -> None:
        """Textual takes the terminal: no frame after this, and the keyboard's own modes
        back (Textual saves them to restore at exit). Keys typed meanwhile stay queued."""
        with self._lock:
            self._handed_over = True
            self._restore_keyboard()

    def close(self) -> None:
        """The app is over. If it never took the terminal, take the frame away again."""
        with self._lock:
            handed_over, self._handed_over = self._handed_over, True
            self._restore_keyboard()
            if self._painted and not handed_over:
                with contextlib.suppress(OSError):
                    _write_all(self._output, UNDO.encode())

    def _quiet_keyboard(self) -> None:
        """Keys typed while the frame waits are neither echoed nor held for a line, in
        Textual's input modes, except that Ctrl+C still interrupts (the app is not there
        yet to take it as a key)."""
        import termios

        with contextlib.suppress(termios.error):
            modes = termios.tcgetattr(self._keyboard)
            quiet = list(modes)
            quiet[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR)
            quiet[0] &= ~termios.IGNCR
            quiet[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN)
            termios.tcsetattr(self._keyboard, termios.TCSANOW, quiet)
            self._saved_modes = modes

    def _restore_keyboard(self) -> None:
        import termios

        modes, self._saved_modes = self._saved_modes, None
        # TCSANOW: the keys already typed stay queued for the app (TCSAFLUSH would drop them).
        if modes is not None:
            with contextlib.suppress(termios.error):
                termios.tcsetattr(self._keyboard, termios.TCSANOW, modes)


def may_draw_early() -> bool:
    """True when the app will draw with Textual's own terminal driver, on this terminal:
    standard error (where Textual draws) and standard input are terminals, on Linux or
    macOS, and no other driver is asked for."""
    output, keyboard = sys.__stderr__, sys.__stdin__
    if sys.platform == "win32" or "TEXTUAL_DRIVER" in os.environ:
        return False
    try:
        return output is not None and keyboard is not None and output.isatty() and keyboard.isatty()
    except (OSError, ValueError):
        return False


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd``."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
