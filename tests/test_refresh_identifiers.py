"""Identifiers through a refresh: the parsing workers find them, the writer stores them, and
an article changed at the source gets its new ones. A real server on 127.0.0.1, real
workers, a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from biotui import identifiers
from biotui.identifiers import Identifier
from biotui.model import Feed, article_id
from biotui.refresh import refresh_all, worker
from biotui.refresh.tasks import FeedTask, Parsed
from biotui.store import Store
from refresh_helpers import config_for


def rss(*items: tuple[str, str, str]) -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title>"
        f"<link>https://news.example/{guid}</link>"
        f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        for guid, title, text in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Example</title>{body}</channel></rss>"
    ).encode()


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as opened:
        yield opened


def named(store: Store, feed: str, guid: str) -> list[tuple[str, str]]:
    return [(i.kind, i.id) for i in store.identifiers.of(article_id(feed, guid))]


def test_a_worker_sends_the_identifiers_of_what_it_read(tmp_path: Path) -> None:
    spool = tmp_path / "body.xml"
    spool.write_bytes(rss(("a", "KYV-101 dosed", "In NCT06123456."), ("b", "Nothing", "None.")))
    result = worker.run(FeedTask("Wire", "https://w.example/", None, str(spool), frozenset()))
    assert isinstance(result, Parsed)
    assert result.identifiers == {
        article_id("Wire", "a"): identifiers.find_identifiers("KYV-101 dosed", "In NCT06123456.")
    }
    assert len(result.groupings) == 2


def test_a_task_past_a_refresh_s_first_articles_only_reads(tmp_path: Path) -> None:
    from biotui.refresh.enrichment import Enrichment

    spool = tmp_path / "body.xml"
    spool.write_bytes(rss(("a", "KYV-101 dosed", "In NCT06123456."), ("b", "Nothing", "None.")))
    task = FeedTask("Wire", "https://w.example/", None, str(spool), frozenset())
    enrichment = Enrichment(inline=2)
    first = worker.run(enrichment.task(task))
    assert isinstance(first, Parsed) and first.identifiers is not None
    enrichment.read(first)
    later = enrichment.task(task)
    assert isinstance(later, FeedTask) and not later.enrich
    result = worker.run(later)
    assert isinstance(result, Parsed) and len(result.articles) == 2
    assert result.identifiers is None and result.groupings == ()
    enrichment.read(result)  # read without enriching: not counted
    assert (
        enrichment.task(FeedTask("Other", "https://o.example/", None, None, frozenset())).enrich
        is False
    )


def test_a_refresh_stores_identifiers_found_by_the_workers_alone(
    httpserver: HTTPServer, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refreshing process never runs the recogniser: its copy is made to fail."""

    def never(title: str, body: str) -> tuple[Identifier, ...]:
        raise AssertionError("the recogniser ran in the refreshing process")

    monkeypatch.setattr(identifiers, "find_identifiers", never)
    feeds = []
    for n in range(3):
        items = [(f"g{i}", f"Story {i}", f"Trial NCT0612345{i} of KYV-10{n}.") for i in range(3)]
        httpserver.expect_request(f"/f{n}.xml").respond_with_data(rss(*items))
        feeds.append(Feed(f"F{n}", url=httpserver.url_for(f"/f{n}.xml")))
    outcomes = refresh_all(config_for(tmp_path, *feeds), store)
    assert [(outcome.error, outcome.counts.new) for outcome in outcomes] == [(None, 3)] * 3
    assert named(store, "F2", "g1") == [("trial", "NCT06123451"), ("drug", "KYV-102")]
    assert named(store, "F0", "g0") == [("trial", "NCT06123450"), ("drug", "KYV-100")]


def test_an_entry_changed_at_the_source_gets_its_new_identifiers(
    httpserver: HTTPServer, tmp_path: Path, store: Store
) -> None:
    config = config_for(tmp_path, Feed("Wire", url=httpserver.url_for("/feed.xml")))
    first = rss(("a", "CD19 CAR-T", "Trial NCT06123456."))
    httpserver.expect_oneshot_request("/feed.xml").respond_with_data(first)
    refresh_all(config, store)
    assert named(store, "Wire", "a") == [("trial", "NCT06123456"), ("target", "CD19")]
    updated = rss(("a", "BCMA CAR-T", "Now the EU CT 2023-501234-12-00."))
    httpserver.expect_oneshot_request("/feed.xml").respond_with_data(updated)
    (outcome,) = refresh_all(config, store)
    assert outcome.counts.updated == 1
    assert named(store, "Wire", "a") == [("euct", "2023-501234-12-00"), ("target", "BCMA")]
