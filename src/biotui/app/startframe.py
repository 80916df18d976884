"""The start frame: the first screenful of headlines, drawn while Textual is still loading.

Importing Textual takes a noticeable moment before the app can draw anything. So
the app records how its first screen looks — where the headline list sits, the terminal codes
of each part of a row, and the lines around the list — in ``start-frame.json`` in the data
folder (:mod:`biotui.app.startframe_record`). At the next start ``biotui`` reads the first page
of headlines from the store and draws it with that record at once, while Textual is imported;
Textual's own first frame then replaces it cell for cell. Keys typed meanwhile are not echoed:
they wait in the terminal and the app reads them when it is up.

A record is used only where it was made: the same terminal size, terminal type and colour
settings, and the same versions of biotui and Textual; anything else draws nothing early.
Nothing here imports Textual or Rich's console.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from biotui import __version__
from biotui.app.format import row_parts
from biotui.model import Headline

FRAME_FILE = "start-frame.json"
"""The records' file, in the data folder."""
FORMAT = 2
"""Bumped when the file's layout changes (older files are then ignored)."""
MAX_FRAMES = 4
"""Records kept, one per terminal size and type."""
MIN_LIST_WIDTH = 40
"""Narrower lists are not drawn early (their rows no longer add up to the width)."""
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
"""The styled parts of a row (``base`` fills what no headline covers)."""

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
    width: int
    height: int
    list_x: int
    """Column of the list's first cell."""
    list_y: int
    """Screen line of the list's first row."""
    list_width: int
    list_height: int
    styles: dict[str, tuple[str, str]]
    """Codes before and after the text of each part in :data:`PARTS`, and of each part on
    the cursor's row (``cursor:date`` and so on)."""
    lines: dict[int, str]
    """Each screen line outside the list's rows, by line number, as terminal codes."""
    left: list[str]
    """For each list row, the codes of the cells left of the list."""
    right: list[str]
    """For each list row, the codes of the cells right of the list (its border, the
    article pane)."""

    def to_data(self) -> dict[str, Any]:
        """The record as plain data for JSON (what :meth:`from_data` reads)."""
        return asdict(self)

    @classmethod
    def from_data(cls, data: Any) -> StartFrame:
        """Read a record made by :meth:`to_data`, after a JSON round trip; raises ValueError
        when it is not one."""
        try:
            fields = dict(data)
            fields["lines"] = {int(y): line for y, line in fields["lines"].items()}
            fields["styles"] = {part: tuple(codes) for part, codes in fields["styles"].items()}
            frame = cls(**fields)
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise ValueError(f"not a start frame: {error}") from error
        frame.check()
        return frame

    def check(self) -> None:
        """Raise ValueError unless the record describes a screen it can draw."""
        rows = range(self.list_y, self.list_y + self.list_height)
        texts = [*self.lines.values(), *self.left, *self.right]
        texts += [code for codes in self.styles.values() for code in codes]
        numbers = (
            self.width, self.height, self.list_x, self.list_y, self.list_width, self.list_height
        )  # fmt: skip
        if (
            not all(isinstance(text, str) for text in texts)
            or any(len(codes) != 2 for codes in self.styles.values())
            or not all(isinstance(number, int) for number in numbers)
            or self.list_width < MIN_LIST_WIDTH
            or self.list_x < 0
            or self.list_x + self.list_width > self.width
            or self.list_y < 0
            or rows.stop > self.height
            or len(self.left) != self.list_height
            or len(self.right) != self.list_height
            or set(self.lines) != set(range(self.height)) - set(rows)
            or any(part not in self.styles for part in PARTS)
            or any(f"cursor:{part}" not in self.styles for part in PARTS)
        ):
            raise ValueError("the start frame does not fit its screen")


def textual_stamp() -> str:
    """Where Textual is installed and when it was, without importing it (a new version is a
    new stamp)."""
    spec = importlib.util.find_spec("textual")
    if spec is None or spec.origin is None:
        return ""
    try:
        return f"{spec.origin}:{os.stat(spec.origin).st_mtime_ns}"
    except OSError:
        return spec.origin


def terminal_key(size: tuple[int, int], environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What a record made now, on a terminal of ``size`` (columns, lines), is valid for."""
    env = os.environ if environ is None else environ
    return {
        "biotui": __version__,
        "textual": textual_stamp(),
        "size": list(size),
        "environment": {name: env[name] for name in ENVIRONMENT if name in env},
    }


def frame_path(data_dir: Path) -> Path:
    """Where the records live in ``data_dir``."""
    return data_dir / FRAME_FILE


def read_frames(data_dir: Path) -> list[StartFrame]:
    """The records in ``data_dir``, the most recently made first; a missing or broken file
    gives none, and a broken record is left out (either only means no early frame)."""
    try:
        data = json.loads(frame_path(data_dir).read_text(encoding="utf-8"))
        if data["format"] != FORMAT:
            return []
        records = list(data["frames"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return []
    frames = []
    for record in records:
        with contextlib.suppress(ValueError):
            frames.append(StartFrame.from_data(record))
    return frames


def load_frame(data_dir: Path, key: Mapping[str, Any]) -> StartFrame | None:
    """The record in ``data_dir`` made for ``key``, or None."""
    wanted = dict(key)
    return next((frame for frame in read_frames(data_dir) if frame.key == wanted), None)


def save_frame(data_dir: Path, frame: StartFrame) -> bool:
    """Keep ``frame`` first in ``data_dir``'s records; True if the file was written.

    Up to :data:`MAX_FRAMES` records are kept, one per terminal (size, type, versions), so
    that a person who opens biotui in a few window sizes gets the early frame in each. The
    file is not written when ``frame`` is first already; else it is written to a temporary
    file and renamed, so a reader never sees half a file.
    """
    frames = read_frames(data_dir)
    if frames and frames[0] == frame:
        return False
    kept = [frame, *(other for other in frames if other.key != frame.key)][:MAX_FRAMES]
    text = json.dumps(
        {"format": FORMAT, "frames": [one.to_data() for one in kept]}, ensure_ascii=False
    )
    path = frame_path(data_dir)
    temporary = path.with_name(f".{FRAME_FILE}.{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False
    return True


def draw(frame: StartFrame, headlines: Sequence[Headline], *, now: datetime) -> str:
    """The whole screen of ``frame`` with ``headlines`` in its list, the first one under the
    cursor, as terminal codes (cursor moves included)."""
    out = [ENTER]
    rows = range(frame.list_y, frame.list_y + frame.list_height)
    for y in range(frame.height):
        out.append(f"\x1b[{y + 1};1H")
        if y not in rows:
            out.append(frame.lines[y])
            continue
        index = y - frame.list_y
        out.append(frame.left[index])
        headline = headlines[index] if index < len(headlines) else None
        out.append(_row(frame, headline, cursor=index == 0, now=now))
        out.append(frame.right[index])
    out.append(LEAVE)
    return "".join(out)


def _row(frame: StartFrame, headline: Headline | None, *, cursor: bool, now: datetime) -> str:
    """One list row as terminal codes: the headline's parts, or blank cells."""
    prefix = "cursor:" if cursor and headline is not None else ""
    styles = frame.styles

    def styled(part: str, text: str) -> str:
        before, after = styles[prefix + part]
        return f"{before}{text}{after}"

    if headline is None:
        return styled("base", " " * frame.list_width)
    parts = row_parts(headline, frame.list_width, now=now)
    return "".join(
        [
            styled("marker", parts.marker),
            styled("star", parts.star),
            styled("date", parts.date),
            styled("source", parts.source),
            styled("unread" if parts.unread else "title", parts.title),
        ]
    )


class StartPainter:
    """Draws the start frame on the terminal once, then hands the terminal to Textual.

    :meth:`paint` runs in the thread that read the first headlines; :meth:`hand_over` runs
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
    def for_terminal(cls, data_dir: Path) -> StartPainter | None:
        """A painter for this process's terminal, or None when no record in ``data_dir`` was
        made for it. Ask only when :func:`may_draw_early`."""
        output, keyboard = sys.__stderr__, sys.__stdin__
        if output is None or keyboard is None:
            return None
        try:
            size = os.get_terminal_size(output.fileno())
            frame = load_frame(data_dir, terminal_key((size.columns, size.lines)))
            return (
                None
                if frame is None
                else cls(frame, output=output.fileno(), keyboard=keyboard.fileno())
            )
        except (OSError, ValueError):
            return None

    @property
    def painted(self) -> bool:
        """True once the frame is on the terminal."""
        return self._painted

    def paint(self, headlines: Sequence[Headline], *, now: datetime | None = None) -> None:
        """Draw the frame with ``headlines``, unless Textual has the terminal already or
        there are none to show. Never raises: a frame that cannot be drawn is skipped."""
        if not headlines:
            return
        when = datetime.now().astimezone() if now is None else now
        with self._lock:
            if self._handed_over or self._painted:
                return
            try:
                data = draw(self.frame, headlines, now=when).encode("utf-8", "replace")
                self._quiet_keyboard()
                self._painted = True
                _write_all(self._output, data)
            except Exception:  # an early frame is a nicety: it never gets in the way
                return

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
        """Keys typed while the frame waits are neither echoed nor held for a line.

        The same input modes as Textual's, except that Ctrl+C still interrupts: the app is
        not there yet to take it as a key.
        """
        import termios

        try:
            modes = termios.tcgetattr(self._keyboard)
        except termios.error:
            return
        quiet = list(modes)
        input_flags, local_flags = int(modes[0]), int(modes[3])
        quiet[0] = input_flags & ~(
            termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR
        )
        quiet[3] = local_flags & ~(termios.ECHO | termios.ICANON | termios.IEXTEN)
        with contextlib.suppress(termios.error):
            termios.tcsetattr(self._keyboard, termios.TCSANOW, quiet)
            self._saved_modes = modes

    def _restore_keyboard(self) -> None:
        if self._saved_modes is None:
            return
        import termios

        modes, self._saved_modes = self._saved_modes, None
        # TCSANOW: the keys already typed stay queued for the app (TCSAFLUSH would drop them).
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
