"""The refresh's parts at work: a worker that dies, quitting, 304s, broken feeds, folders
read file by file, and one writer. A real server on 127.0.0.1, a real store, real workers."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.model import Feed, FileSignature, article_id
from biotui.refresh import FeedOutcome, refresh_all
from biotui.refresh.pool import DIED
from biotui.sources import read_file
from biotui.store import Store
from refresh_helpers import by_feed, config_for, titles


def rss(*items: tuple[str, str], words: int = 3) -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<link>https://news.example/{guid}</link>"
        f"<description>&lt;p&gt;{'word ' * words}&lt;/p&gt;</description></item>"
        for guid, title in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Example</title>{body}</channel></rss>"
    ).encode()


HUGE = rss(*((f"h{n}", f"Huge {n}") for n in range(8000)), words=200)
"""A feed whose parse takes a worker far past the memory of any other feed here."""


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as opened:
        yield opened


def workers() -> list[int]:
    """The pids of this process's children that are parser workers."""
    found = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            for pid in (task / "children").read_text().split():
                if b"multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(int(pid))
    return found


def rss_mb(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


class Watcher:
    """A thread looking at the workers every few milliseconds until stopped."""

    def __init__(self, look: object) -> None:
        self.look = look
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.wait(0.01):
            for pid in workers():
                self.look(pid)  # type: ignore[operator]

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def test_a_worker_that_dies_fails_only_its_own_feed(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    """An "out of memory killer": any worker past 100 MB dies. Only the huge feed's parse gets
    there, every time it is tried; the feeds that were in flight with it are read again."""
    killed: list[int] = []

    def kill_the_greedy(pid: int) -> None:
        if rss_mb(pid) > 100:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    httpserver.expect_request("/huge.xml").respond_with_data(HUGE)
    feeds = [Feed("Huge", url=httpserver.url_for("/huge.xml"))]
    for n in range(6):
        httpserver.expect_request(f"/f{n}.xml").respond_with_data(rss((f"g{n}", f"Story {n}")))
        feeds.append(Feed(f"F{n}", url=httpserver.url_for(f"/f{n}.xml")))
    watcher = Watcher(kill_the_greedy)
    try:
        outcomes = by_feed(refresh_all(config_for(tmp_path, *feeds), store))
    finally:
        watcher.stop()
    assert killed
    assert outcomes["Huge"].error == DIED
    assert [outcomes[f"F{n}"].error for n in range(6)] == [None] * 6
    assert titles(store) == [f"Story {n}" for n in range(6)]
    status = store.feed_status("Huge")
    assert status is not None and status.last_error == DIED


def test_cancel_returns_at_once_and_keeps_what_was_stored(tmp_path: Path, store: Store) -> None:
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(20)
        return Response(rss(("s", "Slow")))

    server = HTTPServer(threaded=True)
    server.start()
    feeds = []
    for n in range(3):
        server.expect_request(f"/fast{n}.xml").respond_with_data(rss((f"f{n}", f"Fast {n}")))
        server.expect_request(f"/slow{n}.xml").respond_with_handler(slow)
        feeds.append(Feed(f"Slow{n}", url=server.url_for(f"/slow{n}.xml")))
        feeds.append(Feed(f"Fast{n}", url=server.url_for(f"/fast{n}.xml")))
    cancel = threading.Event()
    cancelled_at: list[float] = []

    def progress(outcome: FeedOutcome) -> None:
        if outcome.done == 3:
            cancelled_at.append(time.monotonic())
            cancel.set()

    try:
        outcomes = refresh_all(
            config_for(tmp_path, *feeds, timeout=30), store, on_progress=progress, cancel=cancel
        )
        took = time.monotonic() - cancelled_at[0]
    finally:
        release.set()
        server.stop()
    # The slow feeds would hold the refresh for 30 s; returning at once is what is checked
    # here (the half-second figure is measured by hand, not on a loaded test machine).
    assert took < 5
    assert sorted(outcome.feed for outcome in outcomes) == ["Fast0", "Fast1", "Fast2"]
    assert titles(store) == ["Fast 0", "Fast 1", "Fast 2"]
    assert workers() == []
    for n in range(3):
        assert store.feed_status(f"Slow{n}") is None  # cut short: not a failure


def test_a_304_writes_only_the_status(
    httpserver: HTTPServer, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(rss((request.path, "Story")), headers={"ETag": '"v1"'})

    httpserver.expect_request(re.compile("/f.*")).respond_with_handler(handler)
    feeds = [Feed(f"F{n}", url=httpserver.url_for(f"/f{n}.xml")) for n in range(4)]
    config = config_for(tmp_path, *feeds)
    assert [outcome.counts.new for outcome in refresh_all(config, store)] == [1] * 4
    before = {feed.name: store.feed_status(feed.name) for feed in feeds}

    ingests: list[object] = []
    monkeypatch.setattr(store, "ingest_batch", lambda batch: ingests.append(batch) or [])
    second = refresh_all(config, store)
    assert [outcome.not_modified for outcome in second] == [True] * 4
    assert ingests == []
    for feed in feeds:
        status, earlier = store.feed_status(feed.name), before[feed.name]
        assert status is not None and earlier is not None
        assert status.last_checked is not None and earlier.last_checked is not None
        assert status.last_checked > earlier.last_checked and status.etag == '"v1"'


def test_a_broken_feed_keeps_its_articles_and_records_its_error(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    answers = [rss(("a", "Alpha")), b"\x00\x01 not a feed at all \xff" * 20]
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda request: Response(answers.pop(0))
    )
    config = config_for(tmp_path, Feed("News", url=httpserver.url_for("/feed.xml")))
    assert refresh_all(config, store)[0].counts.new == 1
    (outcome,) = refresh_all(config, store)
    assert outcome.error and "\n" not in outcome.error
    assert titles(store) == ["Alpha"]
    status = store.feed_status("News")
    assert status is not None and status.last_error == outcome.error
    assert status.last_success is not None


def test_a_folder_feed_is_read_file_by_file(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    for n in range(5):
        (folder / f"feed{n}.rss").write_bytes(rss((f"a{n}", f"Saved {n}"), (f"b{n}", f"More {n}")))
    (folder / "broken.rss").write_bytes(b"\x00\x01binary\xff" * 10)
    config = config_for(tmp_path, Feed("Saved", path=str(folder)))

    (first,) = refresh_all(config, store)
    assert first.error is None and first.counts.new == 10
    assert any(str(folder / "broken.rss") in warning for warning in first.warnings)
    assert len(titles(store)) == 10
    assert set(store.file_signatures("Saved")) == {str(folder / f"feed{n}.rss") for n in range(5)}

    (folder / "feed3.rss").write_bytes(rss(("a3", "Saved 3, corrected"), ("b3", "More 3")))
    (second,) = refresh_all(config, store)
    assert (second.counts.new, second.counts.updated, second.counts.unchanged) == (0, 1, 1)
    status = store.feed_status("Saved")
    assert status is not None and status.last_error is None and status.last_success is not None


def test_workers_never_open_the_store_and_every_outcome_is_stored(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    opened: set[str] = set()
    seen: set[int] = set()

    def files_of(pid: int) -> None:
        seen.add(pid)
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    opened.add(os.readlink(fd))

    feeds = []
    for n in range(12):
        items = [(f"g{n}-{i}", f"Story {n}.{i}") for i in range(40)]
        httpserver.expect_request(f"/f{n}.xml").respond_with_data(rss(*items, words=300))
        feeds.append(Feed(f"F{n}", url=httpserver.url_for(f"/f{n}.xml")))
    watcher = Watcher(files_of)
    try:
        outcomes = refresh_all(config_for(tmp_path, *feeds), store)
    finally:
        watcher.stop()
    assert seen  # the workers were watched while they worked
    assert not any("biotui.db" in name for name in opened)
    assert [outcome.counts.new for outcome in outcomes] == [40] * 12
    for feed in feeds:
        assert len(titles(store, feed.name)) == 40
        status = store.feed_status(feed.name)
        assert status is not None and status.last_success is not None


_UNDER_THE_APP = """
import contextlib, io, sys
from pathlib import Path
from biotui.config import load_config
from biotui.refresh import refresh_all
from biotui.store import Store


class Captured(io.StringIO):
    def fileno(self) -> int:  # as Textual's capture of print() while the app runs
        return -1


if __name__ == "__main__":
    config = load_config(Path(sys.argv[1]))
    with Store.open(Path(sys.argv[2])) as store, contextlib.redirect_stderr(Captured()):
        outcomes = refresh_all(config, store)
    print(sorted((o.feed, o.counts.new, o.error) for o in outcomes))
"""


def test_workers_start_when_stderr_has_no_file_descriptor(tmp_path: Path) -> None:
    """Inside the app, Textual captures stderr with an object that has no file descriptor;
    the refresh's worker processes still start (a fresh interpreter: nothing started yet)."""
    import subprocess
    import sys

    lines = []
    for n in range(3):
        folder = tmp_path / f"f{n}"
        folder.mkdir()
        (folder / "feed.xml").write_bytes(rss((f"g{n}", f"Story {n}")))
        lines.append(f'[[feeds]]\nname = "F{n}"\npath = "{folder}"\n')
    (tmp_path / "feeds.toml").write_text("\n".join(lines), encoding="utf-8")
    script = tmp_path / "under_the_app.py"
    script.write_text(_UNDER_THE_APP, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "feeds.toml"), str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('F0', 1, None), ('F1', 1, None), ('F2', 1, None)]"


def test_parses_on_their_way_are_stored_together(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve feeds parsed at once are stored in a few transactions, not one each."""
    feeds = []
    for n in range(12):
        path = tmp_path / f"feed{n}.rss"
        path.write_bytes(rss((f"g{n}", f"Story {n}")))
        feeds.append(Feed(f"F{n}", path=str(path)))
    batches: list[int] = []
    real = store.ingest_batch

    def counted(requests: list[object]) -> object:
        batches.append(len(requests))
        return real(requests)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "ingest_batch", counted)
    outcomes = refresh_all(config_for(tmp_path, *feeds), store)
    assert all(outcome.counts.new == 1 for outcome in outcomes)
    assert sum(batches) == 12
    assert len(batches) <= 4, batches


def test_a_folder_reached_from_another_place_keeps_its_articles(
    tmp_path: Path, store: Store
) -> None:
    first = tmp_path / "repo" / "news"
    (first / "2024").mkdir(parents=True)
    (first / "a.txt").write_text("Alpha\n\nThe alpha story.", encoding="utf-8")
    (first / "2024" / "b.md").write_text("# Beta\n\nThe beta story.", encoding="utf-8")
    (first / "saved.rss").write_bytes(rss(("s1", "Saved one")))
    (outcome,) = refresh_all(config_for(tmp_path, Feed("Clips", path=str(first))), store)
    assert outcome.error is None and outcome.counts.new == 3
    ids = set(store.list_ids().ids)
    store.set_read([store.headlines(list(ids))[0].id])

    moved = tmp_path / "installed" / "news"
    shutil.copytree(first, moved)
    (again,) = refresh_all(config_for(tmp_path, Feed("Clips", path=str(moved))), store)
    assert again.error is None and again.counts.new == 0
    assert set(store.list_ids().ids) == ids
    assert titles(store) == ["Alpha", "Beta", "Saved one"]
    assert store.counts()["Clips"] == (3, 2)
    # Where the file is now: its link follows it.
    (alpha,) = [h for h in store.headlines(list(ids)) if h.title == "Alpha"]
    article = store.article(alpha.id)
    assert article is not None and article.link == (moved / "a.txt").resolve().as_uri()


def test_a_refresh_merges_the_articles_an_older_store_held_by_absolute_path(
    tmp_path: Path, store: Store
) -> None:
    old_home = tmp_path / "repo" / "news"
    old_home.mkdir(parents=True)
    (old_home / "a.txt").write_text("Alpha\n\nThe alpha story.", encoding="utf-8")
    (old_home / "b.txt").write_text("Beta\n\nThe beta story.", encoding="utf-8")
    # What an older biotui stored: guids that are absolute paths, one read, one starred.
    legacy = []
    for name in ("a.txt", "b.txt"):
        guid = str((old_home / name).resolve())
        (article,) = read_file(old_home / name, "Clips")
        legacy.append(replace(article, guid=guid, id=article_id("Clips", guid)))
    store.ingest("Clips", legacy)
    store.set_read([legacy[0].id])
    store.set_starred(legacy[1].id, True)

    moved = tmp_path / "installed" / "news"
    shutil.copytree(old_home, moved)
    (outcome,) = refresh_all(config_for(tmp_path, Feed("Clips", path=str(moved))), store)
    assert outcome.error is None
    rows = store.headlines(store.headline_ids())
    assert sorted((h.title, h.read, h.starred) for h in rows) == [
        ("Alpha", True, False),
        ("Beta", False, True),
    ]
    assert {h.id for h in rows} == {article_id("Clips", "a.txt"), article_id("Clips", "b.txt")}
    assert store.counts()["Clips"] == (2, 1)


def test_unchanged_files_an_older_store_knows_are_read_again_once_to_merge(
    tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    path = folder / "a.txt"
    path.write_text("Alpha\n\nThe alpha story.", encoding="utf-8")
    config = config_for(tmp_path, Feed("Clips", path=str(folder)))
    # An older biotui read this very folder: absolute guid, the file's signature stored.
    guid = str(path.resolve())
    (article,) = read_file(path, "Clips")
    info = path.stat()
    store.ingest(
        "Clips",
        [replace(article, guid=guid, id=article_id("Clips", guid))],
        files=[FileSignature(str(path), info.st_size, info.st_mtime_ns)],
    )
    store.set_starred(article_id("Clips", guid), True)

    (outcome,) = refresh_all(config, store)
    assert outcome.error is None
    (headline,) = store.headlines(store.headline_ids())
    assert headline.id == article_id("Clips", "a.txt") and headline.starred
    assert store.legacy_local_guids("Clips") == frozenset()
    (again,) = refresh_all(config, store)  # merged: unchanged files are skipped again
    assert (again.counts.new, again.counts.updated, again.counts.unchanged) == (0, 0, 0)
