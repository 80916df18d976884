"""Hostile input through the real refresh: XML attacks over HTTP and from disk, odd files.

The XML attacks (billion laughs, a quadratic blowup, an external entity naming a local secret,
an external DTD, a parameter entity fetching a URL, and the same bombs hidden from byte
patterns by UTF-16 without a byte order mark or UTF-7) are served by a loopback server and
saved as files, and refreshed together with good feeds. Each refresh runs in a child process
under an address-space limit, so that a regression costs a failed test rather than the
machine's memory, and that child's peak RSS (its own and its parser workers') is the measure.
It runs twice: with the fast parser (feedparser-rs, in worker processes, as a refresh of many
feeds does) and with feedparser alone (the fast parser switched off, parsing in-process).

Smaller cases beside them: thousands of unclosed declarations (the entity filter's own
patterns must not be the denial of service), a web page with the lowercase doctype most pages
have where a feed should be, and a ``Retry-After`` asking for years.

The odd-files folder holds good clippings beside every kind of bad file a clipping folder
meets; the real refresh reads it in-process and through ``biotui refresh`` in a child whose
peak memory is measured.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from biotui.model import Article, Config, Feed, Settings
from biotui.refresh import FeedOutcome, refresh_all
from biotui.refresh.http import parse_retry_after
from biotui.sources import fastparse
from biotui.sources.fastparse import fast_parse
from biotui.sources.feed import parse_feed
from biotui.sources.xmlguard import strip_entity_declarations
from biotui.store import Store

MB = 1024 * 1024
PARSE_RSS_BOUND = 100 * MB
"""Peak memory a refresh of every attack may add to a warmed-up refresh (per process).

Unguarded, the quadratic blowup expands to 5 GB and each billion laughs to 4 GB."""
ADDRESS_SPACE_LIMIT = 2 * 1024 * MB
"""The child refresh's address-space limit: a safety net only, far above what it needs."""
REFRESH_RSS_BOUND = 400 * MB
"""Peak RSS of ``biotui refresh`` (or any of its workers) reading the odd-files folder."""

ENTITIES_REMOVED = "entity declarations removed"
EXTERNAL_DTD = "external DTD not fetched"
LAUGH = "HAHA"
"""The billion laughs' innermost value: two of them in a row would mean an expansion."""
GOOD_RSS = (
    b"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Good Wire</title>"
    b"<link>https://good.example/</link><item><title>Good news still arrives</title>"
    b"<guid>good-1</guid><link>https://good.example/1</link>"
    b"<description>&lt;p&gt;Nothing odd here.&lt;/p&gt;</description></item></channel></rss>"
)
GOOD_CLIPPING = """March 2025 — Test Desk
Boston, USA — A biotech company dosed its first patient with an experimental lupus therapy.
Source: First lupus patient dosed — Example Wire
"""


# XML attacks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attack:
    name: str
    data: bytes
    title: str
    """What the stored title starts with: the item's own words, its entity reference unexpanded."""
    warning: str
    fast: bool
    """Whether the fast parser reads it (else feedparser does, whatever the mode)."""


def _rss(prolog: str, title: str, body: str, encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n{prolog}\n'
        '<rss version="2.0"><channel><title>Attack Wire</title>'
        "<link>https://attack.example/</link>"
        f"<item><title>{title}</title><guid>attack-1</guid>"
        f"<link>https://attack.example/1</link><description>{body}</description></item>"
        "</channel></rss>\n"
    )


def _laughs_prolog() -> str:
    lines = [f'<!ENTITY lol0 "{LAUGH}">']
    lines += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return "<!DOCTYPE rss [\n" + "\n".join(lines) + "\n]>"


# One entity declaration per line is the form feedparser's own filter keeps as "safe".
_QUADRATIC_PROLOG = '<!DOCTYPE rss [\n<!ENTITY big "' + "Q" * 100_000 + '">\n]>'
_QUADRATIC_BODY = "&big;" * 50_000


def attacks(secret: Path, base_url: str) -> list[Attack]:
    """Every attack document; ``base_url`` is the loopback server that must not be asked."""
    utf7 = _rss(_laughs_prolog(), "Laughs in UTF-7 &lol9;", "&lol9;", encoding="utf-7")
    declaration, rest = utf7.split("\n", 1)
    utf7 = declaration + "\n" + rest.replace("<!", "+ADw-!")  # "<!ENTITY" only once decoded
    return [
        Attack(
            "laughs",
            _rss(_laughs_prolog(), "Laughs &lol9;", "&lol9; &lol9;").encode(),
            "Laughs &lol9;",
            ENTITIES_REMOVED,
            fast=True,
        ),
        Attack(
            "quadratic",
            _rss(_QUADRATIC_PROLOG, "Quadratic &big;", _QUADRATIC_BODY).encode(),
            "Quadratic &big;",
            ENTITIES_REMOVED,
            fast=True,
        ),
        Attack(
            "external-entity",
            _rss(
                f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file://{secret}">\n]>',
                "External &xxe;",
                "Secret: &xxe;",
            ).encode(),
            "External &xxe;",
            ENTITIES_REMOVED,
            fast=True,
        ),
        Attack(
            "external-dtd",
            _rss(f'<!DOCTYPE rss SYSTEM "{base_url}/evil.dtd">', "DTD &evil;", "&evil;").encode(),
            "DTD &evil;",
            EXTERNAL_DTD,
            fast=True,
        ),
        Attack(
            "parameter-entity",
            _rss(
                f'<!DOCTYPE rss [\n<!ENTITY % remote SYSTEM "{base_url}/remote.dtd">\n%remote;\n]>',
                "Parameter &evil;",
                "&evil;",
            ).encode(),
            "Parameter &evil;",
            ENTITIES_REMOVED,
            fast=True,
        ),
        Attack(
            "utf16-quadratic",  # no byte order mark: the bytes show no "<!ENTITY"
            _rss(_QUADRATIC_PROLOG, "Quadratic UTF-16 &big;", _QUADRATIC_BODY, "utf-16").encode(
                "utf-16-le"
            ),
            "Quadratic UTF-16 &big;",
            ENTITIES_REMOVED,
            fast=False,
        ),
        Attack("utf7-laughs", utf7.encode(), "Laughs in UTF-7 &lol9;", ENTITIES_REMOVED, False),
    ]


EVIL_DTD = b'<!ENTITY evil "EVILDTD-EXPANDED">'

_REFRESH_CHILD = r"""
import json, resource, sys
from pathlib import Path

spec = json.loads(sys.argv[1])
limit = spec["address_space"]
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

from biotui import refresh
from biotui.model import Config, Feed, Settings
from biotui.store import Store

if spec["fallback"]:  # feedparser alone, in this process (workers would not see this)
    from biotui.sources import fastparse

    fastparse._fast_parser = None
    from biotui.refresh import pipeline

    pipeline.PROCESS_MIN_FEEDS = 10**9  # every refresh parses in a thread of this process

def run(feeds, data):
    settings = Settings(timeout=30, concurrency=4, refresh_on_start=False)
    config = Config(path=Path(data) / "feeds.toml", settings=settings,
                    feeds=tuple(Feed(**f) for f in feeds))
    with Store.open(Path(data)) as store:
        return refresh.refresh_all(config, store)

def peaks():
    return [resource.getrusage(who).ru_maxrss * 1024
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]

run(spec["warmup"], spec["warmup_data"])  # imports, the HTTP client, the workers: baseline
before = peaks()
outcomes = run(spec["feeds"], spec["data"])
print(json.dumps({
    "before": before,
    "after": peaks(),
    "outcomes": [
        {"feed": o.feed, "error": o.error, "warnings": list(o.warnings), "new": o.counts.new}
        for o in outcomes
    ],
}))
"""


def stored_articles(store: Store) -> list[Article]:
    articles = [store.article(int(rowid)) for rowid in store.headline_ids()]
    assert all(article is not None for article in articles)
    return [article for article in articles if article is not None]


def article_text(article: Article) -> str:
    """Every text field of a stored article, joined."""
    fields = (article.title, article.link, article.author, article.source, article.source_title)
    fields += (article.section, article.place, article.body, article.guid)
    return "\n".join((*fields, *article.credits, *article.notes))


@pytest.mark.parametrize("mode", ["fast", "fallback"])
def test_xml_attacks_over_http_and_from_disk(
    mode: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    if mode == "fast" and fastparse._fast_parser is None:
        pytest.skip("feedparser-rs is not installed")
    secret_value = f"SECRET-{secrets.token_hex(8)}"
    secret = tmp_path / "secret.txt"
    secret.write_text(secret_value, encoding="utf-8")
    base_url = httpserver.url_for("").rstrip("/")
    cases = attacks(secret, base_url)

    httpserver.expect_request("/evil.dtd").respond_with_data(EVIL_DTD)
    httpserver.expect_request("/remote.dtd").respond_with_data(EVIL_DTD)
    httpserver.expect_request("/good.xml").respond_with_data(
        GOOD_RSS, content_type="application/rss+xml"
    )
    disk = tmp_path / "attacks"
    disk.mkdir()
    feeds: list[dict[str, str]] = []
    for case in cases:
        httpserver.expect_request(f"/{case.name}.xml").respond_with_data(
            case.data, content_type="application/rss+xml"
        )
        (disk / f"{case.name}.xml").write_bytes(case.data)
        feeds.append({"name": f"http {case.name}", "url": f"{base_url}/{case.name}.xml"})
        feeds.append({"name": f"disk {case.name}", "path": str(disk / f"{case.name}.xml")})
    clips = tmp_path / "clips"
    clips.mkdir()
    (clips / "lupus.txt").write_text(GOOD_CLIPPING, encoding="utf-8")
    (tmp_path / "good.rss").write_bytes(GOOD_RSS)
    good = [
        {"name": "http good", "url": f"{base_url}/good.xml"},
        {"name": "disk good", "path": str(clips)},
    ]
    warmup = [*good, {"name": "warm", "path": str(tmp_path / "good.rss")}]
    if mode == "fast":  # the fast path really is what reads the UTF-8 attacks
        for case in cases:
            readable = fast_parse(strip_entity_declarations(case.data)[0]) is not None
            assert readable == case.fast, case.name
    for folder in ("data", "warmup"):
        (tmp_path / folder).mkdir()
    spec = {
        "fallback": mode == "fallback",
        "address_space": ADDRESS_SPACE_LIMIT,
        "warmup": warmup,
        "warmup_data": str(tmp_path / "warmup"),
        "feeds": feeds + good,
        "data": str(tmp_path / "data"),
    }

    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-c", _REFRESH_CHILD, json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert child.returncode == 0, child.stderr[-3000:]
    report: dict[str, Any] = json.loads(child.stdout)
    outcomes = {outcome["feed"]: outcome for outcome in report["outcomes"]}

    # Memory: the refresh itself and its busiest parser worker stayed bounded.
    (self_before, children_before), (self_after, children_after) = report["before"], report["after"]
    assert self_after - self_before < PARSE_RSS_BOUND, (self_before, self_after)
    assert children_after - children_before < PARSE_RSS_BOUND, (children_before, children_after)
    assert elapsed < 90

    # Nothing was fetched but the feeds themselves.
    asked = {request.path for request, _ in httpserver.log}
    assert "/evil.dtd" not in asked and "/remote.dtd" not in asked

    with Store.open(tmp_path / "data") as store:
        articles = stored_articles(store)
    by_feed = {article.feed: article for article in articles}
    for feed, outcome in outcomes.items():
        assert outcome["error"] is None and outcome["new"] == 1, (feed, outcome)
    assert len(by_feed) == len(articles) == len(cases) * 2 + 2  # one article per feed
    assert by_feed["http good"].title == "Good news still arrives"
    assert by_feed["disk good"].title == "First lupus patient dosed"

    for case in cases:
        for where in ("http", "disk"):
            feed = f"{where} {case.name}"
            outcome = outcomes[feed]
            prefix = "" if where == "http" else f"{disk / f'{case.name}.xml'}: "
            assert prefix + case.warning in outcome["warnings"], (feed, outcome["warnings"])
            for warning in outcome["warnings"]:
                assert "\n" not in warning and "Traceback" not in warning
            # Which parser read it shows in its lenient-reading warning: feedparser's strict
            # parser names a SAXParseException (undefined entity), the fast parser does not.
            by_feedparser = any("SAXParseException" in w for w in outcome["warnings"])
            assert by_feedparser == (mode == "fallback" or not case.fast), (feed, outcome)
            article = by_feed[feed]
            assert article.title.startswith(case.title), (feed, article.title)
            text = article_text(article)
            assert LAUGH * 2 not in text, feed
            assert "Q" * 100 not in text, feed
            assert secret_value not in text, feed
            assert "EVILDTD" not in text, feed
            assert len(article.body) <= 300_000, feed  # 50,000 references, unexpanded

    # The secret is nowhere in the store's files, whatever the field or table.
    for path in (tmp_path / "data").iterdir():
        if path.is_file():
            assert secret_value.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("mode", ["fast", "fallback"])
@pytest.mark.parametrize("unit", [b"<!DOCTYPE x [", b"<!ENTITY "])
def test_unclosed_declarations_by_the_thousand_cost_linear_time(
    mode: str, unit: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entity filter's own patterns must not be the denial of service (they were quadratic:
    about 50 s here for these 300 KB)."""
    if mode == "fallback":
        monkeypatch.setattr(fastparse, "_fast_parser", None)
    data = GOOD_RSS + unit * (300_000 // len(unit))
    started = time.monotonic()
    result = parse_feed(data, "Flood")
    assert time.monotonic() - started < 5
    assert [article.title for article in result.articles] == ["Good news still arrives"]
    assert ENTITIES_REMOVED in result.warnings


HTML_PAGE = (
    "<!doctype html>\n<html lang=en><head><title>Example Bio Wire</title></head>"
    "<body><p>Subscribe to our newsletter.</p></body></html>"
)
"""A web page where a feed should be, with the lowercase doctype most pages have."""


def test_an_html_page_instead_of_a_feed_says_so(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/feed").respond_with_data(HTML_PAGE, content_type="text/html")
    feeds = (Feed("Page", url=httpserver.url_for("/feed")),)
    settings = Settings(timeout=5, concurrency=4, refresh_on_start=False)
    config = Config(path=tmp_path / "feeds.toml", settings=settings, feeds=feeds)
    with Store.open(tmp_path / "data") as store:
        (outcome,) = refresh_all(config, store)
    assert outcome.error == "an HTML page, not a feed"


@pytest.mark.parametrize(
    "header", ["Fri, 01 Jan 2100 00:00:00 GMT", "999999999999999999999", str(30 * 24 * 3600)]
)
def test_retry_after_cannot_silence_a_feed_for_long(header: str) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after(header, now) == now + timedelta(days=7)


# Odd files in a clipping folder ---------------------------------------------------------------

GOOD_CLIPPINGS = {
    "casgevy.txt": (
        "March 2025 — Gene Editing Desk\n"
        "Boston, USA — Vertex said its CRISPR therapy Casgevy has now treated 100 patients.\n"
        "More treatment centres open this year.\n"
        "Photo: Jane Doe/Example Agency\n"
        "Source: Casgevy reaches 100 patients — Example Wire\n",
        "Casgevy reaches 100 patients",
    ),
    "kj-c2219.txt": (
        "February 2025 — Cell Therapy Watch\n"
        "Shanghai, China / Global — CARsgen Therapeutics said the first patient with lupus "
        "received KJ-C2219.\n"
        "Photo by National Cancer Institute on Unsplash\n"
        "Source: CARsgen doses first lupus patient with KJ-C2219 — CARsgen Therapeutics\n",
        "CARsgen doses first lupus patient with KJ-C2219",
    ),
    "semaglutide.txt": (
        "April 2025 — Metabolic Desk\n"
        "Copenhagen, Denmark — Novo Nordisk reported two-year data for semaglutide.\n"
        "Source: Novo Nordisk reports two-year semaglutide data — Example Wire\n",
        "Novo Nordisk reports two-year semaglutide data",
    ),
}
HUGE_BYTES = 60 * MB
SKIPPED = {
    "empty.txt": "empty clipping",
    "empty.md": "empty Markdown file",
    "blank.html": "empty page",
    "binary.txt": "binary content, not text",
    "dangling.txt": "cannot read: No such file or directory",
    "pipe.txt": "cannot read: a named pipe, not a regular file",
    "subscriptions.xml": "not a feed: the document's root element is <opml>",
    "places.xml": "not a feed: the document's root element is <kml>",
    "saved-page.xml": "an HTML page, not a feed",
}
"""The odd files skipped, each with the reason its one warning line gives."""


def make_odd_folder(folder: Path) -> None:
    folder.mkdir()
    for name, (text, _) in GOOD_CLIPPINGS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "empty.md").write_bytes(b"")
    (folder / "blank.html").write_bytes(b" \r\n\t\n")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with (folder / "huge.txt").open("w", encoding="utf-8") as out:  # real text, 60 MB of it
        out.write("May 2025 — Archive Desk\nBoston, USA — A whole archive saved as one file.\n")
        block = "Lupus and CAR-T therapy news, one more paragraph of it. " * 20 + "\n"
        block *= 1000
        while out.tell() < HUGE_BYTES:
            out.write(block)
    (folder / "one-line.txt").write_text(
        "Basel, Switzerland — " + "Roche said the trial of its lupus drug met its goal. " * 40_000,
        encoding="utf-8",
    )
    (folder / "deep.html").write_text(
        "<html><head><title>Deep page</title></head><body>"
        + "<div>" * 50_000
        + "<p>deep text</p>"
        + "</div>" * 50_000
        + "</body></html>",
        encoding="utf-8",
    )
    (folder / "bad-utf8.txt").write_bytes(
        "July 2025 — Desk\nZürich, Switzerland — Roche said a damaged ".encode()
        + b"\xff\xfe\xc3 file still reads.\n"
    )
    utf16 = "August 2025 — Desk\nMünchen, Germany — MorphoSys said its {} note arrived.\n"
    (folder / "utf16-bom.txt").write_bytes(utf16.format("UTF-16").encode("utf-16"))
    (folder / "utf16-no-bom.txt").write_bytes(utf16.format("BOM-less").encode("utf-16-le"))
    (folder / "latin1.txt").write_bytes(
        "September 2025 - Desk\nMünchen, Germany - MorphoSys said its Latin-1 note arrived.\n"
        "Source: Latin-1 note from München - MorphoSys\n".encode("latin-1")
    )
    (folder / "cp1252.txt").write_bytes(
        "October 2025 — Desk\nKöln, Germany — “Grüße” from the cp1252 note – twice.\n".encode(
            "cp1252"
        )
    )
    # Symlink loops: a folder linked to its parent, and the folder linked to itself.
    (folder / "nested").mkdir()
    (folder / "nested" / "up").symlink_to(folder, target_is_directory=True)
    (folder / "self").symlink_to(".", target_is_directory=True)
    # Unreadable files. We run as root, for whom chmod 000 changes nothing, so: a broken
    # symlink (it cannot be opened, by anyone) and a named pipe with no writer (opening it for
    # a plain read would wait forever; it must be refused unread). A file that only other
    # users cannot read is added below when not running as root.
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "subscriptions.xml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Feeds</title></head><body>'
        '<outline text="STAT" xmlUrl="https://www.statnews.com/feed/"/></body></opml>',
        encoding="utf-8",
    )
    (folder / "places.xml").write_text(
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>'
        "<name>Lab</name><Point><coordinates>8.59,47.56</coordinates></Point></Placemark></kml>",
        encoding="utf-8",
    )
    (folder / "saved-page.xml").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "malformed.rss").write_text(  # a bare "&", an unclosed tag, no end at all
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken & Co</title>'
        "<item><title>Partly read item</title><guid>m1</guid>"
        "<description>fine <b>unclosed</description></item>"
        "<item><title>Second partly read item</title><guid>m2</guid>",
        encoding="utf-8",
    )


def check_odd_folder(folder: Path, articles: list[Article], warnings: list[str]) -> None:
    """The good files all load, each odd file is read sensibly or skipped with one line."""
    by_file: dict[str, list[Article]] = {}
    for article in articles:
        if article.link.startswith("file:"):
            name = article.link.rsplit("/", 1)[-1]
        else:  # an entry of the saved feed
            name = "malformed.rss" if article.guid in ("m1", "m2") else article.guid
        by_file.setdefault(name, []).append(article)
    for name, (_, title) in GOOD_CLIPPINGS.items():
        assert [article.title for article in by_file[name]] == [title]

    for warning in warnings:
        assert "Traceback" not in warning and 'File "' not in warning and "\n" not in warning
        assert str(folder) in warning, warning  # every warning names its file
        assert "/self/" not in warning and "/up/" not in warning  # loops were not followed
    for name, reason in SKIPPED.items():
        (line,) = [warning for warning in warnings if str(folder / name) in warning]
        assert line == f"skipped {folder / name}: {reason}"
        assert name not in by_file

    (huge,) = by_file["huge.txt"]
    assert huge.title == "A whole archive saved as one file"
    size = (folder / "huge.txt").stat().st_size
    assert size >= HUGE_BYTES
    assert huge.notes[0] == f"file cut to its first 5,242,880 of {size:,} bytes before reading"
    (line,) = by_file["one-line.txt"]
    assert line.place == "Basel, Switzerland"
    assert line.title == "Roche said the trial of its lupus drug met its goal"
    (note,) = line.notes
    assert note.startswith("body truncated to 1,000,000 of ") and note.endswith(" characters")
    (deep,) = by_file["deep.html"]
    assert deep.title == "Deep page" and deep.body == "deep text"
    assert deep.notes == ("page nested more than 1,000 deep: read as plain text",)
    (damaged,) = by_file["bad-utf8.txt"]
    assert damaged.place == "Zürich, Switzerland" and "\ufffd" in damaged.body
    for name, kind in (("utf16-bom.txt", "UTF-16"), ("utf16-no-bom.txt", "BOM-less")):
        (article,) = by_file[name]
        assert article.place == "München, Germany"
        assert article.title == f"MorphoSys said its {kind} note arrived"
    (latin1,) = by_file["latin1.txt"]
    assert latin1.place == "München, Germany" and latin1.title == "Latin-1 note from München"
    (cp1252,) = by_file["cp1252.txt"]
    assert (
        cp1252.place == "Köln, Germany" and cp1252.title == "“Grüße” from the cp1252 note – twice"
    )
    assert sorted(a.title for a in by_file["malformed.rss"]) == [
        "Partly read item",
        "Second partly read item",
    ]
    assert any(w.startswith(f"{folder / 'malformed.rss'}: read leniently: ") for w in warnings), (
        warnings
    )
    locked = by_file.get("locked.txt")
    if os.geteuid() == 0:
        assert locked is not None and locked[0].title == "A locked note, readable by root"
    else:
        assert locked is None
        assert f"skipped {folder / 'locked.txt'}: cannot read: Permission denied" in warnings
    read_names = set(GOOD_CLIPPINGS) | {"huge.txt", "one-line.txt", "deep.html", "bad-utf8.txt"}
    read_names |= {"utf16-bom.txt", "utf16-no-bom.txt", "latin1.txt", "cp1252.txt"}
    read_names |= {"malformed.rss"} | ({"locked.txt"} if os.geteuid() == 0 else set())
    assert set(by_file) == read_names  # nothing twice through the loops, nothing unexpected
    assert len(articles) == len(read_names) + 1  # malformed.rss gives two


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "clips"
    make_odd_folder(folder)
    locked = folder / "locked.txt"
    locked.write_text("June 2025 — Desk\nA locked note, readable by root.\n", encoding="utf-8")
    locked.chmod(0)
    return folder


def test_odd_files_in_a_clipping_folder(odd_folder: Path, tmp_path: Path) -> None:
    settings = Settings(timeout=5, concurrency=4, refresh_on_start=False)
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=settings,
        feeds=(Feed("Clips", path=str(odd_folder)),),
    )
    started = time.monotonic()
    with Store.open(tmp_path / "data") as store:
        (outcome,) = refresh_all(config, store)
        articles = stored_articles(store)
        status = store.feed_status("Clips")
    assert time.monotonic() - started < 30
    assert isinstance(outcome, FeedOutcome) and outcome.error is None
    assert status is not None and status.last_error is None
    check_odd_folder(odd_folder, articles, list(outcome.warnings))
    assert outcome.counts.new == len(articles)


_MEASURED_CLI = r"""
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120, check=False)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"status": done.returncode, "out": done.stdout, "err": done.stderr,
                  "peak": peak}))
"""


def test_biotui_refresh_on_the_odd_folder(odd_folder: Path, tmp_path: Path) -> None:
    """The CLI, with enough feeds that parsing runs in worker processes; RSS of the largest."""
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "lupus.txt").write_text(GOOD_CLIPPING, encoding="utf-8")
    (tmp_path / "saved.rss").write_bytes(GOOD_RSS)
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[[feeds]]\nname = "Clips"\npath = "{odd_folder}"\n\n'
        f'[[feeds]]\nname = "Other"\npath = "{tmp_path / "other"}"\n\n'
        f'[[feeds]]\nname = "Saved"\npath = "{tmp_path / "saved.rss"}"\n',
        encoding="utf-8",
    )
    data = tmp_path / "data"
    command = [sys.executable, "-m", "biotui", "--config", str(config), "--data-dir", str(data)]
    started = time.monotonic()
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURED_CLI, *command, "refresh"],
        capture_output=True,
        text=True,
        timeout=150,
        check=True,
    )
    assert time.monotonic() - started < 60
    report = json.loads(measured.stdout)
    out, err = report["out"], report["err"]
    assert report["status"] == 0, err
    assert "Traceback" not in out + err
    assert err == ""
    assert report["peak"] < REFRESH_RSS_BOUND, report["peak"]

    lines = out.splitlines()
    summary = [line for line in lines if not line.startswith("    ")]
    warnings = [line.removeprefix("    ") for line in lines if line.startswith("    ")]
    assert summary[0].startswith("✓ Clips: ") and summary[0].endswith(" new, 0 updated")
    assert summary[1:] == ["✓ Other: 1 new, 0 updated", "✓ Saved: 1 new, 0 updated"]
    with Store.open(data) as store:
        articles = [a for a in stored_articles(store) if a.feed == "Clips"]
    assert summary[0] == f"✓ Clips: {len(articles)} new, 0 updated"
    check_odd_folder(odd_folder, articles, warnings)
