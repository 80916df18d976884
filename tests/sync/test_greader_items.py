"""The Google Reader backend's items and state: paging through continuations within a sync
and across syncs (nothing twice, nothing missed), the history bound, the read and starred
sets in both id forms, marks in bulk."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from biotui.sync.greader import CHUNK, GReaderBackend
from biotui.sync.greader.ids import READ

from .greader_fixtures import NOW, OLDEST, make_backend, make_server, sync_all
from .greader_server import GReaderServer

__all__ = ["make_backend", "make_server"]

MakeServer = Callable[..., GReaderServer]
MakeBackend = Callable[..., GReaderBackend]

QUIRKS = [
    pytest.param({}, id="freshrss"),
    pytest.param({"user_prefix": "user/1", "high_ids": True}, id="user1-negative-short-ids"),
    pytest.param({"old_reader": True}, id="old-reader-24hex"),
    pytest.param({"miniflux": True, "user_prefix": "user/1"}, id="miniflux"),
]


def fill(server: GReaderServer, count: int, *, start: int = NOW - 3600) -> list[str]:
    feed = next(iter(server.feeds), None) or server.add_feed("https://a.example/feed", "A", ["Bio"])
    return [
        server.add_item(
            feed,
            f"Headline {n}",
            crawled=start + n // 3,
            url=f"https://a.example/{n}",
            html=f"<p>{n}</p>",
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("quirks", QUIRKS)
def test_two_syncs_page_through_everything_once(
    make_server: MakeServer, make_backend: MakeBackend, quirks: dict[str, object]
) -> None:
    server = make_server(**quirks)
    first_ids = fill(server, 230)
    backend = make_backend(server)
    items, resume, pages = sync_all(backend, None)
    assert sorted(item.id for item in items) == sorted(first_ids)
    assert pages >= 3
    sample = next(item for item in items if item.title == "Headline 7")
    assert (sample.url, sample.html, sample.feed_id) == (
        "https://a.example/7",
        "<p>7</p>",
        "feed/1",
    )
    assert sample.published is not None and sample.published.tzinfo is not None
    again, resume, _ = sync_all(backend, resume)
    assert again == []
    later = fill(server, 45, start=NOW)
    items, resume, _ = sync_all(make_backend(server), resume)
    assert sorted(item.id for item in items) == sorted(later)


def test_an_item_crawled_during_a_sync_comes_in_the_next(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server()
    fill(server, 250)
    backend = make_backend(server)
    page = backend.items(None, OLDEST)
    seen = [item.id for item in page.items]
    arrived = server.add_item("feed/1", "Arrived meanwhile", crawled=NOW - 3600 + 83)
    while not page.done:
        page = backend.items(page.resume, OLDEST)
        seen += [item.id for item in page.items]
    items, _, _ = sync_all(backend, page.resume)
    seen += [item.id for item in items]
    assert sorted(seen) == sorted(server.items) and arrived in seen


def test_the_first_sync_keeps_to_the_history(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server()
    feed = server.add_feed("https://a.example/feed", "A")
    old = server.add_item(feed, "Old", crawled=NOW - 60 * 86400)
    backlog = server.add_item(feed, "Backlog", crawled=NOW, published=NOW - 90 * 86400)
    recent = server.add_item(feed, "Recent", crawled=NOW)
    items, _, _ = sync_all(make_backend(server), None)
    assert [item.id for item in items] == [recent]
    assert old in server.items and backlog in server.items


@pytest.mark.parametrize("quirks", QUIRKS)
def test_the_read_state_uses_the_ids_of_the_items(
    make_server: MakeServer, make_backend: MakeBackend, quirks: dict[str, object]
) -> None:
    server = make_server(max_page=40, **quirks)
    ids = fill(server, 130)
    for item_id in ids[:50]:
        server.set_state(item_id, read=True)
    for item_id in ids[40:45]:
        server.set_state(item_id, starred=True)
    backend = make_backend(server)
    state = backend.read_state()
    items, _, _ = sync_all(backend, None)
    by_id = {item.id: item for item in items}
    assert state.unread == {item_id for item_id, item in by_id.items() if not item.read}
    assert state.unread == frozenset(ids[50:])
    assert (
        state.starred == frozenset(ids[40:45]) == {i for i, item in by_id.items() if item.starred}
    )
    unread_pages = [
        q for _, path, q in server.requests if path.endswith("items/ids") and ("xt", READ) in q
    ]
    assert len(unread_pages) >= 2


@pytest.mark.parametrize(
    "quirks", [*QUIRKS, pytest.param({"short_ids_only": True}, id="short-ids-only")]
)
def test_marks_reach_the_server_in_chunks(
    make_server: MakeServer, make_backend: MakeBackend, quirks: dict[str, object]
) -> None:
    server = make_server(**quirks)
    ids = fill(server, CHUNK + 20)
    backend = make_backend(server)
    backend.mark(ids, read=True, starred=None)
    assert server.unread_ids() == set()
    backend.mark(ids[:3], read=False, starred=True)
    assert server.unread_ids() == server.starred_ids() == set(ids[:3])
    edits = [path for _, path, _ in server.requests if path.endswith("edit-tag")]
    refused = 1 if quirks.get("short_ids_only") else 0  # refused once, then remembered
    assert len(edits) == 2 + 2 + refused


def test_items_by_id_fetches_old_starred_items(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server()
    feed = server.add_feed("https://a.example/feed", "A")
    old = server.add_item(feed, "Starred long ago", crawled=NOW - 400 * 86400, starred=True)
    backend = make_backend(server)
    state = backend.read_state()
    assert state.starred == {old}
    [item] = backend.items_by_id(
        [*sorted(state.starred), "tag:google.com,2005:reader/item/00000000000000ff"]
    )
    assert (item.id, item.title, item.starred) == (old, "Starred long ago", True)
