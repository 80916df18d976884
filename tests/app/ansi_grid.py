"""A small terminal model for tests: what a screen shows after a stream of terminal codes.

It understands what biotui and Textual write for a frame: cursor moves (``CSI row;col H``),
SGR colours and attributes, newlines, and it skips mode switches, OSC strings and other CSI
sequences. Each cell holds its character and its effective attributes, so two different code
sequences that look the same give equal grids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"\x1b\[(?P<csi>[0-9;?<>=$]*)(?P<final>[A-Za-z~@])"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    r"|\x1b[=>78]"  # keypad modes, cursor save/restore
    r"|(?P<newline>\n)|(?P<cr>\r)"
    r"|(?P<text>[^\x1b\n\r]+)",
)
Look = tuple[tuple[str, object], ...]


def _apply_sgr(state: dict[str, object], params: str) -> None:
    """Update ``state`` with the SGR parameters ``params`` (``1;38;5;214``)."""
    codes = [int(code) if code else 0 for code in params.split(";")] if params else [0]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == 0:
            state.clear()
        elif code in (38, 48):
            key = "fg" if code == 38 else "bg"
            if codes[index + 1] == 5:
                state[key] = ("256", codes[index + 2])
                index += 2
            else:
                state[key] = ("rgb", *codes[index + 2 : index + 5])
                index += 4
        elif 30 <= code <= 37 or 90 <= code <= 97:
            state["fg"] = ("ansi", code)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            state["bg"] = ("ansi", code)
        elif code == 39:
            state.pop("fg", None)
        elif code == 49:
            state.pop("bg", None)
        elif code == 22:
            state.pop("1", None)
            state.pop("2", None)
        elif 23 <= code <= 29:
            state.pop(str(code - 20), None)
        else:
            state[str(code)] = True
        index += 1


@dataclass
class Grid:
    """A screen of ``width`` × ``height`` cells."""

    width: int
    height: int
    cells: list[list[tuple[str, Look]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cells = [[(" ", ())] * self.width for _ in range(self.height)]

    def feed(self, data: str) -> Grid:
        """Apply ``data`` as a terminal would; returns the grid."""
        x = y = 0
        state: dict[str, object] = {}
        for match in _TOKEN.finditer(data):
            if match["text"] is not None:
                look = tuple(sorted(state.items()))
                for char in match["text"]:
                    if 0 <= y < self.height and 0 <= x < self.width:
                        self.cells[y][x] = (char, look)
                    x += 1
            elif match["newline"] is not None:
                y += 1
                x = 0
            elif match["cr"] is not None:
                x = 0
            elif match["final"] == "m" and not match["csi"].startswith("?"):
                _apply_sgr(state, match["csi"])
            elif match["final"] == "H" and not match["csi"].startswith("?"):
                row, _, column = match["csi"].partition(";")
                y = int(row or 1) - 1
                x = int(column or 1) - 1
        return self

    def text(self, y: int) -> str:
        """Line ``y`` as plain text."""
        return "".join(char for char, _ in self.cells[y])

    def looks(self, y: int) -> list[Look]:
        """The attributes of each cell of line ``y``."""
        return [look for _, look in self.cells[y]]
