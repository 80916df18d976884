"""A local article stored under its file's absolute path merges into its relative-path id."""

from __future__ import annotations

from store_helpers import make_article

from biotui.model import Article, FileSignature
from biotui.store import Store

FEED = "Clips"


def local(guid: str, path: str, feed: str = FEED, title: str = "Alpha") -> Article:
    """A clipping article of ``feed`` with ``guid``, read from the file at ``path``."""
    return make_article(feed, guid, title=title, link=f"file://{path}")


def signature(path: str) -> FileSignature:
    return FileSignature(path, 10, 1)


def stored(store: Store) -> list[tuple[str, str, bool, bool]]:
    """(feed, title, read, starred) of every stored article."""
    rows = store.headlines(store.headline_ids())
    return sorted((h.feed, h.title, h.read, h.starred) for h in rows)


def test_old_absolute_guids_merge_into_the_new_id_uniting_marks(store: Store) -> None:
    # Stored by an older biotui, once per path the folder was reached by.
    repo = local("/home/me/biotui/news/2024/a.txt", "/home/me/biotui/news/2024/a.txt")
    installed = local("/usr/lib/biotui/news/2024/a.txt", "/usr/lib/biotui/news/2024/a.txt")
    other = local("/home/me/biotui/news/b.txt", "/home/me/biotui/news/b.txt", title="Beta")
    store.ingest(FEED, [repo, installed, other])
    store.set_read([repo.id])
    store.set_starred(installed.id, True)

    fresh = local("2024/a.txt", "/opt/news/2024/a.txt")
    counts = store.ingest(FEED, [fresh], files=[signature("/opt/news/2024/a.txt")])
    assert counts.new == 1
    assert stored(store) == [(FEED, "Alpha", True, True), (FEED, "Beta", False, False)]
    merged = store.article(fresh.id)
    assert merged is not None and merged.link == "file:///opt/news/2024/a.txt"
    assert store.article(repo.id) is None and store.article(installed.id) is None
    assert store.counts()[FEED] == (2, 1)
    assert store.starred_count() == (1, 0)


def test_only_local_articles_of_the_same_feed_and_path_merge(store: Store) -> None:
    elsewhere = local("/x/news/a.txt", "/x/news/a.txt", feed="Other")
    web = make_article(FEED, "/x/news/a.txt", title="Web", link="https://w.example/a.txt")
    longer = local("/x/news/aa.txt", "/x/news/aa.txt", title="Longer")
    store.ingest("Other", [elsewhere])
    store.ingest(FEED, [web, longer])
    store.set_read([elsewhere.id, web.id, longer.id])

    store.ingest(FEED, [local("a.txt", "/y/a.txt")], files=[signature("/y/a.txt")])
    assert stored(store) == [
        (FEED, "Alpha", False, False),
        (FEED, "Longer", True, False),
        (FEED, "Web", True, False),
        ("Other", "Alpha", True, False),
    ]


def test_a_feed_ingest_without_files_merges_nothing(store: Store) -> None:
    old = local("/x/news/a.txt", "/x/news/a.txt")
    store.ingest(FEED, [old])
    store.ingest(FEED, [local("a.txt", "/y/a.txt")])
    assert len(stored(store)) == 2
