"""The start frame: recorded from the app's first screen, drawn cell for cell like it."""

from __future__ import annotations

import json
import os
import pty
import select
import termios
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import textual.constants
from ansi_grid import Grid
from app_helpers import OpenApp, make_article, settle
from textual.screen import Screen

from biotui.app import app as app_module
from biotui.app.queries import read_headlines
from biotui.app.scope import ALL
from biotui.app.startframe import (
    ENTER,
    FORMAT,
    FRAME_FILE,
    MAX_FRAMES,
    PARTS,
    UNDO,
    StartFrame,
    StartPainter,
    draw,
    frame_path,
    load_frame,
    read_frames,
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
    config: Config,
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

    def recording(screen: Screen[object]) -> StartFrame | None:
        # What Textual writes to the terminal at the moment the frame is recorded.
        seen["screen"] = terminal_output(screen)
        frame = record_start_frame(screen)
        seen["frame"] = frame
        return frame

    monkeypatch.setattr(app_module, "record_start_frame", recording)
    data_dir = tmp_path / "frames"
    data_dir.mkdir()
    async with open_app(size=size, start_frame_dir=data_dir) as pilot:
        await settle(pilot)
    frame = seen["frame"]
    assert frame is not None
    assert load_frame(data_dir, terminal_key(size)) == frame
    width, height = size
    painted = Grid(width, height).feed(draw(frame, rows[: frame.list_height], now=now()))
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
    assert rows[0].title[:20] in painted.text(frame.list_y)


@pytest.mark.parametrize(("articles", "initial_filter"), [(5, "lupus"), (0, "")])
async def test_no_frame_is_recorded_for_a_filtered_start_or_an_empty_store(
    open_app: OpenApp,
    store: Store,
    config: Config,
    tmp_path: Path,
    articles: int,
    initial_filter: str,
) -> None:
    if articles:
        fill(store, articles)
    async with open_app(
        size=(120, 34), initial_filter=initial_filter, start_frame_dir=tmp_path
    ) as pilot:
        await settle(pilot)
    assert not (tmp_path / FRAME_FILE).exists()


async def test_only_a_first_screen_is_recorded(
    open_app: OpenApp, store: Store, config: Config, tmp_path: Path
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
    styles = {part: (f"\x1b[3{n}m", "\x1b[0m") for n, part in enumerate(PARTS)}
    styles |= {f"cursor:{part}": ("\x1b[7m", "\x1b[0m") for part in PARTS}
    fields: dict[str, Any] = {
        "key": terminal_key((80, 5), {"TERM": "xterm-256color"}),
        "width": 80,
        "height": 5,
        "list_x": 2,
        "list_y": 1,
        "list_width": 70,
        "list_height": 3,
        "styles": styles,
        "lines": {0: "filter", 4: "status"},
        "left": ["<<"] * 3,
        "right": ["|" + " " * 7] * 3,
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
    frame = a_frame()
    grid = Grid(80, 5).feed(draw(frame, [headline(1), headline(2, read=True)], now=now()))
    assert grid.text(0).startswith("filter")
    assert grid.text(4).startswith("status")
    first, second, third = (grid.text(y) for y in (1, 2, 3))
    assert first.startswith("<<●  2026-03-01 STAT") and "Title number 1" in first
    assert first[72] == "|"
    assert second.startswith("<<   2026-03-02") and "Title number 2" in second
    assert third == "<<" + " " * 70 + "|" + " " * 7  # no third headline: blank cells
    # The first row is under the cursor; the second row's title is not bold (read).
    assert dict(grid.looks(1)[10]) == {"7": True}
    assert dict(grid.looks(2)[40]) == {"fg": ("ansi", 35)}
    assert dict(grid.looks(2)[2]) == {"fg": ("ansi", 31)}


def test_draw_cuts_long_titles_like_the_list() -> None:
    frame = a_frame()
    grid = Grid(80, 5).feed(draw(frame, [headline(1, title="x" * 200)], now=now()))
    assert grid.text(1)[2:72].endswith("x…")


def test_a_record_round_trips_and_is_only_used_where_it_was_made(tmp_path: Path) -> None:
    frame = a_frame()
    assert save_frame(tmp_path, frame) is True
    assert save_frame(tmp_path, frame) is False  # the same record: not written again
    assert load_frame(tmp_path, frame.key) == frame
    assert load_frame(tmp_path, terminal_key((81, 5), {"TERM": "xterm-256color"})) is None
    assert load_frame(tmp_path, terminal_key((80, 5), {"TERM": "xterm"})) is None
    assert (
        load_frame(tmp_path, terminal_key((80, 5), {"TERM": "xterm-256color", "NO_COLOR": "1"}))
        is None
    )
    assert [path.name for path in tmp_path.iterdir()] == [FRAME_FILE]


def frames_file(*records: Any, format_: int = FORMAT) -> str:
    """The text of a records file holding ``records`` (plain data)."""
    return json.dumps({"format": format_, "frames": list(records)})


def changed(**changes: Any) -> dict[str, Any]:
    """A valid record's data with ``changes`` applied (which break it)."""
    return a_frame().to_data() | changes


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[]",
        '{"format": 99}',
        '{"format": 1, "width": 3}',
        frames_file(a_frame().to_data(), format_=1),
        frames_file(changed(list_width=500)),
        frames_file(changed(list_height=2)),
        frames_file(changed(lines={0: "filter"})),
        frames_file(changed(list_width=30, right=["|" + " " * 47] * 3)),
        frames_file(changed(left=[1, 2, 3])),
        frames_file(changed(styles=a_frame().to_data()["styles"] | {"date": ["x", "y", "z"]})),
        frames_file(changed(width="80")),
        frames_file("not a record"),
        json.dumps({"format": FORMAT, "frames": 3}),
    ],
)
def test_a_broken_record_means_no_early_frame(tmp_path: Path, text: str) -> None:
    frame_path(tmp_path).write_text(text, encoding="utf-8")
    assert load_frame(tmp_path, a_frame().key) is None


def test_a_broken_record_leaves_the_others_usable(tmp_path: Path) -> None:
    other = a_frame(key=terminal_key((80, 5), {"TERM": "xterm"}))
    frame_path(tmp_path).write_text(
        frames_file(changed(list_height=2), other.to_data()), encoding="utf-8"
    )
    assert load_frame(tmp_path, other.key) == other
    assert load_frame(tmp_path, a_frame().key) is None


def test_one_record_is_kept_per_terminal_the_latest_first(tmp_path: Path) -> None:
    sizes = [(80 + n, 5) for n in range(MAX_FRAMES + 1)]
    frames = [a_frame(key=terminal_key(size, {}), width=size[0]) for size in sizes]
    for frame in frames:
        assert save_frame(tmp_path, frame) is True
    kept = read_frames(tmp_path)
    assert [frame.width for frame in kept] == [84, 83, 82, 81]  # the oldest size is gone
    assert load_frame(tmp_path, frames[0].key) is None
    assert save_frame(tmp_path, frames[2]) is True  # used again: first, not duplicated
    assert [frame.width for frame in read_frames(tmp_path)] == [82, 84, 83, 81]
    remade = a_frame(key=frames[2].key, width=82, lines={0: "new filter", 4: "status"})
    assert save_frame(tmp_path, remade) is True  # the same terminal, a new look: replaced
    assert load_frame(tmp_path, frames[2].key) == remade
    assert len(read_frames(tmp_path)) == MAX_FRAMES


def test_a_record_in_another_format_or_undecodable_is_ignored(tmp_path: Path) -> None:
    frame_path(tmp_path).write_bytes(b"\xff\xfe{")
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
    echo_before = termios.tcgetattr(program)[3] & termios.ECHO
    assert echo_before
    painter = StartPainter(a_frame(), output=program, keyboard=program)
    painter.paint([headline(1)])
    assert painter.painted
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


def test_the_painter_draws_nothing_once_the_app_has_the_terminal(terminal: Any) -> None:
    program, screen = terminal
    painter = StartPainter(a_frame(), output=program, keyboard=program)
    painter.hand_over()
    painter.paint([headline(1)])
    painter.close()
    assert not painter.painted
    assert read_all(screen) == b""


def test_the_painter_draws_nothing_without_headlines(terminal: Any) -> None:
    program, screen = terminal
    painter = StartPainter(a_frame(), output=program, keyboard=program)
    painter.paint([])
    painter.close()
    assert read_all(screen) == b""
