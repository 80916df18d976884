"""Tests for feed bytes -> articles (RSS, Atom; JSON Feed dispatch)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest

from biotui.errors import SourceError
from biotui.model import article_id
from biotui.sources import FeedParseResult, body, entries, markup, parse_feed
from biotui.sources.dates import utc_from_struct
from biotui.sources.titles import make_guid
from biotui.sources.xmlguard import root_element, strip_entity_declarations

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example Biotech Wire</title>
  <link>https://wire.example.org/</link>
  <description>Biotech news</description>
  <item>
    <title>Lilly's donanemab wins FDA approval for early Alzheimer's disease</title>
    <link>https://wire.example.org/2024/07/donanemab</link>
    <guid isPermaLink="false">wire-2024-0702</guid>
    <pubDate>Tue, 02 Jul 2024 14:30:00 -0400</pubDate>
    <dc:creator>Priya Natarajan</dc:creator>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>Kisunla, a monthly infusion, slowed decline in the
      TRAILBLAZER-ALZ 2 trial. <a href="/trials/trailblazer">Trial details</a>.</p>
      <script>track()</script><p><img src="/img/lab.jpg" alt="lab"></p>]]></content:encoded>
    <media:content url="https://wire.example.org/img/lab.jpg">
      <media:credit role="photographer">Jane Doe/Example Agency</media:credit>
    </media:content>
    <source url="https://stat.example.org/feed">STAT Example</source>
  </item>
  <item>
    <title>Item without guid</title>
    <link>/2024/07/relative-link</link>
    <description>&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt; summary&lt;/p&gt;</description>
  </item>
  <item>
    <title>No guid, no link</title>
    <description>Plain words.</description>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Gene &lt;em&gt;Editing&lt;/em&gt; Notes</title>
  <link href="https://notes.example.org/"/>
  <id>urn:example:notes</id>
  <updated>2024-01-16T09:00:00Z</updated>
  <entry>
    <title type="html">Vertex &amp;amp; CRISPR: &lt;b&gt;Casgevy&lt;/b&gt; approved for
      beta thalassemia</title>
    <id>urn:example:notes:casgevy-tdt</id>
    <link rel="alternate" href="https://notes.example.org/casgevy-tdt"/>
    <updated>2024-01-16T17:00:00+02:00</updated>
    <author><name>Ana Moreau</name></author>
    <author><name>Tom Baker</name></author>
    <summary>Summary text.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>The FDA approved
      Casgevy for <strong>transfusion-dependent</strong> beta thalassemia.</p></div></content>
  </entry>
</feed>
"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example.org/"><title>RDF Bio</title>
    <link>https://rdf.example.org/</link><description>d</description>
    <items><rdf:Seq><rdf:li rdf:resource="https://rdf.example.org/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://rdf.example.org/1"><title>Moderna RSV vaccine approved</title>
    <link>https://rdf.example.org/1</link><dc:date>2024-05-31T12:00:00Z</dc:date>
    <description>mRESVIA is the second mRNA product from the company.</description></item>
</rdf:RDF>
"""

RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old Bio</title><link>http://old.example.org/</link>
<description>d</description><language>en</language>
<item><title>Amgen buys Horizon</title><link>http://old.example.org/amgen</link></item>
</channel></rss>
"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY ext SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>Bomb &c;</title><link>https://bomb.example.org/</link>
<item><title>Entity &c; &ext;</title><guid>bomb-1</guid><description>x &c;</description></item>
</channel></rss>
"""


def parse(data: bytes, **kwargs: Any) -> FeedParseResult:
    return parse_feed(data, "Wire", **kwargs)


def test_rss2_fields() -> None:
    result = parse(RSS, url="https://wire.example.org/feed.xml")
    assert result.title == "Example Biotech Wire"
    assert result.warnings == []
    first = result.articles[0]
    assert first.title == "Lilly's donanemab wins FDA approval for early Alzheimer's disease"
    assert first.guid == "wire-2024-0702"
    assert first.id == article_id("Wire", "wire-2024-0702")
    assert first.feed == "Wire"
    assert first.link == "https://wire.example.org/2024/07/donanemab"
    assert first.author == "Priya Natarajan"
    assert first.published == datetime(2024, 7, 2, 18, 30, tzinfo=UTC)
    assert first.source == "STAT Example"
    assert first.credits == ("Jane Doe/Example Agency",)


def test_rss2_body_prefers_content_sanitizes_and_resolves_links() -> None:
    body = parse(RSS).articles[0].body
    assert "Kisunla, a monthly infusion" in body
    assert "Short summary" not in body
    assert "[Trial details](https://wire.example.org/trials/trailblazer)" in body
    assert "![lab](https://wire.example.org/img/lab.jpg)" in body
    assert "track()" not in body


def test_guid_falls_back_to_link_then_to_a_stable_hash() -> None:
    articles = parse(RSS, url="https://wire.example.org/feed.xml").articles
    assert articles[1].guid == "https://wire.example.org/2024/07/relative-link"
    assert articles[1].link == articles[1].guid
    assert articles[1].source == "Example Biotech Wire"
    assert articles[1].body == "Escaped **HTML** summary"
    assert articles[2].guid.startswith("sha256:")
    assert articles[2].guid == parse(RSS).articles[2].guid
    assert articles[2].published is None
    assert articles[2].link == ""


def test_atom_fields_html_title_and_xhtml_content() -> None:
    result = parse(ATOM)
    assert result.title == "Gene Editing Notes"
    article = result.articles[0]
    assert article.title == "Vertex & CRISPR: Casgevy approved for beta thalassemia"
    assert article.guid == "urn:example:notes:casgevy-tdt"
    assert article.author == "Ana Moreau, Tom Baker"
    assert article.published == datetime(2024, 1, 16, 15, 0, tzinfo=UTC)
    assert "**transfusion-dependent**" in article.body
    assert "Summary text" not in article.body
    assert article.source == "Gene Editing Notes"


def test_dates_come_from_struct_times_and_plain_tuples_of_their_fields() -> None:
    """feedparser gives ``struct_time``; the fast path keeps the same fields as a tuple."""
    moment = datetime(2024, 1, 16, 15, 0, 5, tzinfo=UTC)
    assert utc_from_struct(moment.timetuple()) == moment
    assert utc_from_struct(tuple(moment.timetuple())) == moment
    for odd in (None, "2024-01-16", (2024, 1, 16), (2024, 13, 1, 0, 0, 0), ("2024",) * 6):
        assert utc_from_struct(odd) is None


def test_published_preferred_over_updated() -> None:
    data = ATOM.replace(
        b"<updated>2024-01-16T17:00:00+02:00</updated>",
        b"<published>2024-01-10T08:00:00Z</published><updated>2024-01-16T17:00:00Z</updated>",
    )
    assert parse(data).articles[0].published == datetime(2024, 1, 10, 8, 0, tzinfo=UTC)


def test_rss1_and_rss091() -> None:
    rdf = parse(RSS1).articles
    assert [a.title for a in rdf] == ["Moderna RSV vaccine approved"]
    assert rdf[0].published == datetime(2024, 5, 31, 12, 0, tzinfo=UTC)
    old = parse(RSS091)
    assert old.title == "Old Bio"
    assert old.articles[0].guid == "http://old.example.org/amgen"


def test_plain_text_content_is_escaped() -> None:
    data = ATOM.replace(
        b'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>The FDA approved\n'
        b"      Casgevy for <strong>transfusion-dependent</strong> beta thalassemia.</p></div>"
        b"</content>",
        b'<content type="text">Dose *10 mg* [link](javascript:x) &lt;b&gt;</content>',
    )
    body = parse(data).articles[0].body
    assert body == "Dose \\*10 mg\\* \\[link\\](javascript:x) \\<b\\>"


def test_longest_html_content_wins() -> None:
    entry: dict[str, Any] = {
        "content": [
            {"type": "text/plain", "value": "plain but very long " * 20},
            {"type": "text/html", "value": "<p>short html</p>"},
            {"type": "text/html", "value": "<p>the longer html body</p>"},
        ]
    }
    assert entries.body_source(entry) == ("<p>the longer html body</p>", True)


def test_entity_declarations_are_removed_never_expanded() -> None:
    result = parse(BOMB)
    assert "entity declarations removed" in result.warnings
    article = result.articles[0]
    assert "aaaa" not in article.title + article.body + result.title
    assert "root:" not in article.title + article.body
    assert article.guid == "bomb-1"


def test_entity_declarations_in_utf16_feed() -> None:
    data = BOMB.decode().replace('version="1.0"', 'version="1.0" encoding="utf-16"')
    result = parse(data.encode("utf-16"))
    assert "entity declarations removed" in result.warnings
    assert result.articles[0].guid == "bomb-1"
    assert "aaaa" not in result.articles[0].title


def test_strip_entity_declarations_keeps_a_plain_doctype() -> None:
    stripped, changed = strip_entity_declarations(RSS091)
    assert not changed
    assert stripped == RSS091
    stripped, changed = strip_entity_declarations(BOMB)
    assert changed
    assert b"<!ENTITY" not in stripped
    assert b"<!DOCTYPE rss>" in stripped


def test_stray_entity_declaration_outside_doctype() -> None:
    data = RSS.replace(b"<channel>", b'<!ENTITY x "boom"><channel>', 1)
    result = parse(data)
    assert "entity declarations removed" in result.warnings
    assert len(result.articles) == 3


def test_ill_formed_feed_is_read_with_a_warning() -> None:
    data = RSS.replace(b"<description>Short summary.</description>", b"<description>a & b<x>")
    result = parse(data)
    assert result.articles
    assert any("leniently" in warning for warning in result.warnings)


def test_wrong_declared_encoding_is_a_warning() -> None:
    data = RSS.replace(b'encoding="utf-8"', b'encoding="us-ascii"').replace(
        b"Short summary.", "Résumé — ε".encode()
    )
    result = parse(data)
    assert result.articles
    assert result.warnings


def test_empty_channel_is_not_an_error() -> None:
    data = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    result = parse(data)
    assert result.articles == []
    assert result.title == "Quiet"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (
            b'<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>'
            b'<outline text="x" xmlUrl="https://a.example/feed"/></body></opml>',
            "<opml>",
        ),
        (
            b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>'
            b"<name>Lab</name></Placemark></kml>",
            "<kml>",
        ),
        (
            b"<!DOCTYPE html><html><head><title>Page</title></head><body><p>Hi</p></body></html>",
            "HTML page",
        ),
        (b"just some words, not markup", "not a feed"),
        (b"\x00\x01\x02\xff\xfe garbage", "not a feed"),
        (b"http://127.0.0.1:1/feed.xml", "not a feed"),
        (b'{"hello": "world"}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", ', "not valid JSON"),
    ],
)
def test_not_a_feed(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        parse(data)


def test_feedparser_only_ever_gets_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    real_parse = feedparser.parse

    def spy(source: Any, **kwargs: Any) -> Any:
        seen.append((source, kwargs))
        return real_parse(source, **kwargs)

    monkeypatch.setattr(feedparser, "parse", spy)
    parse(RSS, url="https://wire.example.org/feed.xml", content_type="application/rss+xml")
    (source, kwargs), = seen  # fmt: skip
    assert isinstance(source, io.BytesIO)
    assert kwargs["sanitize_html"] is False
    assert kwargs["resolve_relative_uris"] is False


def test_content_type_is_passed_for_encoding_detection() -> None:
    data = RSS.replace(b'<?xml version="1.0" encoding="utf-8"?>', b"")
    latin = data.replace(b"Short summary.", "Résumé".encode("latin-1"))
    result = parse(latin, content_type="application/rss+xml; charset=iso-8859-1")
    assert result.articles[0].title.startswith("Lilly")


def test_json_feed_is_dispatched_by_content() -> None:
    data = b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": []}'
    assert parse(data, content_type="application/xml").title == "J"


def test_long_body_is_truncated_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markup, "MAX_BODY_CHARS", 50)
    article = parse(RSS).articles[0]
    assert len(article.body) < 60
    assert article.notes == (article.notes[0],)
    assert "truncated" in article.notes[0]


def test_a_bad_entry_is_skipped_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    real = entries.entry_article

    def flaky(entry: Any, *args: Any) -> Any:
        if entry.get("title") == "Item without guid":
            raise ValueError("broken entry")
        return real(entry, *args)

    monkeypatch.setattr(entries, "entry_article", flaky)
    result = parse(RSS)
    assert len(result.articles) == 2
    assert result.warnings == ["entry 2 skipped: ValueError: broken entry"]


def test_a_body_that_cannot_be_sanitized_skips_its_entry_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = body.sanitize_html
    every = [(a.guid, a.body) for a in parse(RSS).articles]

    def failing(html: str, base_url: str = "") -> str:
        if "Kisunla" in html:
            raise ValueError("sanitizer broke")
        return real(html, base_url)

    monkeypatch.setattr(body, "sanitize_html", failing)
    result = parse(RSS)
    assert [(a.guid, a.body) for a in result.articles] == every[1:]
    assert result.warnings == ["entry 1 skipped: ValueError: sanitizer broke"]


def test_bodies_of_a_long_feed_are_converted_in_order() -> None:
    count = 131
    items = "".join(
        f"<item><guid>g{n}</guid><title>t{n}</title>"
        f"<description>&lt;p&gt;body &lt;b&gt;{n}&lt;/b&gt;&lt;/p&gt;</description></item>"
        for n in range(count)
    )
    data = f"<rss version='2.0'><channel><title>L</title>{items}</channel></rss>".encode()
    articles = parse(data).articles
    assert [(a.guid, a.body) for a in articles] == [
        (f"g{n}", f"body **{n}**") for n in range(count)
    ]


def test_all_entries_bad_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> Any:
        raise ValueError("nope")

    monkeypatch.setattr(entries, "entry_article", broken)
    with pytest.raises(SourceError, match="no entry"):
        parse(RSS)


def test_helpers() -> None:
    assert root_element(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><rss>') == "rss"
    assert root_element(b"") == ""
    assert make_guid("a", "b") == make_guid("a", "b") != make_guid("a", "c")


# -- skipping entries the store holds unchanged ---------------------------------------------------


def _items(*items: str, channel: str = "Wire") -> bytes:
    """RSS with one item per ``guid|title|link`` spec (an empty part leaves it out)."""
    body = ""
    for spec in items:
        guid, title, link = spec.split("|")
        body += (
            "<item>"
            + (f"<guid>{guid}</guid>" if guid else "")
            + f"<title>{title}</title>"
            + (f"<link>https://wire.example/{link}</link>" if link else "")
            + f"<description>&lt;p&gt;About {title}.&lt;/p&gt;</description></item>"
        )
    return f"<rss version='2.0'><channel><title>{channel}</title>{body}</channel></rss>".encode()


def _store_of(result: FeedParseResult) -> dict[str, str]:
    """The entry digests a store holds after ingesting ``result``, by article id."""
    return dict(result.source_hashes)


def test_entries_the_store_holds_unchanged_are_not_read_again() -> None:
    data = _items("a|Alpha|", "b|Beta|", "|Gamma|gamma", "||")
    first = parse_feed(data, "Wire", known=frozenset())
    assert [a.title for a in first.articles] == ["Alpha", "Beta", "Gamma", "About ."]
    held = _store_of(first)
    assert len(held) == 3  # the entry with neither guid nor link has no digest: always read
    known = frozenset(held.values())

    again = parse_feed(data, "Wire", known=known)
    assert again.skipped == 3
    assert [a.title for a in again.articles] == ["About ."]

    changed = parse_feed(_items("a|Alpha, corrected|", "b|Beta|"), "Wire", known=known)
    assert changed.skipped == 1
    assert [a.title for a in changed.articles] == ["Alpha, corrected"]
    assert changed.source_hashes.keys() == {article_id("Wire", "a")}
    assert changed.source_hashes[article_id("Wire", "a")] != held[article_id("Wire", "a")]


def test_what_makes_an_entry_read_again() -> None:
    data = _items("a|Alpha|")
    known = frozenset(_store_of(parse_feed(data, "Wire", known=frozenset())).values())

    # The feed's title is every article's source.
    assert parse_feed(_items("a|Alpha|", channel="Wire Daily"), "Wire", known=known).skipped == 0
    # So is the place the bytes came from, the base of relative links.
    assert parse_feed(data, "Wire", url="https://elsewhere.example/", known=known).skipped == 0
    # Two entries with one id: the last wins, so neither is taken as already stored.
    twice = parse_feed(_items("a|Alpha|", "a|Alpha|"), "Wire", known=known)
    assert (twice.skipped, len(twice.articles)) == (0, 2)
    assert parse_feed(data, "Wire", known=known).skipped == 1


def test_without_known_no_digest_is_made() -> None:
    assert parse_feed(_items("a|Alpha|"), "Wire").source_hashes == {}


def test_a_feed_whose_entries_are_all_held_is_not_an_error() -> None:
    data = _items("a|Alpha|")
    held = _store_of(parse_feed(data, "Wire", known=frozenset()))
    result = parse_feed(data, "Wire", known=frozenset(held.values()))
    assert (result.articles, result.skipped) == ([], 1)


@pytest.mark.parametrize(
    "link",
    [
        "http://127.0.0.1:8765/a.html",
        "http://localhost/a.html",
        "http://192.168.1.5/a.html",
        "http://10.0.0.7/a.html",
    ],
)
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_links_to_private_and_loopback_addresses_are_kept(link: str, kind: str) -> None:
    if kind == "rss":
        data = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Intranet</title>'
            f"<item><guid>a</guid><title>A</title><link>{link}</link></item>"
            "<item><guid>b</guid><title>B</title><link>https://example.org/b</link></item>"
            "</channel></rss>"
        )
    else:
        data = (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Intranet</title>'
            f'<entry><id>a</id><title>A</title><link href="{link}"/></entry>'
            '<entry><id>b</id><title>B</title><link href="https://example.org/b"/></entry></feed>'
        )
    result = parse_feed(data.encode(), "Intranet")
    assert [article.link for article in result.articles] == [link, "https://example.org/b"]
