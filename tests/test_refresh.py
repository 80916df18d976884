"""Refreshing feeds from a loopback server and clippings from disk into a real store."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.model import Feed
from biotui.refresh import FeedOutcome, refresh_all
from biotui.store import Store
from refresh_helpers import by_feed, config_for, titles


def rss(*items: tuple[str, str]) -> bytes:
    """An RSS 2.0 document with one item per (guid, title)."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<link>https://news.example/{guid}</link>"
        f"<pubDate>Mon, 03 Feb 2025 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;About {title}.&lt;/p&gt;</description></item>"
        for guid, title in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Example News</title><link>https://news.example/</link>{body}</channel></rss>"
    ).encode()


CLIPPING = """March 2025 — Test Desk
Boston, USA — A biotech company dosed its first patient with an experimental lupus therapy.
The trial will enrol a dozen adults.
Photo: Jane Doe/Example Agency
Source: First lupus patient dosed — Example Wire
"""


@pytest.fixture
def store(data_dir: Path) -> Store:
    opened = Store.open(data_dir)
    yield opened  # type: ignore[misc]
    opened.close()


def test_first_fetch_then_304(httpserver: HTTPServer, tmp_path: Path, store: Store) -> None:
    seen_headers: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        seen_headers.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(rss(("a", "Alpha"), ("b", "Beta")), headers={"ETag": '"v1"'})

    httpserver.expect_request("/feed.xml").respond_with_handler(handler)
    config = config_for(tmp_path, Feed("News", url=httpserver.url_for("/feed.xml")))

    first = refresh_all(config, store)
    assert first[0].error is None
    assert (first[0].counts.new, first[0].counts.updated) == (2, 0)
    assert titles(store) == ["Alpha", "Beta"]

    second = refresh_all(config, store)
    assert second[0].not_modified
    assert second[0].counts.new == 0
    assert seen_headers[1].get("If-None-Match") == '"v1"'
    status = store.feed_status("News")
    assert status is not None and status.last_error is None and status.etag == '"v1"'


def test_a_refresh_answered_304_starts_no_worker_and_writes_no_file(
    httpserver: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(rss(("a", "Alpha")), headers={"ETag": '"v1"'})

    feeds = []
    for n in range(4):  # enough feeds for worker processes
        httpserver.expect_request(f"/f{n}.xml").respond_with_handler(handler)
        feeds.append(Feed(f"F{n}", url=httpserver.url_for(f"/f{n}.xml")))
    config = config_for(tmp_path, *feeds)
    assert all(outcome.counts.new == 1 for outcome in refresh_all(config, store))

    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(spool))
    started: list[object] = []
    monkeypatch.setattr(
        "biotui.refresh.pool.WorkerProcess", lambda *a, **kw: started.append(a) or 1 / 0
    )
    second = refresh_all(config, store)
    assert all(outcome.not_modified and outcome.error is None for outcome in second)
    assert started == []
    assert list(spool.iterdir()) == []


def test_downloads_go_on_while_feeds_wait_for_storing_never_more_than_concurrency(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Concurrency 4, 8 feeds: the downloads do not wait for the storing; at most 4
    downloads run at once."""
    lock = threading.Lock()
    running = [0, 0]  # now, most at once
    answered = threading.Semaphore(0)

    def handler(request: Request) -> Response:
        with lock:
            running[0] += 1
            running[1] = max(running)
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        answered.release()
        return Response(rss((request.path, f"Story {request.path}")))

    ingest_batch = store.ingest_batch
    all_downloaded = threading.Event()

    def stored_once_all_are_downloaded(batch: object) -> object:
        assert all_downloaded.wait(5), "the downloads waited for the storing"
        return ingest_batch(batch)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "ingest_batch", stored_once_all_are_downloaded)
    with HTTPServer(threaded=True) as server:
        server.expect_request(re.compile("/feed-.*")).respond_with_handler(handler)
        feeds = [Feed(f"F{n}", url=server.url_for(f"/feed-{n}.xml")) for n in range(8)]

        def count_answers() -> None:
            for _ in feeds:
                answered.acquire()
            all_downloaded.set()

        waiter = threading.Thread(target=count_answers)
        waiter.start()
        outcomes = refresh_all(config_for(tmp_path, *feeds), store)
        waiter.join(5)
    assert [outcome.error for outcome in outcomes] == [None] * 8
    assert len(titles(store)) == 8
    assert running[1] == 4


def test_changed_article_is_updated_in_place_keeping_state(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    versions = [rss(("a", "Alpha")), rss(("a", "Alpha, corrected"), ("c", "Gamma"))]

    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: Response(versions.pop(0))
    )
    config = config_for(tmp_path, Feed("News", url=httpserver.url_for("/feed.xml")))
    refresh_all(config, store)
    [rowid] = store.headline_ids()
    original = store.article(rowid)
    assert original is not None
    store.set_read([original.id])
    store.set_starred(original.id, True)

    outcome = refresh_all(config, store)[0]
    assert (outcome.counts.new, outcome.counts.updated) == (1, 1)
    updated = store.article(original.id)
    assert updated is not None
    assert updated.title == "Alpha, corrected"
    assert updated.read and updated.starred


def test_a_server_ignoring_conditional_requests_costs_no_conversion_twice(
    httpserver: HTTPServer, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every refresh gets the whole feed again; only new or changed entries are read."""
    import biotui.sources.entries as entries_module

    converted: list[str] = []
    real = entries_module.html_to_markdown

    def counting(html: str, base_url: str = "") -> str:
        converted.append(html)
        return real(html, base_url)

    monkeypatch.setattr(entries_module, "html_to_markdown", counting)
    versions = [
        rss(("a", "Alpha"), ("b", "Beta")),
        rss(("a", "Alpha"), ("b", "Beta")),
        rss(("a", "Alpha"), ("b", "Beta, corrected"), ("c", "Gamma")),
    ]
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: Response(versions.pop(0))  # no ETag, no Last-Modified: always 200
    )
    config = config_for(tmp_path, Feed("News", url=httpserver.url_for("/feed.xml")))

    assert refresh_all(config, store)[0].counts.new == 2
    assert len(converted) == 2
    again = refresh_all(config, store)[0]
    assert (again.counts.new, again.counts.updated, again.counts.unchanged) == (0, 0, 2)
    assert len(converted) == 2
    changed = refresh_all(config, store)[0]
    assert (changed.counts.new, changed.counts.updated, changed.counts.unchanged) == (1, 1, 1)
    assert len(converted) == 4
    assert titles(store) == ["Alpha", "Beta, corrected", "Gamma"]


def test_failures_are_per_feed_and_keep_stored_articles(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    answers = [Response(rss(("a", "Alpha"))), Response("gone", status=404)]
    httpserver.expect_request("/flaky.xml").respond_with_handler(lambda request: answers.pop(0))
    httpserver.expect_request("/good.xml").respond_with_data(rss(("g", "Good news")))
    httpserver.expect_request("/missing.xml").respond_with_data("nope", status=404)
    config = config_for(
        tmp_path,
        Feed("Flaky", url=httpserver.url_for("/flaky.xml")),
        Feed("Good", url=httpserver.url_for("/good.xml")),
        Feed("Missing", url=httpserver.url_for("/missing.xml")),
    )
    first = by_feed(refresh_all(config, store))
    assert first["Missing"].error is not None and "404" in first["Missing"].error
    assert first["Good"].counts.new == 1

    second = by_feed(refresh_all(config, store))
    assert second["Flaky"].error is not None and "404" in second["Flaky"].error
    assert titles(store, "Flaky") == ["Alpha"]
    status = store.feed_status("Flaky")
    assert status is not None and status.last_error is not None
    assert status.last_success is not None


def test_timeout_is_reported_per_feed(httpserver: HTTPServer, tmp_path: Path, store: Store) -> None:
    def slow(request: Request) -> Response:
        time.sleep(1.2)
        return Response(rss(("s", "Slow")))

    httpserver.expect_request("/slow.xml").respond_with_handler(slow)
    config = config_for(tmp_path, Feed("Slow", url=httpserver.url_for("/slow.xml")), timeout=0.5)
    outcome = refresh_all(config, store)[0]
    assert outcome.error == "timed out after 0.5 s"
    status = store.feed_status("Slow")
    assert status is not None and status.last_error == "timed out after 0.5 s"


def test_redirect_is_followed(httpserver: HTTPServer, tmp_path: Path, store: Store) -> None:
    httpserver.expect_request("/moved.xml").respond_with_data(
        "", status=301, headers={"Location": "/feed.xml"}
    )
    httpserver.expect_request("/feed.xml").respond_with_data(rss(("r", "Redirected")))
    config = config_for(tmp_path, Feed("Moved", url=httpserver.url_for("/moved.xml")))
    assert refresh_all(config, store)[0].counts.new == 1
    assert titles(store) == ["Redirected"]


def test_html_page_instead_of_feed_is_a_clear_error(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    httpserver.expect_request("/page").respond_with_data(
        "<html><head><title>Home</title></head><body><p>Hello</p></body></html>",
        content_type="text/html",
    )
    config = config_for(tmp_path, Feed("Page", url=httpserver.url_for("/page")))
    outcome = refresh_all(config, store)[0]
    assert outcome.error
    assert store.headline_ids().tolist() == []


def test_local_clippings_are_read_once(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    clipping = folder / "lupus.txt"
    clipping.write_text(CLIPPING, encoding="utf-8")
    (folder / "broken.html").write_bytes(b"\x00\x01binary\xff" * 10)
    config = config_for(tmp_path, Feed("Clippings", path=str(folder)))

    progress: list[FeedOutcome] = []
    first = refresh_all(config, store, on_progress=progress.append)[0]
    assert first.counts.new == 1
    assert progress[-1].done == progress[-1].total == 1
    assert titles(store) == ["First lupus patient dosed"]

    second = refresh_all(config, store)[0]
    assert (second.counts.new, second.counts.updated) == (0, 0)

    clipping.write_text(CLIPPING.replace("a dozen", "twelve"), encoding="utf-8")
    third = refresh_all(config, store)[0]
    assert third.counts.updated == 1


def test_saved_feed_file_warnings_name_the_file(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    document = rss(("e", "Entity &amp; test")).replace(
        b"<rss", b'<!DOCTYPE rss [<!ENTITY boom "BOOM">]><rss', 1
    )
    (folder / "saved.rss").write_bytes(document)
    config = config_for(tmp_path, Feed("Saved", path=str(folder)))
    outcome = refresh_all(config, store)[0]
    assert outcome.counts.new == 1
    assert any(
        warning.startswith(str(folder / "saved.rss")) and "entity" in warning
        for warning in outcome.warnings
    )


def test_429_retry_after_is_honoured_on_the_next_refresh(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    httpserver.expect_request("/busy.xml").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "3600"}
    )
    config = config_for(tmp_path, Feed("Busy", url=httpserver.url_for("/busy.xml")))
    first = refresh_all(config, store)[0]
    assert first.error is not None and first.error.startswith("HTTP 429")
    requests_before = len(httpserver.log)

    second = refresh_all(config, store)[0]
    assert second.skipped
    assert second.error is not None and "wait until" in second.error
    assert len(httpserver.log) == requests_before


def test_a_server_that_trickles_bytes_is_cut_off_by_the_timeout(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    def trickle(request: Request) -> Response:
        def drip() -> Iterator[bytes]:
            yield b"<?xml version='1.0'?><rss version='2.0'><channel>"
            for _ in range(40):
                time.sleep(0.05)
                yield b" "

        return Response(drip(), content_type="application/rss+xml")

    httpserver.expect_request("/drip.xml").respond_with_handler(trickle)
    config = config_for(tmp_path, Feed("Drip", url=httpserver.url_for("/drip.xml")), timeout=0.5)
    started = time.monotonic()
    outcome = refresh_all(config, store)[0]
    assert outcome.error == "timed out after 0.5 s"
    assert time.monotonic() - started < 1.9


def test_downloads_wait_on_disk_and_are_gone_after_the_refresh(
    httpserver: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(spool))
    feeds = []
    for n in range(4):  # enough feeds for worker processes
        httpserver.expect_request(f"/f{n}.xml").respond_with_data(rss((f"g{n}", f"Story {n}")))
        feeds.append(Feed(f"F{n}", url=httpserver.url_for(f"/f{n}.xml")))
    httpserver.expect_request("/gone.xml").respond_with_data("nope", status=410)
    feeds.append(Feed("Gone", url=httpserver.url_for("/gone.xml")))
    outcomes = by_feed(refresh_all(config_for(tmp_path, *feeds), store))
    assert [outcomes[f"F{n}"].counts.new for n in range(4)] == [1, 1, 1, 1]
    assert (outcomes["Gone"].error or "").startswith("HTTP 410")
    assert titles(store) == [f"Story {n}" for n in range(4)]
    assert list(spool.iterdir()) == []


def parser_processes() -> list[int]:
    """The pids of this process's children that are refresh workers."""
    found = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):  # a thread, or a child, may be gone meanwhile
            for pid in (task / "children").read_text().split():
                if b"multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(int(pid))
    return found


def test_a_cancelled_refresh_stops_at_once_and_keeps_what_was_stored(
    httpserver: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app quitting mid-refresh: unfinished feeds stay as they were, nothing is marked
    failed, and no worker or download is left behind."""
    release = threading.Event()
    slow = {"on": False}

    def handler(request: Request) -> Response:
        if slow["on"]:
            release.wait(20)  # a server that takes its time
        return Response(rss(("a", f"Alpha of {request.path}")))

    feeds = []
    for n in range(4):  # enough feeds for worker processes
        httpserver.expect_request(f"/f{n}.xml").respond_with_handler(handler)
        feeds.append(Feed(f"F{n}", url=httpserver.url_for(f"/f{n}.xml")))
    config = config_for(tmp_path, *feeds, timeout=30)
    assert all(outcome.error is None for outcome in refresh_all(config, store))
    before = titles(store)

    slow["on"] = True
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(spool))
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    try:
        outcomes = refresh_all(config, store, cancel=cancel)
        took = time.monotonic() - started
    finally:
        release.set()
    assert outcomes == []
    assert took < 5  # the server would have kept it 20 s
    assert parser_processes() == []
    assert list(spool.iterdir()) == []
    assert titles(store) == before
    for feed in feeds:
        status = store.feed_status(feed.name)
        assert status is not None and status.last_error is None


def test_a_download_that_cannot_be_kept_is_the_feed_s_error(
    httpserver: HTTPServer, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(rss(("a", "Alpha")))
    config = config_for(tmp_path, Feed("News", url=httpserver.url_for("/feed.xml")))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the temporary folder should be")
    monkeypatch.setattr("tempfile.tempdir", str(blocker))
    (outcome,) = refresh_all(config, store)
    assert (outcome.error or "").startswith("cannot keep the downloaded feed: ")
    assert "\n" not in (outcome.error or "")
    status = store.feed_status("News")
    assert status is not None and status.last_error == outcome.error
