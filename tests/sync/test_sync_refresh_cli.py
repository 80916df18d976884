"""``biotui refresh`` with ``[sync]``, against our Google Reader server on 127.0.0.1: it syncs
(its summary line among the refresh's lines), refreshes the local feeds beside, says a failed
sync in one line with exit status 1 while the local feeds still refresh, syncs at every
``--due``, and fetches the pages of a synced ``full_text`` feed as it does a fetched one's."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from page_site import FULL_PAGE

from .coldsweat import free_port
from .e2e import Biotui, make_biotui, sync_table
from .greader_server import GReaderServer

NOW = int(time.time())


@pytest.fixture
def server() -> Iterator[GReaderServer]:
    with GReaderServer(username="reader", password="api-password") as running:
        feed = running.add_feed("https://wire.example/feed.xml", "Biotech Wire", ["Biotech"])
        for n in range(3):
            running.add_item(feed, f"Wire story {n}", crawled=NOW - 3600 * (n + 1))
        yield running


def clips(tmp_path: Path) -> str:
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "note.txt").write_text("Lupus note\n\nCAR-T in lupus, a clipping.\n", "utf-8")
    return f'[[feeds]]\nname = "Clips"\npath = "{folder}"\n'


def biotui_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, extra: str = ""
) -> Biotui:
    text = clips(tmp_path) + extra + sync_table("greader", url, "reader")
    return make_biotui(tmp_path, capsys, text, "api-password")


def test_refresh_syncs_and_refreshes_the_local_feeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: GReaderServer
) -> None:
    biotui = biotui_for(tmp_path, capsys, server.url)
    status, out, err = biotui("refresh")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[:2] == [
        f"{server.url}: 1 feeds, 3 new articles, 0 updated, 0 marks sent, 0 marks taken",
        "✓ Clips: 1 new, 0 updated",
    ]
    assert "Syncing items: 1 pages, 3 items, 3 new" in err.splitlines()
    titles = sorted(record["title"] for record in biotui.listed())
    assert titles == ["Lupus note", "Wire story 0", "Wire story 1", "Wire story 2"]
    feeds = biotui.feeds()
    assert feeds["Biotech Wire"]["synced"] and feeds["Biotech Wire"]["articles"] == 3
    assert feeds["Clips"]["articles"] == 1


def test_a_failed_sync_is_one_line_and_status_1_and_the_local_feeds_still_refresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    biotui = biotui_for(tmp_path, capsys, dead)
    status, out, err = biotui("refresh")
    assert status == 1
    assert out.splitlines() == [
        f"{dead}: 0 feeds, 0 new articles, 0 updated, 0 marks sent, 0 marks taken (stopped)",
        "✓ Clips: 1 new, 0 updated",
    ]
    assert err.splitlines()[-1].startswith(f"biotui: {dead}")
    assert "Traceback" not in err
    assert [record["title"] for record in biotui.listed()] == ["Lupus note"]


def test_refresh_due_syncs_every_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: GReaderServer
) -> None:
    biotui = biotui_for(tmp_path, capsys, server.url)
    biotui.ok("refresh", "--due")
    feed = next(iter(server.feeds))
    server.add_item(feed, "Late story", crawled=NOW)
    out = biotui.ok("refresh", "--due")
    assert out.splitlines()[:2] == [
        f"{server.url}: 1 feeds, 1 new articles, 0 updated, 0 marks sent, 0 marks taken",
        "no feed is due",
    ]
    assert "Late story" in {record["title"] for record in biotui.listed()}


def test_a_synced_full_text_feed_gets_its_pages(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    server: GReaderServer,
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/pages/full").respond_with_data(
        FULL_PAGE, content_type="text/html; charset=utf-8"
    )
    page = httpserver.url_for("/pages/full").replace("//localhost:", "//127.0.0.1:")
    feed = next(iter(server.feeds))
    server.add_item(feed, "Trial update", crawled=NOW, html="<p>A teaser.</p>", url=page)
    entry = (
        '[[feeds]]\nname = "Wire"\nurl = "https://wire.example/feed.xml"\n'
        'full_text = true\ntags = ["mine"]\n'
    )
    biotui = biotui_for(tmp_path, capsys, server.url, entry)
    out = biotui.ok("refresh")
    assert out.splitlines()[1:] == ["✓ Clips: 1 new, 0 updated", "pages: 1 fetched, 0 failed"]
    assert [r["title"] for r in biotui.listed("--filter", "nephrologists")] == ["Trial update"]
    assert len(biotui.listed("--filter", "feed:Wire")) == 4
    again = biotui.ok("refresh")
    assert "pages:" not in again  # fetched once, not again
