"""The sync engine against an in-memory server: what the reader finds in the store after a
sync, what the server holds, and what was downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from biotui.model import Article, Config
from biotui.store import Store
from biotui.sync.articles import synced_article_id
from biotui.sync.engine import sync
from biotui.sync.outcome import SyncProgress
from sync.conftest import SYNC
from sync.fake_backend import SERVER, FakeBackend, days_ago


def article(store: Store, item: str) -> Article:
    found = store.article(synced_article_id(SYNC.account, item))
    assert found is not None, f"item {item} is not stored"
    return found


def stored_titles(store: Store) -> list[str]:
    return sorted(h.title for h in store.headlines(store.headline_ids()))


def test_a_first_sync_stores_the_feeds_items_and_state(
    config: Config, store: Store, server: FakeBackend
) -> None:
    server.add_item("a", "feed/1", title="Merck buys a biotech", read=True)
    server.add_item("b", "feed/2", title="FDA approves a gene therapy", starred=True)
    server.add_item("c", "feed/1", title="Layoffs at a startup")
    progress: list[SyncProgress] = []
    outcome = sync(config, store, server, on_progress=progress.append)
    assert outcome.error is None
    assert (outcome.feeds, outcome.new, outcome.pages) == (2, 3, 2)
    assert stored_titles(store) == [
        "FDA approves a gene therapy",
        "Layoffs at a startup",
        "Merck buys a biotech",
    ]
    assert article(store, "a").feed == "Endpoints News" and article(store, "a").read
    assert article(store, "b").feed == "STAT" and article(store, "b").starred
    assert not article(store, "c").read
    assert store.counts()["Endpoints News"] == (2, 1)
    assert [f.name for f in store.synced.feeds(SYNC.account)] == ["Endpoints News", "STAT"]
    assert store.synced.feeds(SYNC.account)[0].tags == ("biotech",)
    assert [p.line for p in progress if p.stage == "items"][-1] == (
        "Syncing items: 2 pages, 3 items, 3 new"
    )
    assert "3 new articles" in outcome.summary and outcome.server == SERVER


def test_the_first_sync_is_bounded_by_the_history_but_old_starred_items_come_down(
    config: Config, store: Store, server: FakeBackend
) -> None:
    server.add_item("old", "feed/1", title="Old news", published=days_ago(90))
    server.add_item("old-starred", "feed/1", title="Kept", published=days_ago(400), starred=True)
    server.add_item("new", "feed/2", title="Fresh news", published=days_ago(2))
    outcome = sync(config, store, server)
    assert outcome.error is None
    assert stored_titles(store) == ["Fresh news", "Kept"]
    assert article(store, "old-starred").starred
    assert sorted(server.served) == ["new", "old-starred"]


def test_a_second_sync_with_nothing_new_downloads_no_item(
    config: Config, store: Store, server: FakeBackend
) -> None:
    for number in range(5):
        server.add_item(f"i{number}", "feed/1", starred=number == 0)
    assert sync(config, store, server).new == 5
    served = len(server.served)
    server.calls.clear()
    again = sync(config, store, server)
    assert (again.error, again.new, again.pulled, again.pushed) == (None, 0, 0, 0)
    assert len(server.served) == served
    assert server.calls == ["login", "feeds", "items", "read_state"]


def test_items_arriving_later_come_down_at_the_next_sync(
    config: Config, store: Store, server: FakeBackend
) -> None:
    server.add_item("a", "feed/1")
    sync(config, store, server)
    server.add_item("b", "feed/2", title="Later")
    outcome = sync(config, store, server)
    assert outcome.new == 1 and server.served == ["a", "b"]


def test_a_local_mark_wins_over_the_server(
    config: Config, store: Store, server: FakeBackend
) -> None:
    server.add_item("a", "feed/1")
    server.add_item("b", "feed/1", starred=True)
    sync(config, store, server)
    store.set_read([article(store, "a").id])  # read here while unread there
    store.set_starred(article(store, "b").id, False)  # unstarred here, still starred there
    outcome = sync(config, store, server)
    assert outcome.error is None and outcome.pushed == 2
    assert article(store, "a").read and not article(store, "b").starred
    assert "a" not in server.unread and "b" not in server.starred_ids


def test_a_server_mark_reaches_biotui(config: Config, store: Store, server: FakeBackend) -> None:
    server.add_item("a", "feed/1")
    server.add_item("b", "feed/1")
    sync(config, store, server)
    server.unread.discard("a")  # read on the phone
    server.starred_ids.add("b")  # starred on the web
    outcome = sync(config, store, server)
    assert outcome.pulled == 2 and outcome.pushed == 0
    assert article(store, "a").read and article(store, "b").starred
    server.unread.add("a")  # marked unread again elsewhere
    sync(config, store, server)
    assert not article(store, "a").read
    assert server.marks == []  # nothing taken from the server went back to it


def test_an_undo_is_pushed_as_the_state_it_restores(
    config: Config, store: Store, server: FakeBackend
) -> None:
    server.add_item("a", "feed/1")
    sync(config, store, server)
    store.mark([article(store, "a").id], read=True)
    sync(config, store, server)
    assert "a" not in server.unread
    store.undo_last()
    outcome = sync(config, store, server)
    assert outcome.pushed == 1 and "a" in server.unread and not article(store, "a").read


def test_a_failure_at_page_3_then_a_resume_gives_every_item_exactly_once(
    config: Config, store: Store, server: FakeBackend
) -> None:
    for number in range(10):
        server.add_item(f"i{number}", "feed/1", title=f"Story {number}")
    server.fail_at_page = 3
    failed = sync(config, store, server)
    assert failed.error == f"{SERVER}: HTTP 503: service unavailable"
    assert failed.new == 4 and len(stored_titles(store)) == 4  # two pages kept
    resumed = sync(config, store, server)
    assert resumed.error is None and resumed.new == 6
    assert server.served == [f"i{number}" for number in range(10)]
    assert stored_titles(store) == sorted(f"Story {number}" for number in range(10))


def test_the_mark_queue_survives_a_failed_push_and_a_crash(
    config: Config, tmp_path: Path, server: FakeBackend
) -> None:
    server.add_item("a", "feed/1")
    server.add_item("b", "feed/1")
    data = tmp_path / "queue"
    with Store.open(data) as first:
        sync(config, first, server)
        first.set_read([article(first, "a").id])
        server.fail_marks = True
        failed = sync(config, first, server)
        assert failed.error is not None and "HTTP 500" in failed.error
        first.set_starred(article(first, "b").id, True)
    # The process ends here (the store is the queue): a new one pushes both marks.
    server.fail_marks = False
    with Store.open(data) as second:
        outcome = sync(config, second, server)
        assert outcome.error is None and outcome.pushed == 2
        assert article(second, "a").read and article(second, "b").starred
    assert "a" not in server.unread and "b" in server.starred_ids


def test_refused_credentials_give_one_line_and_keep_the_store(
    config: Config, store: Store, server: FakeBackend
) -> None:
    server.add_item("a", "feed/1")
    sync(config, store, server)
    server.refuse_auth = True
    outcome = sync(config, store, server)
    assert outcome.error == f"{SERVER}: HTTP 401: the server refused the credentials"
    assert "\n" not in outcome.summary and stored_titles(store) == ["Item a"]


def test_a_sync_without_a_sync_table_says_so(tmp_path: Path, store: Store) -> None:
    outcome = sync(Config(path=tmp_path / "feeds.toml"), store, FakeBackend())
    assert outcome.error is not None and "[sync]" in outcome.error


def test_cancel_stops_between_pages_and_the_next_sync_goes_on(
    config: Config, store: Store, server: FakeBackend
) -> None:
    import threading

    for number in range(6):
        server.add_item(f"i{number}", "feed/1")
    cancel = threading.Event()

    def stop_after_first_page(progress: SyncProgress) -> None:
        if progress.pages == 1:
            cancel.set()

    outcome = sync(config, store, server, on_progress=stop_after_first_page, cancel=cancel)
    assert outcome.cancelled and outcome.new == 2
    assert sync(config, store, server).new == 4
    assert len(server.served) == 6


def test_a_new_server_or_user_starts_afresh(
    config: Config, store: Store, server: FakeBackend
) -> None:
    from dataclasses import replace

    server.add_item("a", "feed/1")
    sync(config, store, server)
    other = replace(config, sync=replace(SYNC, username="someone-else"))
    assert sync(other, store, server).new == 1
    assert server.served == ["a", "a"]


def test_a_mark_made_while_the_sync_runs_is_kept_and_sent_next_time(
    config: Config, store: Store, server: FakeBackend
) -> None:
    server.add_item("a", "feed/1")
    sync(config, store, server)
    server.starred_ids.add("a")  # starred elsewhere; meanwhile biotui reads it
    server.before_read_state = lambda: store.set_read([article(store, "a").id])
    first = sync(config, store, server)
    assert first.pulled == 0  # the queued article kept its local state until it is sent
    assert article(store, "a").read and not article(store, "a").starred
    server.before_read_state = None
    second = sync(config, store, server)
    assert (second.pushed, second.pulled) == (1, 1)
    assert article(store, "a").read and article(store, "a").starred
    assert "a" not in server.unread and "a" in server.starred_ids


def test_the_servers_feed_texts_are_made_safe_to_show(config: Config, store: Store) -> None:
    server = FakeBackend()
    tags = ["a\x1b]0;t\x07", "a"]
    server.add_feed("feed/x", "Evil\x1b[2J News", "https://e.example/\x07feed", tags)
    sync(config, store, server)
    [feed] = store.synced.feeds(SYNC.account)
    assert (feed.name, feed.title, feed.tags) == ("Evil News", "Evil News", ("a",))
    assert "\x07" not in feed.url


def test_a_continuation_that_never_ends_or_never_moves_is_left_for_the_next_sync(
    config: Config, store: Store, server: FakeBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from biotui.sync import engine
    from biotui.sync.backend import ItemPage

    for number in range(6):
        server.add_item(f"i{number}", "feed/1")
    monkeypatch.setattr(engine, "MAX_PAGES", 2)
    first = sync(config, store, server)
    assert first.error is None and first.new == 4  # two pages, then the read state as usual
    assert "read_state" in server.calls
    monkeypatch.setattr(engine, "MAX_PAGES", 1_000)
    stuck = ItemPage((server.arrived[0],), "same", False)
    monkeypatch.setattr(server, "items", lambda resume, oldest: stuck)
    assert sync(config, store, server).error is None  # three unmoving pages, then it stops
