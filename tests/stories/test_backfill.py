"""Stored articles not grouped yet (a store upgraded from before stories): a refresh groups
a bounded slice of them, repeated refreshes finish them, ``biotui group`` groups the rest at
once, and stopping it keeps what was grouped."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from biotui.cli import main
from biotui.cli.exitcodes import EXIT_INTERRUPTED
from biotui.model import Article, Feed, article_id
from biotui.refresh import grouping, refresh_all
from biotui.store import DB_NAME, Store
from refresh_helpers import config_for

from .truth import Item, own_items

RSS = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>N</title><item><guid>n1</guid>"
    b"<title>Weather in Basel</title><pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate>"
    b"<description>Sunny.</description></item></channel></rss>"
)


def _store_ungrouped(store: Store, items: list[Item]) -> None:
    """Store ``items`` the way a store from before stories holds them: not grouped."""
    for item in items:
        when = datetime.fromtimestamp(item.time, UTC)
        article = Article(
            article_id(item.feed, item.name),
            item.feed,
            item.name,
            item.title,
            body=item.body,
            published=when,
        )
        store.ingest(item.feed, [article])


def test_each_refresh_groups_a_bounded_slice_and_repeated_ones_finish(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/n").respond_with_data(RSS)
    config = config_for(tmp_path, Feed("N", url=httpserver.url_for("/n")))
    items = own_items()
    # No time to spare after a chunk: one chunk of 10 a refresh.
    monkeypatch.setattr(grouping, "PENDING_CHUNK", 10)
    monkeypatch.setattr(grouping, "REFRESH_BUDGET_S", 0.0)
    with Store(tmp_path / DB_NAME) as store:
        _store_ungrouped(store, items)
        refresh_all(config, store)  # its own article is grouped as it is stored
        assert store.stories.ungrouped() == len(items) - 10
        refreshes = 1
        while store.stories.ungrouped():
            refresh_all(config, store)
            refreshes += 1
        assert refreshes == -(-len(items) // 10)


def test_a_cancelled_refresh_groups_nothing_more(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/n").respond_with_data(RSS)
    config = config_for(tmp_path, Feed("N", url=httpserver.url_for("/n")))
    cancel = threading.Event()
    cancel.set()
    with Store(tmp_path / DB_NAME) as store:
        _store_ungrouped(store, own_items())
        refresh_all(config, store, cancel=cancel)
        assert store.stories.ungrouped() == len(own_items())


def test_biotui_group_groups_the_rest_and_says_so(
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    items = own_items()
    with Store.open(data) as store:
        _store_ungrouped(store, items)
    config = make_config('[[feeds]]\nname = "N"\nurl = "https://n.example/feed"\n')
    argv = ["--config", str(config), "--data-dir", str(data), "group"]
    assert main(argv) == 0
    assert capsys.readouterr().out == (
        f"{len(items)} articles grouped into stories; every article is in one\n"
    )
    with Store.open(data) as store:
        assert store.stories.ungrouped() == 0
        stories = store.stories.story_of(store.headline_ids())
    assert len(set(stories.values())) < len(items)  # stories of several outlets
    assert main(argv) == 0
    assert capsys.readouterr().out == "0 articles grouped into stories; every article is in one\n"


def test_stopping_biotui_group_keeps_what_it_grouped(
    make_config: Callable[[str], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    items = own_items()
    with Store.open(data) as store:
        _store_ungrouped(store, items)
    real = grouping.PendingGrouping

    class ThenCtrlC(real):
        """Groups one chunk of 10 articles, then Ctrl-C at the next slice."""

        calls = 0

        def __init__(self, store: Store, **options: int) -> None:
            super().__init__(store, chunk=10)

        def run(self, **options: object) -> grouping.PendingRun:
            ThenCtrlC.calls += 1
            if ThenCtrlC.calls > 1:
                raise KeyboardInterrupt
            return super().run(budget_s=0.0)

    monkeypatch.setattr(grouping, "PendingGrouping", ThenCtrlC)
    config = make_config('[[feeds]]\nname = "N"\nurl = "https://n.example/feed"\n')
    argv = ["--config", str(config), "--data-dir", str(data), "group"]
    assert main(argv) == EXIT_INTERRUPTED
    assert f"stopped: 10 of {len(items)} articles grouped" in capsys.readouterr().err
    with Store.open(data) as store:
        assert store.stories.ungrouped() == len(items) - 10
    monkeypatch.setattr(grouping, "PendingGrouping", real)
    assert main(argv) == 0  # goes on from there
    assert capsys.readouterr().out.startswith(f"{len(items) - 10} articles grouped")
