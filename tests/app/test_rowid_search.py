"""A rowid found in a list's rowid array by its bytes: only at a row's own place."""

from __future__ import annotations

from array import array

import pytest

from biotui.app.rowid_search import position


@pytest.mark.parametrize("typecode", ["i", "q"])
def test_the_first_place_of_a_rowid_from_a_start(typecode: str) -> None:
    ids = array(typecode, [7, 3, 9, 3, 12])
    assert position(ids, 3) == 1
    assert position(ids, 3, 2) == 3
    assert position(ids, 7, 1) is None
    assert position(ids, 12) == 4
    assert position(ids, 4) is None
    assert position(array(typecode), 4) is None


def test_bytes_spanning_two_rows_are_no_match() -> None:
    ids = array("i", [256, 0, 1])  # 256 then 0 hold the bytes of 1 one byte in
    assert position(ids, 1) == 2
    assert position(array("i", [256, 0]), 1) is None


def test_a_rowid_too_big_for_the_array_is_not_in_it() -> None:
    assert position(array("i", [1, 2]), 2**40) is None
    assert position(array("q", [1, 2**40]), 2**40) == 1
