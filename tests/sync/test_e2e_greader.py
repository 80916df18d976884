"""End to end against our Google Reader server on 127.0.0.1, through the command line as a
user meets it: subscriptions and items on the server, ``biotui sync``, the articles listed;
marks made in biotui reach the server and marks made on the server reach biotui; biotui killed
between two pages of a sync loses nothing and stores nothing twice; ``biotui add`` and
``biotui remove`` subscribe and unsubscribe on the server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from .e2e import Biotui, make_biotui, sync_table
from .gate import Gate, greader_page
from .greader_server import GReaderServer

NOW = int(time.time())
WIRE = "https://wire.example/feed.xml"


@pytest.fixture
def server() -> Iterator[GReaderServer]:
    with GReaderServer(username="reader", password="api-password") as running:
        wire = running.add_feed(WIRE, "Biotech Wire", ["Biotech"])
        stat = running.add_feed("https://stat.example/feed", "STAT", ["Policy"])
        for n in range(5):
            running.add_item(wire, f"Wire story {n}", crawled=NOW - 3600 * (n + 1))
        for n in range(3):
            running.add_item(stat, f"STAT story {n}", crawled=NOW - 600 * (n + 1), read=n == 0)
        yield running


def biotui_for(tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str) -> Biotui:
    return make_biotui(tmp_path, capsys, sync_table("greader", url, "reader"), "api-password")


@pytest.fixture
def biotui(tmp_path: Path, capsys: pytest.CaptureFixture[str], server: GReaderServer) -> Biotui:
    return biotui_for(tmp_path, capsys, server.url)


def server_item(server: GReaderServer, title: str) -> str:
    return next(key for key, item in server.items.items() if item.title == title)


def test_sync_lists_the_servers_articles_and_feeds(biotui: Biotui, server: GReaderServer) -> None:
    out = biotui.ok("sync")
    assert out == f"{server.url}: 2 feeds, 8 new articles, 0 updated, 0 marks sent, 0 marks taken\n"
    articles = biotui.by_title()
    assert len(articles) == 8
    assert len(biotui.listed("--unread")) == 7  # STAT story 0 was read on the server
    feeds = biotui.feeds()
    assert sorted(feeds) == ["Biotech Wire", "STAT"]
    assert feeds["Biotech Wire"]["tags"] == ["Biotech"] and feeds["Biotech Wire"]["synced"]
    assert (feeds["Biotech Wire"]["articles"], feeds["Biotech Wire"]["unread"]) == (5, 5)
    assert (feeds["STAT"]["articles"], feeds["STAT"]["unread"]) == (3, 2)
    assert biotui.ok("sync").startswith(f"{server.url}: 2 feeds, 0 new articles")


def test_marks_go_both_ways(biotui: Biotui, server: GReaderServer) -> None:
    biotui.ok("sync")
    articles = biotui.by_title()
    biotui.ok("mark", "--read", str(articles["Wire story 0"]["id"]))
    biotui.ok("mark", "--star", str(articles["Wire story 1"]["id"]))
    biotui.ok("mark", "--unread", str(articles["STAT story 0"]["id"]))
    out = biotui.ok("sync")
    assert "3 marks sent" in out
    unread = {server.items[key].title for key in server.unread_ids()}
    starred = {server.items[key].title for key in server.starred_ids()}
    assert unread == {f"Wire story {n}" for n in range(1, 5)} | {
        f"STAT story {n}" for n in range(3)
    }
    assert starred == {"Wire story 1"}

    server.set_state(server_item(server, "Wire story 2"), read=True, starred=True)
    server.set_state(server_item(server, "Wire story 1"), starred=False)
    server.set_state(server_item(server, "Wire story 0"), read=False)
    assert "3 marks taken" in biotui.ok("sync")
    articles = biotui.by_title()
    assert {t for t, r in articles.items() if not r["read"]} == unread - {"Wire story 2"} | {
        "Wire story 0"
    }
    assert {t for t, r in articles.items() if r["starred"]} == {"Wire story 2"}
    assert "0 marks sent, 0 marks taken" in biotui.ok("sync")  # both ends equal


def test_killed_between_pages_a_sync_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with GReaderServer(username="reader", password="api-password", max_page=10) as server:
        feed = server.add_feed(WIRE, "Biotech Wire")
        for n in range(60):
            server.add_item(feed, f"Story {n:02}", crawled=NOW - 60 * (n + 1))
        with Gate(server.url, greader_page, block_at=4) as gate:
            biotui = biotui_for(tmp_path, capsys, gate.url)
            process = biotui.start("sync")
            try:
                assert gate.reached.wait(60), process.communicate()
            finally:
                process.kill()  # SIGKILL, between the third page stored and the fourth
                process.wait()
            gate.release.set()
            assert len(biotui.by_title()) == 30  # three pages of ten stored, kept
            out = biotui.ok("sync")
        assert "30 new articles" in out
        articles = biotui.by_title()
        assert sorted(articles) == [f"Story {n:02}" for n in range(60)]


def test_add_subscribes_on_the_server_and_remove_unsubscribes(
    biotui: Biotui, server: GReaderServer
) -> None:
    biotui.ok("sync")
    out = biotui.ok("add", "https://trials.example/rss", "--name", "Trials", "--tag", "Oncology")
    assert out == (
        f"subscribed to Trials on {server.url}\n"
        "its articles come down at the next sync (biotui sync, or biotui refresh)\n"
    )
    added = next(k for k, f in server.feeds.items() if f.url == "https://trials.example/rss")
    assert (server.feeds[added].title, server.feeds[added].categories) == ("Trials", ["Oncology"])
    server.add_item(added, "Trial readout", crawled=NOW)
    biotui.ok("sync")
    assert biotui.feeds()["Trials"]["tags"] == ["Oncology"]
    assert biotui.by_title()["Trial readout"]["feed"] == "Trials"

    status, _, err = biotui("add", "https://trials.example/rss")
    assert status == 2 and err == (
        "biotui: already subscribed on the server as Trials: https://trials.example/rss\n"
    )
    biotui.ok("mark", "--star", str(biotui.by_title()["Wire story 0"]["id"]))
    out = biotui.ok("remove", "Biotech Wire")
    assert out == (
        f"unsubscribed from Biotech Wire on {server.url}\n"
        "removed 4 articles of Biotech Wire\n"
        "kept 1 starred article of Biotech Wire\n"
    )
    assert WIRE not in {feed.url for feed in server.feeds.values()}
    assert "Biotech Wire" not in biotui.feeds()
    assert {t for t in biotui.by_title() if t.startswith("Wire")} == {"Wire story 0"}
    biotui.ok("sync")
    assert "Biotech Wire" not in biotui.feeds()


def test_add_local_adds_the_feed_to_biotui_only(
    biotui: Biotui, server: GReaderServer, httpserver: HTTPServer
) -> None:
    feed = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Lab notes",'
        ' "items": [{"id": "1", "title": "A lab note", "content_text": "Text."}]}'
    )
    httpserver.expect_request("/notes.json").respond_with_data(
        feed, content_type="application/feed+json"
    )
    url = httpserver.url_for("/notes.json").replace("//localhost:", "//127.0.0.1:")
    out = biotui.ok("add", "--local", url)
    assert "stored 1 article of Lab notes" in out
    assert url in biotui.config.read_text(encoding="utf-8")
    assert url not in {f.url for f in server.feeds.values()}
    status, _, err = biotui("add", url, "--pick", "2")
    assert status == 2 and "add --local" in err
