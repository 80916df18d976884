"""End to end against a real Fever server, Coldsweat 0.10.2 on 127.0.0.1 (one for the module,
fetching feeds served from 127.0.0.1), through the command line as a user meets it: feeds
subscribed and fetched on the server, ``biotui sync``, the articles listed; marks both ways;
biotui killed between two pages of a sync; ``add`` and ``remove`` say the server must do it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from .coldsweat import EMAIL, PASSWORD, Coldsweat, Entry, FeedSite, atom
from .e2e import Biotui, make_biotui, sync_table
from .gate import Gate, fever_page

NOW = datetime.now(UTC).replace(microsecond=0)
SCIENCE = [
    Entry(f"sci{n}", f"Trial readout {n:03}", NOW - timedelta(hours=n + 1)) for n in range(120)
]
WIRE = [Entry(f"wire{n}", f"Wire {n}", NOW - timedelta(hours=n + 2)) for n in range(10)]


@pytest.fixture(scope="module")
def server(coldsweat_server: Coldsweat, coldsweat_site: FeedSite) -> Coldsweat:
    science = coldsweat_site.put(
        "/science.xml", atom("Science Daily", coldsweat_site.base, SCIENCE)
    )
    wire = coldsweat_site.put("/wire.xml", atom("Biotech Wire", coldsweat_site.base, WIRE))
    coldsweat_server.subscribe(
        {"Science Daily": (science, "Science"), "Biotech Wire": (wire, "Biotech")}
    )
    return coldsweat_server


def biotui_for(tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str) -> Biotui:
    return make_biotui(tmp_path, capsys, sync_table("fever", url, EMAIL), PASSWORD)


@pytest.fixture
def biotui(tmp_path: Path, capsys: pytest.CaptureFixture[str], server: Coldsweat) -> Biotui:
    return biotui_for(tmp_path, capsys, server.url)


def server_ids(server: Coldsweat) -> dict[str, str]:
    return {str(item["title"]): str(item["id"]) for item in server.items()}


def test_sync_lists_the_servers_articles_and_feeds(biotui: Biotui, server: Coldsweat) -> None:
    out = biotui.ok("sync")
    assert out.startswith(f"{server.url}: 2 feeds, 130 new articles, 0 updated")
    assert len(biotui.by_title()) == 130
    assert len(biotui.listed("--unread")) == 130
    feeds = biotui.feeds()
    assert sorted(feeds) == ["Biotech Wire", "Science Daily"]
    assert feeds["Science Daily"]["tags"] == ["Science"] and feeds["Science Daily"]["synced"]
    assert (feeds["Science Daily"]["articles"], feeds["Biotech Wire"]["articles"]) == (120, 10)
    assert "0 new articles" in biotui.ok("sync")


def test_marks_go_both_ways(biotui: Biotui, server: Coldsweat) -> None:
    biotui.ok("sync")
    articles, ids = biotui.by_title(), server_ids(server)
    biotui.ok("mark", "--read", str(articles["Wire 0"]["id"]))
    biotui.ok("mark", "--star", str(articles["Wire 1"]["id"]))
    assert "2 marks sent" in biotui.ok("sync")
    assert ids["Wire 0"] not in server.ids("unread") and ids["Wire 1"] in server.ids("unread")
    assert server.ids("saved") == {ids["Wire 1"]}

    server.mark(ids["Wire 2"], "read")
    server.mark(ids["Wire 2"], "saved")
    server.mark(ids["Wire 1"], "unsaved")
    server.mark(ids["Wire 0"], "unread")
    assert "3 marks taken" in biotui.ok("sync")
    articles = biotui.by_title()
    assert {t for t, r in articles.items() if r["read"]} == {"Wire 2"}
    assert {t for t, r in articles.items() if r["starred"]} == {"Wire 2"}
    assert "0 marks sent, 0 marks taken" in biotui.ok("sync")


def test_killed_between_pages_a_sync_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: Coldsweat
) -> None:
    upstream = server.url.removesuffix("/fever/")
    with Gate(upstream, fever_page, block_at=5) as gate:
        biotui = biotui_for(tmp_path, capsys, gate.url + "/fever/")
        process = biotui.start("sync")
        try:
            assert gate.reached.wait(60), process.communicate()
        finally:
            process.kill()  # SIGKILL, while it waits for a page of items
            process.wait()
        gate.release.set()
        kept = len(biotui.by_title())
        assert 0 < kept < 130, gate.seen  # the pages stored before are kept
        out = biotui.ok("sync")
    assert f"{130 - kept} new articles" in out
    assert len(biotui.by_title()) == 130


def test_add_and_remove_say_the_server_must_do_it(biotui: Biotui, server: Coldsweat) -> None:
    biotui.ok("sync")
    status, out, err = biotui("add", "https://trials.example/rss")
    assert (status, out) == (1, "")
    assert err == (
        f"biotui: {server.url} speaks Fever, which cannot subscribe: add"
        " https://trials.example/rss on the server's own pages, then run biotui sync"
        " (or add --local to have biotui fetch it itself)\n"
    )
    status, out, err = biotui("remove", "Biotech Wire")
    assert (status, out) == (1, "")
    assert err == (
        f"biotui: {server.url} speaks Fever, which cannot unsubscribe: unsubscribe from"
        " Biotech Wire on the server's own pages, then run biotui sync\n"
    )
    assert biotui.feeds()["Biotech Wire"]["articles"] == 10
