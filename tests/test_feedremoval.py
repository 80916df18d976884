"""The shared removal of a feed (``biotui remove`` and the app's side panel): the
configuration without it, its unstarred articles gone, starred ones kept."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from biotui.config import load_config
from biotui.feedremoval import FeedRemovalError, UnknownFeedError, remove_feed
from biotui.model import Article, Config, article_id
from biotui.store import Store

CONFIG = """# my feeds
[settings]
refresh_on_start = false

# the first one
[[feeds]]
name = "Gene Letters"
url = "https://example.org/genes.rss"

# the second one
[[feeds]]
name = "Cell Notes"
url = "https://example.org/cells.rss" # kept
"""


def article(feed: str, guid: str) -> Article:
    return Article(
        id=article_id(feed, guid),
        feed=feed,
        guid=guid,
        title=f"{feed} {guid}",
        published=datetime(2026, 2, 1, 12, tzinfo=UTC),
    )


@pytest.fixture
def config(tmp_path: Path) -> Config:
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_config(path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "data" / "biotui.db") as opened:
        opened.ingest("Gene Letters", [article("Gene Letters", str(n)) for n in range(3)])
        opened.ingest("Cell Notes", [article("Cell Notes", "1")])
        opened.set_starred(article_id("Gene Letters", "0"), True)
        yield opened


def test_the_feed_leaves_the_configuration_and_its_unstarred_articles_the_store(
    config: Config, store: Store
) -> None:
    done = remove_feed(config, store, "Gene Letters", built_in=False)
    assert (done.name, done.target, done.copied) == ("Gene Letters", config.path, False)
    assert (done.removed, done.kept_starred) == (2, 1)
    text = config.path.read_text(encoding="utf-8")
    assert "Gene Letters" not in text and "# the first one" not in text
    assert "# my feeds" in text and "# the second one" in text and "# kept" in text
    assert [feed.name for feed in load_config(config.path).feeds] == ["Cell Notes"]
    assert store.article_count(feed="Gene Letters") == 1
    assert store.article_count(feed="Gene Letters", starred_only=True) == 1
    assert store.article_count(feed="Cell Notes") == 1


def test_the_built_in_configuration_is_copied_to_the_users_folder_first(
    config: Config, store: Store
) -> None:
    done = remove_feed(config, store, "Cell Notes", built_in=True)
    assert done.copied and done.target != config.path
    assert done.target.is_relative_to(Path(os.environ["XDG_CONFIG_HOME"]))
    assert [feed.name for feed in load_config(done.target).feeds] == ["Gene Letters"]
    assert config.path.read_text(encoding="utf-8") == CONFIG


def test_an_unknown_name_writes_nothing(config: Config, store: Store) -> None:
    with pytest.raises(UnknownFeedError, match="no feed named 'Nope'"):
        remove_feed(config, store, "Nope", built_in=False)
    assert config.path.read_text(encoding="utf-8") == CONFIG


def test_a_configuration_that_cannot_be_written_removes_no_article(
    config: Config, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    with pytest.raises(FeedRemovalError, match="cannot write") as caught:
        remove_feed(config, store, "Gene Letters", built_in=True)
    assert "\n" not in str(caught.value)
    assert store.article_count(feed="Gene Letters") == 3
    assert config.path.read_text(encoding="utf-8") == CONFIG
