"""The highlighter: which character spans a filter's positive terms match, by the index's rules."""

from __future__ import annotations

import itertools

import pytest

from biotui.search import Highlighter, parse_filter
from biotui.search.text import fold, words


def marked(filter_text: str, text: str) -> str:
    """``text`` with each highlighted span in brackets."""
    highlighter = parse_filter(filter_text).highlighter
    assert highlighter is not None
    out, last = [], 0
    for start, end in highlighter.spans(text):
        out += [text[last:start], "[", text[start:end], "]"]
        last = end
    return "".join([*out, text[last:]])


@pytest.mark.parametrize(
    ("filter_text", "text", "expected"),
    [
        ("lupus", "Lupus, LUPUS and lúpus; not Lupin", "[Lupus], [LUPUS] and [lúpus]; not Lupin"),
        ("CAR-T", "CAR-T, CAR T, car-t and CAR-Ts", "[CAR-T], [CAR T], [car-t] and [CAR-Ts]"),
        ("CAR-T", "a cart, Carter, scar tissue, CAR-NK", "a cart, Carter, scar tissue, CAR-NK"),
        ("CAR-T", "CAR\u2011T and CAR\u00a0T", "[CAR\u2011T] and [CAR\u00a0T]"),
        ("therapies", "one therapy, two therapies", "one [therapy], two [therapies]"),
        ("KJ-C2219", "KJ-C2219 not KJ-C2218", "[KJ-C2219] not KJ-C2218"),
        ("HER2", "HER2 and her", "[HER2] and her"),
        ("CD19/CD20", "CD19/CD20 and CD19 CD20", "[CD19/CD20] and [CD19 CD20]"),
        ("lup*", "lupus, Lupin, lúpus, alupus", "[lupus], [Lupin], [lúpus], alupus"),
        ('"first patient"', "first patient; first patients", "[first patient]; first patients"),
        ("lupus OR nephritis", "Lupus nephritis", "[Lupus] [nephritis]"),
        ("lupus -nephritis", "Lupus nephritis", "[Lupus] nephritis"),
        ("lupus NOT (a OR nephritis)", "Lupus nephritis", "[Lupus] nephritis"),
        ("title:myeloma", "myeloma anywhere", "[myeloma] anywhere"),
        ("Crohn's", "Crohn's disease, Crohn’s, Crohn", "[Crohn's] disease, [Crohn’s], Crohn"),
        ("e\u0301te\u0301", "été and ete\u0301!", "[été] and [ete\u0301]!"),
        ("lupus", "Ｌｕｐｕｓ", "Ｌｕｐｕｓ"),  # full-width letters are other letters to the index
        ("cafe", "CAFÉ\u0301 café", "[CAFÉ\u0301] [café]"),
    ],
)
def test_spans(filter_text: str, text: str, expected: str) -> None:
    assert marked(filter_text, text) == expected


def test_spans_are_sorted_disjoint_and_inside_the_text() -> None:
    highlighter = parse_filter("lupus OR lupus nephritis OR nephritis*").highlighter
    assert highlighter is not None
    text = "Lupus nephritis, lupus-nephritis; nephritises " * 3
    spans = highlighter.spans(text)
    assert spans == sorted(spans)
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_longest_spelling_wins() -> None:
    assert marked('"lupus nephritis" OR lupus', "lupus nephritis") == "[lupus nephritis]"


def test_highlighter_is_a_value() -> None:
    one, two = parse_filter("lupus").highlighter, parse_filter("LUPUS").highlighter
    assert one == two
    assert isinstance(one, Highlighter)
    assert one.spans("") == []


def test_folding_follows_the_index() -> None:
    assert words("Łódź, Ørsted & ΆΛΦΑ") == ["łodz", "ørsted", "άλφα"]
    assert words("CAR-T's\u00adx") == ["car", "t", "s", "x"]
    folded = fold("xé\u0301y-z")
    assert folded.text == "xey z"
    assert folded.span(0, 3) == (0, 4)  # the combining accent belongs to "é"
