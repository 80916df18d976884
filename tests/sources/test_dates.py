"""Tests for biotui.sources.dates: the feed date parser reads what feedparser's reads.

The cases are dates from the corpus (../shared/corpus) that the fast parser leaves unread,
each with the UTC fields feedparser 6 gives for it.
"""

from __future__ import annotations

import pytest

from biotui.sources.dates import parse_feed_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fri, 20 Feb 2015 09:51:15 UTC", (2015, 2, 20, 9, 51, 15)),
        ("Tue 11 Jan 2011 01:30:00 GMT", (2011, 1, 11, 1, 30, 0)),
        ("Sun, 12 August 2012 10:00:00 EST", (2012, 8, 12, 15, 0, 0)),
        ("Sat, Dec 16 2023 02:02:33 PM", (2023, 12, 16, 2, 2, 33)),
        ("Mon, 21 Oct 2002 14:04:23 -05:00", (2002, 10, 21, 19, 4, 23)),
        ("1 Jan 2004", (2004, 1, 1, 0, 0, 0)),
        ("2002-12-31T19:20+01:00", (2002, 12, 31, 18, 20, 0)),
        ("20021231T19:20:30.45+01:00", (2002, 12, 31, 18, 20, 30)),
        ("2003-07-01 T 01:55:07-05:00", (2003, 7, 1, 6, 55, 7)),
        ("2006-01-11 16:42:47 -0800", (2006, 1, 12, 0, 42, 47)),
        ("2006-01-17T12:35:1+01:00", (2006, 1, 17, 11, 35, 1)),
        # Fields out of range carry over, as feedparser reads them.
        ("2003-07-32T15:51:30-05:00", (2003, 8, 1, 20, 51, 30)),
        ("2003-13-01T15:51:30-0500", (2004, 1, 1, 20, 51, 30)),
        ("2003-07-01T25:51:30-05:00", (2003, 7, 2, 6, 51, 30)),
        # A time without colons is left out: the date alone, at midnight.
        ("2002-12-31T192030+01:00", (2002, 12, 31, 0, 0, 0)),
    ],
)
def test_feed_dates_read_as_feedparser_reads_them(
    text: str, expected: tuple[int, int, int, int, int, int]
) -> None:
    parsed = parse_feed_date(text)
    assert parsed is not None and parsed[:6] == expected
    assert len(parsed) == 9 and parsed[8] == 0  # a UTC struct_time's fields


@pytest.mark.parametrize(
    "text",
    ["", "   ", "insert updated date here", "07-01T01:55:07-05:00", "2020/1/10 14:03:00", "99999"],
)
def test_what_is_not_a_date_is_none(text: str) -> None:
    assert parse_feed_date(text) is None


def test_a_year_beyond_any_clock_is_none() -> None:
    assert parse_feed_date("Mon, 01 Jan 99999999999 00:00:00 GMT") is None
