"""The start frame: recorded from the app's first screen, drawn cell for cell like it."""

from __future__ import annotations

import json
import os
import pty
import select
import termios
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import textual.constants
from ansi_grid import Grid
from app_helpers import OpenApp, make_article, settle
from textual.screen import Screen

from biotui.app import app as app_module
from biotui.app.queries import FirstHeadlines, read_headlines
from biotui.app.scope import ALL
from biotui.app.startframe import (
    ENTER,
    FORMAT,
    FRAME_FILE,
    HOLE,
    PARTS,
    UNDO,
    StartFrame,
    StartPainter,
    draw,
    load_frame,
    save_frame,
    terminal_key,
)
from biotui.app.startframe_record import record_start_frame
from biotui.app.textual_internals import terminal_output
from biotui.model import Config, Headline
from biotui.store import Store

SOURCES = ("Endpoints News", "STAT", "a source with a very long name indeed", "")


def fill(store: Store, count: int = 60) -> list[Headline]:
    """``count`` articles: some read, some starred, long and short titles; the first page."""
    articles = [
        make_article(
            f"g{n}",
            f"Article {n}: " + ("CAR-T reaches lupus patients in a long trial name " * (1 + n % 3)),
            day=1 + n % 27,
            month=1 + n % 11,
            source=SOURCES[n % len(SOURCES)],
        )
        for n in range(count)
    ]
    store.ingest("Test Feed", articles)
    first = read_headlines(store, "", ALL, "newest")
    assert first.rows is not None
    for row in first.rows[1:12:3]:
        store.set_read([row.id], True)
    for row in first.rows[2:12:4]:
        store.set_starred(row.id, True)
    again = read_headlines(store, "", ALL, "newest")
    assert again.rows is not None
    return again.rows


def backgrounds(grid: Grid, y: int) -> list[object]:
    """The background colour of each cell of line ``y``."""
    return [dict(look).get("bg") for look in grid.looks(y)]


def now() -> datetime:
    return datetime.now().astimezone()


@pytest.mark.parametrize(
    ("size", "colors"),
    [((120, 34), "truecolor"), ((80, 24), "256"), ((100, 30), "standard")],
)
async def test_the_frame_draws_what_the_app_draws(
    open_app: OpenApp,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: Any,
    colors: str,
) -> None:
    """Every cell of the early frame equals the app's first frame, but for the status line
    and the footer, which the early frame leaves blank in the same colours."""
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", colors)
    rows = fill(store)
    seen: dict[str, Any] = {}

    def recording(screen: Screen[object], theme: str | None = None) -> StartFrame | None:
        # What Textual writes to the terminal at the moment the frame is recorded.
        seen["screen"] = terminal_output(screen)
        return record_start_frame(screen, theme)

    monkeypatch.setattr(app_module, "record_start_frame", recording)
    async with open_app(size=size, start_frame_dir=tmp_path) as pilot:
        await settle(pilot)
    frame = load_frame(tmp_path, terminal_key(size))
    assert frame is not None
    width, height = size
    painted = Grid(width, height).feed(draw(frame, rows, now=now()))
    app_frame = Grid(width, height).feed(seen["screen"])
    status_and_footer = {height - 2, height - 1}
    for y in range(height):
        if y in status_and_footer:
            # Left blank (the app fills them), in the app's background.
            assert painted.text(y).strip() == ""
            assert backgrounds(painted, y) == backgrounds(app_frame, y)
            continue
        assert painted.text(y) == app_frame.text(y), f"line {y}"
        assert painted.looks(y) == app_frame.looks(y), f"line {y}"
    first_row = next(y for y, line in enumerate(frame.lines) if HOLE in line)
    assert rows[0].title[:20] in painted.text(first_row)


@pytest.mark.parametrize(
    ("articles", "initial_filter", "size"),
    [(5, "lupus", (120, 34)), (0, "", (120, 34)), (5, "", (38, 20))],
    ids=["filtered", "empty", "narrow"],
)
async def test_no_frame_is_recorded_for_a_filtered_start_an_empty_store_or_a_narrow_list(
    open_app: OpenApp,
    store: Store,
    tmp_path: Path,
    articles: int,
    initial_filter: str,
    size: tuple[int, int],
) -> None:
    if articles:
        fill(store, articles)
    options: dict[str, Any] = {"initial_filter": initial_filter, "start_frame_dir": tmp_path}
    async with open_app(size=size, **options) as pilot:
        await settle(pilot)
        assert pilot.app.screen.query_one("#headlines").has_focus
    assert not (tmp_path / FRAME_FILE).exists()


async def test_only_a_first_screen_is_recorded(
    open_app: OpenApp, store: Store, config: Config
) -> None:
    """Not once the cursor moved, the filter has focus, the panel is open or a
    notification shows: the next start would draw them."""
    fill(store, 80)
    async with open_app(size=(120, 34), notifications=True) as pilot:
        app = pilot.app
        await settle(pilot)
        assert record_start_frame(app.screen) is not None
        await pilot.press("j")
        await settle(pilot)
        assert record_start_frame(app.screen) is None
        await pilot.press("k", "slash")
        await settle(pilot)
        assert record_start_frame(app.screen) is None
        await pilot.press("escape", "b")
        await settle(pilot)
        assert record_start_frame(app.screen) is None
        await pilot.press("b")
        await settle(pilot)
        app.screen.query_one("#headlines").focus()
        await settle(pilot)
        assert record_start_frame(app.screen) is not None
        app.notify("Refreshed 3 feeds")
        await settle(pilot)
        assert record_start_frame(app.screen) is None


def a_frame(**changes: Any) -> StartFrame:
    """A small valid frame: a 70-cell list on lines 1-3 of an 80 × 5 screen."""
    styles = {part: f"\x1b[3{n}m{HOLE}\x1b[0m" for n, part in enumerate(PARTS)}
    styles |= {f"cursor:{part}": f"\x1b[7m{HOLE}\x1b[0m" for part in PARTS}
    fields: dict[str, Any] = {
        "key": terminal_key((80, 5), {"TERM": "xterm-256color"}),
        "list_width": 70,
        "lines": ["filter", *[f"<<{HOLE}|" + " " * 7] * 3, "status"],
        "styles": styles,
    }
    return StartFrame(**(fields | changes))


def headline(n: int, **changes: Any) -> Headline:
    fields: dict[str, Any] = {
        "rowid": n,
        "id": f"id{n}",
        "feed": "Feed",
        "title": f"Title number {n}",
        "source": "STAT",
        "published": datetime(2026, 3, n, 9, tzinfo=UTC),
        "read": False,
        "starred": False,
    }
    return Headline(**(fields | changes))


def test_draw_puts_rows_in_the_list_and_keeps_the_rest() -> None:
    long_title = "Title number 2 " + "x" * 200
    shown = [headline(1), headline(2, read=True, title=long_title)]
    grid = Grid(80, 5).feed(draw(a_frame(), shown, now=now()))
    assert grid.text(0).startswith("filter")
    assert grid.text(4).startswith("status")
    first, second, third = (grid.text(y) for y in (1, 2, 3))
    assert first.startswith("<<●  2026-03-01 STAT") and "Title number 1" in first
    assert first[72] == "|"
    assert second.startswith("<<   2026-03-02") and "Title number 2" in second
    assert second[2:72].endswith("x…")  # cut like the list cuts it
    assert third == "<<" + " " * 70 + "|" + " " * 7  # no third headline: blank cells
    # The first row is under the cursor; the second row's title is not bold (read).
    assert dict(grid.looks(1)[10]) == {"7": True}
    assert dict(grid.looks(2)[40]) == {"fg": ("ansi", 35)}
    assert dict(grid.looks(2)[2]) == {"fg": ("ansi", 31)}


def test_a_record_round_trips_and_is_only_used_where_it_was_made(tmp_path: Path) -> None:
    frame = a_frame()
    save_frame(tmp_path, frame)
    assert [path.name for path in tmp_path.iterdir()] == [FRAME_FILE]
    assert load_frame(tmp_path, frame.key) == frame
    for other in (
        terminal_key((81, 5), {"TERM": "xterm-256color"}),
        terminal_key((80, 5), {"TERM": "xterm"}),
        terminal_key((80, 5), {"TERM": "xterm-256color", "NO_COLOR": "1"}),
        frame.key | {"biotui": "0.0.1"},
        frame.key | {"textual": "elsewhere"},
        terminal_key((80, 5), {"TERM": "xterm-256color"}, theme="gruvbox"),  # another theme
    ):
        assert load_frame(tmp_path, other) is None
    remade = a_frame(lines=["new filter", *frame.lines[1:]])
    save_frame(tmp_path, remade)  # the same terminal, a new look: replaced
    assert load_frame(tmp_path, frame.key) == remade


def record_data(**changes: Any) -> dict[str, Any]:
    """A valid record file's data, with ``changes``."""
    return {"format": FORMAT, **asdict(a_frame())} | changes


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"[]",
        b"\xff\xfe{",
        json.dumps(record_data(format=FORMAT - 1)).encode(),
        json.dumps({k: v for k, v in record_data().items() if k != "styles"}).encode(),
    ],
    ids=["empty", "cut", "not-a-record", "undecodable", "older-format", "missing-field"],
)
def test_a_broken_or_older_record_means_no_early_frame(tmp_path: Path, content: bytes) -> None:
    (tmp_path / FRAME_FILE).write_bytes(content)
    assert load_frame(tmp_path, a_frame().key) is None
    assert load_frame(tmp_path / "missing", a_frame().key) is None


@pytest.fixture
def terminal() -> Any:
    """A pseudo-terminal: (the program's side, the terminal's side), closed afterwards."""
    terminal_side, program_side = pty.openpty()
    yield program_side, terminal_side
    os.close(program_side)
    os.close(terminal_side)


def read_all(fd: int, quiet: float = 0.2) -> bytes:
    """What the terminal has received, until nothing more comes for ``quiet`` seconds (a
    pseudo-terminal passes data on asynchronously)."""
    chunks = []
    while select.select([fd], [], [], quiet)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def readable(fd: int, timeout: float = 5.0) -> bool:
    """True once ``fd`` has something to read (False after ``timeout`` seconds)."""
    return bool(select.select([fd], [], [], timeout)[0])


def test_the_painter_draws_once_keeps_keys_quiet_and_hands_over(terminal: Any) -> None:
    program, screen = terminal
    assert termios.tcgetattr(program)[3] & termios.ECHO
    painter = StartPainter(a_frame(), output=program, keyboard=program)
    painter.paint([headline(1)])
    shown = read_all(screen).decode()
    assert shown.startswith(ENTER)
    assert "Title number 1" in shown
    modes = termios.tcgetattr(program)
    assert not modes[3] & termios.ECHO and not modes[3] & termios.ICANON
    assert modes[3] & termios.ISIG  # Ctrl+C still interrupts before the app is up
    os.write(screen, b"j")  # a key typed while the frame waits
    assert readable(program)  # it reached the terminal's input queue
    painter.paint([headline(2)])  # drawn once only
    assert read_all(screen) == b""  # and the key was not echoed
    painter.hand_over()
    modes = termios.tcgetattr(program)
    assert modes[3] & termios.ECHO and modes[3] & termios.ICANON
    modes[3] &= ~termios.ICANON  # what Textual does next: keys read one at a time
    termios.tcsetattr(program, termios.TCSANOW, modes)
    assert readable(program)
    assert os.read(program, 10) == b"j"  # still there for the app
    painter.close()
    assert read_all(screen) == b""  # the app took over: it leaves the screen itself


def test_the_painter_takes_its_frame_away_when_the_app_never_starts(terminal: Any) -> None:
    program, screen = terminal
    painter = StartPainter(a_frame(), output=program, keyboard=program)
    painter.paint([headline(1)])
    read_all(screen)
    painter.close()
    assert read_all(screen).decode() == UNDO
    assert termios.tcgetattr(program)[3] & termios.ECHO


@pytest.mark.parametrize("case", ["handed-over", "no-headlines", "broken-record"])
def test_the_painter_draws_nothing(terminal: Any, case: str) -> None:
    """Not once the app has the terminal, not without headlines, and not from a record it
    cannot draw (a missing part's codes)."""
    program, screen = terminal
    frame = a_frame(styles={}) if case == "broken-record" else a_frame()
    painter = StartPainter(frame, output=program, keyboard=program)
    if case == "handed-over":
        painter.hand_over()
    painter.paint([] if case == "no-headlines" else [headline(1)])
    painter.close()
    assert read_all(screen) == b""
    assert termios.tcgetattr(program)[3] & termios.ECHO


def test_the_first_page_is_drawn_before_the_whole_list_is_read(
    store: Store, terminal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The painter reads and draws the newest headlines while the whole list is still being
    read (here: held until the frame is on the terminal)."""
    rows = fill(store)
    program, screen = terminal
    whole_list = threading.Event()
    list_ids = Store.list_ids

    def held_list_ids(self: Store, *args: Any, **kwargs: Any) -> Any:
        whole_list.wait(10)
        return list_ids(self, *args, **kwargs)

    monkeypatch.setattr(Store, "list_ids", held_list_ids)
    painter = StartPainter(a_frame(), output=program, keyboard=program)
    first = FirstHeadlines(store, first_page=painter.paint_newest)
    try:
        assert readable(screen, timeout=5)
        grid = Grid(80, 5).feed(read_all(screen).decode())
        assert not first.done()
    finally:
        whole_list.set()
    for y, row in enumerate(rows[:3], start=1):
        assert row.title[:20] in grid.text(y)
    assert first.result().rows == rows
    painter.close()
