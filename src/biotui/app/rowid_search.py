"""Finding a rowid in a list's rowid array.

``array.index`` makes a Python integer of every row it passes, so a rowid that is absent
(a story's folded articles, a cursor's article gone from a new list) costs a pass of that
kind over the whole list. :func:`position` searches the array's own bytes instead, in C and
without copying them (a regular expression searches any buffer): a list of any length is
searched in about a millisecond.
"""

from __future__ import annotations

import re
from array import array

__all__ = ["position"]


def position(ids: array[int], rowid: int, start: int = 0) -> int | None:
    """The first index of ``rowid`` in ``ids`` at or after ``start``, or None."""
    try:
        wanted = re.compile(re.escape(array(ids.typecode, (rowid,)).tobytes()))
    except OverflowError:  # too big for the array's type: not in it
        return None
    size = ids.itemsize
    at = max(start, 0) * size
    with memoryview(ids) as view, view.cast("B") as raw:  # released before ids may resize
        while (found := wanted.search(raw, at)) is not None:
            at = found.start()
            if at % size == 0:
                return at // size
            at += 1  # a match across two rows' bytes
    return None
