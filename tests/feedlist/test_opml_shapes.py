"""OPML in the less common shapes a parser meets: categories, encodings, odd attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from biotui.feedlist import FeedListError, read_feed_list, read_feed_list_file

DATA = Path(__file__).resolve().parents[1] / "data" / "feedlists"


def opml(outlines: str, *, prolog: str = "") -> str:
    return f'{prolog}<opml version="2.0"><head/><body>{outlines}</body></opml>'


def feeds(data: bytes) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.name, f.url, f.tags) for f in read_feed_list(data, "t.opml").feeds]


def reasons(data: bytes) -> list[str]:
    return [s.reason for s in read_feed_list(data, "t.opml").skipped]


def test_category_paths_become_tags_with_the_folders() -> None:
    result = read_feed_list_file(DATA / "categories.opml")
    assert [(f.name, f.tags) for f in result.feeds] == [
        ("Fierce Biotech", ("Biotech", "Science", "Work")),
        ("BioPharma Dive", ("Biotech", "Policy", "Work", "Deals")),
        ("Nature", ("Science", "journals")),
        ("Quiet", ("Red Tag",)),
    ]
    assert result.skipped == ()


def test_a_folder_named_like_a_category_gives_one_tag() -> None:
    data = opml(
        '<outline text="Work"><outline text="f" xmlUrl="https://a.example/f"'
        ' category="/Work,Work"/></outline>'
    )
    assert feeds(data.encode()) == [("f", "https://a.example/f", ("Work",))]


def test_a_subscription_list_is_not_a_feed() -> None:
    data = opml('<outline text="more" type="source" xmlUrl="https://a.example/list.opml"/>')
    assert feeds(data.encode()) == []
    assert reasons(data.encode()) == ['"more": a subscription list, not a feed']


@pytest.mark.parametrize(
    ("outline", "reason"),
    [
        ('<outline text="Site" htmlUrl="https://a.example/"/>', "only a web page (htmlUrl"),
        ('<outline text="L" type="LINK" url="https://a.example/x.opml"/>', "type link"),
        ('<outline text="I" type="include" url="https://a.example/x.opml"/>', "type include"),
        ('<outline text="R" xmlUrl="/feed.xml"/>', "not an http or https URL (no scheme)"),
        ('<outline text="E" xmlUrl="  "/>', "no feed URL"),
    ],
)
def test_outlines_without_a_usable_feed_url_say_why(outline: str, reason: str) -> None:
    [line] = reasons(opml(outline).encode())
    assert reason in line


def test_attribute_and_element_case_title_fallbacks_and_nesting_without_type() -> None:
    data = opml(
        '<outline TEXT="A"><outline text="B">'
        '<Outline TITLE=" " Text="" XMLURL=" https://a.example/f "/>'
        '<outline title="" text="Named" xmlurl="https://b.example/g"/>'
        "</outline></outline>"
    )
    assert feeds(data.encode()) == [
        ("a.example", "https://a.example/f", ("A", "B")),
        ("Named", "https://b.example/g", ("A", "B")),
    ]


def test_the_same_url_twice_is_read_twice_for_the_import_to_unite() -> None:
    data = opml(
        '<outline text="x"><outline text="f" xmlUrl="https://a.example/f"/></outline>'
        '<outline text="y"><outline text="f" xmlUrl="https://a.example/f"/></outline>'
    )
    assert [tags for _, _, tags in feeds(data.encode())] == [("x",), ("y",)]


TITLE = "Ωmega – ニュース"


@pytest.mark.parametrize(
    ("encoding", "title"),
    [
        ("windows-1252", "Café – news"),
        ("ISO-8859-2", "Łódź"),
        ("KOI8-R", "Новости"),
        ("Shift_JIS", "ニュース"),
        ("EUC-JP", "ニュース"),
        ("Big5", "新聞"),
        ("GB2312", "新闻"),
        ("UTF-16", TITLE),
        ("UTF-16BE", TITLE),
        ("UTF-16LE", TITLE),
    ],
)
def test_encodings_declared_in_the_prolog(encoding: str, title: str) -> None:
    prolog = f'<?xml version="1.0" encoding="{encoding}"?>'
    data = opml(f'<outline text="{title}" xmlUrl="https://a.example/f"/>', prolog=prolog)
    assert feeds(data.encode(encoding)) == [(title, "https://a.example/f", ())]


@pytest.mark.parametrize(
    "start",
    [b"\xef\xbb\xbf", b"\n\n  ", b"\xef\xbb\xbf\r\n"],
    ids=["bom", "blank lines", "bom and a blank line"],
)
def test_a_bom_or_blank_lines_before_the_declaration(start: bytes) -> None:
    data = opml(
        f'<outline text="{TITLE}" xmlUrl="https://a.example/f"/>',
        prolog='<?xml version="1.0" encoding="UTF-8"?>',
    )
    assert feeds(start + data.encode()) == [(TITLE, "https://a.example/f", ())]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0" encoding="no-such-9"?><opml/>',
            "t.opml: declares an encoding biotui does not know (no-such-9)",
        ),
        (
            b'<?xml version="1.0" encoding="Shift_JIS"?><opml><body>\x81</body></opml>',
            "t.opml: not valid Shift_JIS, as its XML declaration says",
        ),
        (
            b'<opml><body><outline text="a&nbsp;b" xmlUrl="https://a.example/f"/></body></opml>',
            "t.opml: not well-formed XML (undefined entity, line 1)",
        ),
    ],
)
def test_bad_encodings_and_html_entities_are_one_line(data: bytes, message: str) -> None:
    with pytest.raises(FeedListError) as caught:
        read_feed_list(data, "t.opml")
    assert str(caught.value) == message
