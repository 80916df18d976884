"""The Fever backend against a real Fever server: Coldsweat 0.10.2 on 127.0.0.1 (one server
for the module), fetching feeds served from 127.0.0.1."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from biotui.sync.backend import Backend, RemoteItem, SyncAuthError, Unsupported
from biotui.sync.fever import FeverBackend

from .coldsweat import EMAIL, PASSWORD, Coldsweat, Entry, FeedSite, atom

NOW = datetime.now(UTC).replace(microsecond=0)
HISTORY = NOW - timedelta(days=30)
BIG = [Entry(f"big{n}", f"Trial readout {n}", NOW - timedelta(hours=n + 1)) for n in range(120)]
WIRE = [Entry(f"wire{n}", f"Wire {n}", NOW - timedelta(hours=n + 2)) for n in range(10)]
OLD = [Entry(f"old{n}", f"Archive {n}", NOW - timedelta(days=90 + n)) for n in range(5)]


@dataclass(frozen=True)
class Synced:
    """A first sync: what it gave, page by page, and where the next one goes on."""

    pages: list[list[RemoteItem]]
    resume: str
    old_starred: str


def drain(backend: Backend, resume: str | None) -> tuple[list[list[RemoteItem]], str]:
    """Every page until the server has nothing more now."""
    pages = []
    for _ in range(100):
        page = backend.items(resume, HISTORY)
        pages.append(list(page.items))
        resume = page.resume
        if page.done:
            return pages, resume
    raise AssertionError("the paging never ended")


def every(pages: list[list[RemoteItem]]) -> list[RemoteItem]:
    return [item for page in pages for item in page]


@pytest.fixture(scope="module")
def server(coldsweat_server: Coldsweat, coldsweat_site: FeedSite) -> Coldsweat:
    """Coldsweat subscribed to a feed of 120 items (group Science) and one of 10 recent and
    5 old items (group Biotech)."""
    big = coldsweat_site.put("/big.xml", atom("Science Daily", coldsweat_site.base, BIG))
    wire = coldsweat_site.put("/wire.xml", atom("Biotech Wire", coldsweat_site.base, WIRE + OLD))
    coldsweat_server.subscribe(
        {"Science Daily": (big, "Science"), "Biotech Wire": (wire, "Biotech")}
    )
    return coldsweat_server


@pytest.fixture(scope="module")
def backend(server: Coldsweat) -> Iterator[FeverBackend]:
    fever = FeverBackend(server.url, EMAIL, lambda: PASSWORD, timeout=10)
    yield fever
    fever.close()


@pytest.fixture(scope="module")
def first_sync(server: Coldsweat, backend: FeverBackend) -> Synced:
    """The first sync, with one old item starred on the server beforehand."""
    old = [item for item in server.items() if item["title"].startswith("Archive")]
    server.mark(str(old[0]["id"]), "saved")
    pages, resume = drain(backend, None)
    return Synced(pages, resume, str(old[0]["id"]))


def test_the_key_is_checked_and_a_wrong_one_is_refused_in_one_line(
    server: Coldsweat, backend: FeverBackend
) -> None:
    backend.login()
    wrong = FeverBackend(server.url, EMAIL, lambda: "not the password at all")
    with pytest.raises(SyncAuthError) as refused:
        wrong.feeds()
    message = str(refused.value)
    assert message.startswith(f"{wrong.server}: ") and "refused" in message
    key = hashlib.md5(f"{EMAIL}:not the password at all".encode()).hexdigest()
    assert key not in message and "not the password" not in message and "\n" not in message
    wrong.close()


def test_feeds_come_with_their_groups_as_tags(backend: FeverBackend, first_sync: Synced) -> None:
    feeds = {feed.title: feed for feed in backend.feeds()}
    assert set(feeds) == {"Science Daily", "Biotech Wire"}
    assert feeds["Science Daily"].tags == ("Science",)
    assert feeds["Biotech Wire"].tags == ("Biotech",)
    assert feeds["Science Daily"].url.endswith("/big.xml")
    by_feed = {item.feed_id for item in every(first_sync.pages)}
    assert by_feed == {feeds["Science Daily"].id, feeds["Biotech Wire"].id}


def test_a_first_sync_pages_50_at_a_time_within_the_history(first_sync: Synced) -> None:
    items = every(first_sync.pages)
    assert all(len(page) <= 50 for page in first_sync.pages)
    assert len([page for page in first_sync.pages if page]) >= 3
    titles = [item.title for item in items]
    assert len(titles) == len(set(titles)), "an item came twice"
    assert {e.title for e in BIG + WIRE} <= set(titles)
    # the old items stay on the server, except the one starred there
    assert [item.id for item in items if item.title.startswith("Archive")] == [
        first_sync.old_starred
    ]
    readout = next(item for item in items if item.title == "Trial readout 7")
    assert readout.published == BIG[7].published and readout.published.tzinfo is not None
    assert readout.url.endswith("/a/big7") and readout.author == "Ann Author"
    assert "Body" in readout.html and not readout.read and not readout.starred


def test_the_next_sync_takes_only_new_items_even_when_they_interleave(
    server: Coldsweat, coldsweat_site: FeedSite, backend: FeverBackend, first_sync: Synced
) -> None:
    pages, resume = drain(backend, first_sync.resume)
    assert every(pages) == []
    big, wire = list(BIG), list(WIRE + OLD)
    for round_ in range(2):  # two fetches: each feed's new ids interleave with the other's
        big += [Entry(f"nb{round_}-{n}", f"New {round_} {n}", NOW) for n in range(30)]
        wire += [Entry(f"nw{round_}-{n}", f"Wire new {round_} {n}", NOW) for n in range(30)]
        coldsweat_site.put("/big.xml", atom("Science Daily", coldsweat_site.base, big))
        coldsweat_site.put("/wire.xml", atom("Biotech Wire", coldsweat_site.base, wire))
        server.fetch()
    pages, _ = drain(backend, resume)
    titles = [item.title for item in every(pages)]
    assert len(titles) == 120 == len(set(titles))
    assert all(title.startswith(("New", "Wire new")) for title in titles)


def test_items_by_id_gives_the_items_asked_for(backend: FeverBackend, first_sync: Synced) -> None:
    items = every(first_sync.pages)
    asked = [item.id for item in items[:60]] + ["987654"]
    found = {item.id: item for item in backend.items_by_id(asked)}
    assert set(found) == set(asked[:60])
    assert found[items[3].id].title == items[3].title


def test_marks_reach_the_server_one_request_per_change(
    server: Coldsweat, backend: FeverBackend, first_sync: Synced
) -> None:
    ids = [item.id for item in every(first_sync.pages)[:4]]
    backend.mark(ids[:2], read=True, starred=True)
    assert not set(ids[:2]) & server.ids("unread") and set(ids[:2]) <= server.ids("saved")
    state = backend.read_state()
    assert set(ids[2:]) <= state.unread and not set(ids[:2]) & state.unread
    assert set(ids[:2]) <= state.starred and not set(ids[2:]) & state.starred

    before = server.requests()
    backend.mark(ids[:3], read=True, starred=None)  # two already read: one mark sent
    assert server.requests() - before == 2  # the unread list, then the one mark

    backend.mark(ids, read=False, starred=False)
    assert set(ids) <= server.ids("unread") and not set(ids) & server.ids("saved")


def test_marks_made_on_the_server_reach_the_read_state(
    server: Coldsweat, backend: FeverBackend, first_sync: Synced
) -> None:
    item = every(first_sync.pages)[10].id
    server.mark(item, "read")
    server.mark(item, "saved")
    state = backend.read_state()
    assert item not in state.unread and item in state.starred
    server.mark(item, "unread")
    server.mark(item, "unsaved")
    state = backend.read_state()
    assert item in state.unread and item not in state.starred


def test_fever_cannot_subscribe(backend: FeverBackend) -> None:
    assert backend.can_subscribe is False
    with pytest.raises(Unsupported, match="Fever cannot subscribe: add the feed on the server"):
        backend.subscribe("http://127.0.0.1:1/feed.xml", "A feed", ())
    with pytest.raises(Unsupported):
        backend.unsubscribe("1")
