"""Server items as articles: as clean as fetched ones, stored in the right feed, with their
identifiers and stories, and a configured feed the server fetches is not fetched again."""

from __future__ import annotations

from datetime import datetime

from biotui.model import Config, Feed
from biotui.refresh.syncskip import without_synced
from biotui.store import Store
from biotui.sync.articles import feed_names, item_article
from biotui.sync.backend import RemoteFeed, RemoteItem
from biotui.sync.engine import sync
from sync.conftest import SYNC
from sync.fake_backend import FakeBackend
from sync.test_engine import article


def test_a_hostile_item_comes_out_clean() -> None:
    html = (
        "<script>alert(1)</script><p onclick='x()'>Fine <a href='javascript:alert(1)'>link</a>"
        " \x1b[31mred\x07</p><iframe src='https://evil.example'></iframe>" + "<p>more</p>" * 300_000
    )
    item = RemoteItem(
        "tag:google.com,2005:reader/item/00000000000000ff",
        "feed/1",
        "<b>Bold</b> \x1b]0;title\x07 &amp; more",
        html=html,
        url="javascript:alert(1)",
        author="Eve\x1b[2J",
        published=datetime(2026, 1, 1),  # naive: taken as UTC
    )
    made = item_article(item, "Wire", "abc", "Wire <i>news</i>")
    assert made.title == "Bold & more"
    assert made.link == "" and made.author == "Eve" and made.source == "Wire news"
    assert "script" not in made.body and "alert" not in made.body and "iframe" not in made.body
    assert "javascript" not in made.body and "\x1b" not in made.body and "\x07" not in made.body
    assert made.body.startswith("Fine link red")
    assert len(made.body) <= 1_000_003 and made.notes and "truncated" in made.notes[0]
    assert made.published is not None and made.published.utcoffset() is not None
    assert made.guid == item.id


def test_an_item_without_a_title_takes_its_body_start() -> None:
    made = item_article(RemoteItem("1", "f", "", html="<p>Only a body here</p>"), "W", "x")
    assert made.title == "Only a body here"


def test_feed_names_follow_the_configuration_and_stay_unique() -> None:
    remote = [
        RemoteFeed("feed/a", "STAT", "https://stat.example/feed"),
        RemoteFeed("feed/b", "News", "https://one.example/rss"),
        RemoteFeed("feed/c", "News", "https://two.example/rss"),
        RemoteFeed("feed/d", "Lab", "https://lab.example/rss"),
        RemoteFeed("feed/e", "", "https://untitled.example/rss"),
    ]
    local = [
        Feed("My STAT", url="https://stat.example/feed", tags=("policy",)),
        Feed("Lab", path="/tmp/lab"),
    ]
    assert feed_names(remote, local) == {
        "feed/a": "My STAT",
        "feed/b": "News",
        "feed/c": "News (2)",
        "feed/d": "Lab (2)",
        "feed/e": "https://untitled.example/rss",
    }


def test_a_configured_feed_the_server_fetches_holds_its_articles_and_is_not_fetched(
    config: Config, store: Store, server: FakeBackend
) -> None:
    mine = Feed("My STAT", url="https://stat.example/feed", tags=("policy",))
    local = Feed("Local", url="https://local.example/rss")
    configured = Config(path=config.path, feeds=(mine, local), sync=SYNC)
    server.add_item("s", "feed/2", title="From STAT")
    assert without_synced(configured, store, configured.feeds) == [mine, local]  # not synced yet
    sync(configured, store, server)
    assert article(store, "s").feed == "My STAT" and article(store, "s").source == "STAT"
    assert without_synced(configured, store, configured.feeds) == [local]
    assert without_synced(Config(path=config.path, feeds=(mine,)), store, [mine]) == [mine]


def test_synced_articles_get_identifiers_and_stories_like_fetched_ones(
    config: Config, store: Store, server: FakeBackend
) -> None:
    server.add_item(
        "t1", "feed/1", title="Kyverna doses first lupus patient", html="<p>Trial NCT06123456.</p>"
    )
    server.add_item(
        "t2", "feed/2", title="Kyverna lupus CAR-T doses first patient", html="<p>NCT06123456</p>"
    )
    sync(config, store, server)
    first = article(store, "t1")
    assert [(i.kind, i.id) for i in store.identifiers.of(first.id)] == [("trial", "NCT06123456")]
    assert store.stories.ungrouped() == 0
    rowids = list(store.headline_ids())
    stories = store.stories.story_of(rowids)
    assert len(stories) == 2 and len(set(stories.values())) == 1
