"""Feed lists read as the readers people move from export them, and hostile ones refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from biotui.feedlist import (
    FeedListError,
    ImportedFeed,
    read_feed_list,
    read_feed_list_file,
    to_opml,
    url_key,
)
from biotui.model import Feed

DATA = Path(__file__).resolve().parents[1] / "data" / "feedlists"


def feeds_of(name: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.name, f.url, f.tags) for f in read_feed_list_file(DATA / name).feeds]


def reasons_of(name: str) -> list[str]:
    return [s.reason for s in read_feed_list_file(DATA / name).skipped]


def test_feedly_folders_become_tags() -> None:
    assert feeds_of("feedly.opml") == [
        ("STAT", "https://www.statnews.com/feed/", ("Biotech",)),
        ("Endpoints News", "https://endpts.com/feed/", ("Biotech",)),
        (
            "FDA Press Releases",
            "https://www.fda.gov/about-fda/contact-fda/stay-informed/rss-feeds/press-releases/rss.xml",
            ("Regulatory",),
        ),
    ]


def test_inoreader_title_wins_over_text_and_entities_of_xml_are_read() -> None:
    assert feeds_of("inoreader.xml")[1] == (
        "In the Pipeline & more",
        "https://www.science.org/blogs/pipeline/feed",
        ("Uncategorized",),
    )


def test_freshrss_query_kept_and_outline_without_feed_url_skipped() -> None:
    assert feeds_of("freshrss.opml.xml") == [
        ("NEJM", "https://www.nejm.org/action/showFeed?type=etoc&feed=rss&jc=nejm", ("Medicine",)),
        ("The Lancet", "https://www.thelancet.com/rssfeed/lancet_current.xml", ("Medicine",)),
    ]
    assert reasons_of("freshrss.opml.xml") == [
        '"A page scraped by XPath": no feed URL, only a web page'
        " (htmlUrl; biotui add can look for its feed)"
    ]


def test_miniflux() -> None:
    assert [tags for _, _, tags in feeds_of("miniflux.opml")] == [("All",), ("Research",)]


def test_netnewswire_nested_folders_give_one_tag_per_level() -> None:
    assert feeds_of("netnewswire.opml") == [
        ("Daring Fireball", "https://daringfireball.net/feeds/json", ()),
        ("Genome Web", "https://www.genomeweb.com/feed", ("Biology", "Genes")),
    ]


def test_newsboat_export_untitled_feed_named_after_its_host() -> None:
    assert feeds_of("newsboat-export.opml") == [
        ("Fierce Biotech", "https://www.fiercebiotech.com/rss/xml", ()),
        ("example.com", "https://example.com/untitled.xml", ()),
    ]


def test_livejournal_xmlURL_credentials_and_other_schemes() -> None:
    result = read_feed_list_file(DATA / "livejournal.opml")
    assert [(f.name, f.url) for f in result.feeds] == [
        ("friend_one", "http://friend-one.livejournal.com/data/rss"),
        ("friend_two", "https://friend-two.livejournal.com/data/rss"),
    ]
    assert result.feeds[1].note == "credentials in its URL left out"
    assert [s.reason for s in result.skipped] == [
        "\"gopher\": not an http or https URL ('gopher')",
        '"a bookmark": no feed URL, only a web page (htmlUrl; biotui add can look for its feed)',
    ]
    assert "s3cret" not in repr(result)


def test_newsboat_urls_file() -> None:
    result = read_feed_list_file(DATA / "newsboat-urls")
    assert result.format == "urls"
    assert [(f.name, f.url, f.tags) for f in result.feeds] == [
        ("STAT News", "https://www.statnews.com/feed/", ("medicine", "policy")),
        ("Endpoints", "https://endpts.com/feed/", ("industry", "biotech news")),
        ("example.org", "http://example.org/untagged.xml", ()),
        ("endpts.com", "https://endpts.com/feed", ("industry", "hidden")),
    ]
    assert [s.reason for s in result.skipped] == [
        "line 5: a newsboat query: feed, not imported",
        "line 6: a newsboat exec: feed, not imported",
        "line 7: a newsboat filter: feed, not imported",
    ]


def test_titles_are_cleaned() -> None:
    data = (
        '<opml version="2.0"><body><outline text="x" title="Evil\u202e &#9;&#10; \u0085title'
        '" xmlUrl="https://example.org/f"/></body></opml>'
    ).encode()
    [feed] = read_feed_list(data, "t.opml").feeds
    assert feed.name == "Evil title"


HOSTILE = {
    "billion laughs": b"""<?xml version="1.0"?>
<!DOCTYPE opml [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<opml version="2.0"><body><outline text="&lol3;" xmlUrl="https://example.org/f"/></body></opml>""",
    "xxe file": b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://example.org/f"/></body></opml>""",
    "parameter entity": b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY % dtd SYSTEM "http://127.0.0.1:9/evil.dtd"> %dtd;]>
<opml version="2.0"><body/></opml>""",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_entity_declarations_are_refused(name: str) -> None:
    with pytest.raises(FeedListError) as caught:
        read_feed_list(HOSTILE[name], "evil.opml")
    assert str(caught.value) == "evil.opml: declares XML entities, which biotui never expands"


def test_external_dtd_is_never_fetched_and_entities_stay_unexpanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.dtd"
    secret.write_text('<!ENTITY name "EXPANDED">', encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "{secret.as_uri()}">'
        '<opml version="2.0"><body><outline text="a&name;b" xmlUrl="https://example.org/f"/>'
        "</body></opml>"
    ).encode()
    try:
        result = read_feed_list(data, "dtd.opml")
    except FeedListError as exc:
        assert "EXPANDED" not in str(exc)
    else:
        assert "EXPANDED" not in repr(result)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\xff\xfe binary", "x: neither an OPML file nor a newsboat urls file"),
        (b"just some words\nand more\n", "x: neither an OPML file nor a newsboat urls file"),
        (b"<rss version='2.0'><channel/></rss>", "x: not OPML (its root element is <rss>)"),
        (b"<opml><body><outline", "x: not well-formed XML (unclosed token, line 1)"),
    ],
)
def test_not_a_feed_list_is_one_line(data: bytes, message: str) -> None:
    with pytest.raises(FeedListError) as caught:
        read_feed_list(data, "x")
    assert str(caught.value) == message


def test_size_is_bounded() -> None:
    with pytest.raises(FeedListError, match="too large"):
        read_feed_list(b"<opml>" + b" " * (17 * 1024 * 1024), "big")


def test_url_key() -> None:
    assert url_key("HTTPS://Example.ORG/feed/") == url_key("https://example.org/feed")
    assert url_key("https://example.org/Feed") != url_key("https://example.org/feed")


def test_export_then_read_gives_the_same_feeds_and_tags() -> None:
    feeds = [
        Feed(name="STAT", url="https://www.statnews.com/feed/", tags=("medicine", "policy")),
        Feed(name="A & <B>", url="https://example.org/a?x=1&y=2", tags=("medicine",)),
        Feed(name="Plain", url="https://example.org/plain"),
        Feed(name="Clips", path="/tmp/clips", tags=("clippings",)),
    ]
    result = read_feed_list(to_opml(feeds).encode(), "export.opml")
    assert sorted(result.feeds, key=lambda f: f.name) == sorted(
        (ImportedFeed(name=f.name, url=f.url, tags=f.tags) for f in feeds if f.url),
        key=lambda f: f.name,
    )
    assert result.skipped == ()
