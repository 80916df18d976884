"""The add-feed dialog (``a``) against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from app_helpers import OpenApp, list_rows, screen_text, settle, until
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from biotui.app.widgets.add_feed_dialog import AddFeedDialog
from biotui.config import load_config
from biotui.model import Config

CONFIG = """# my feeds: keep this comment
[settings]
refresh_on_start = false
"""

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Gene Letters</title>
<link>https://example.org/</link>
<item><title>Base editing reaches the clinic</title><link>https://example.org/1</link>
<guid>1</guid></item>
<item><title>Prime editing in mice</title><link>https://example.org/2</link><guid>2</guid></item>
</channel></rss>"""

PAGE = """<html><head><title>Gene Letters</title>
<link rel="alternate" type="application/rss+xml" href="/news.rss"></head><body>hi</body></html>"""


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture
def file_config(tmp_path: Path) -> Config:
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_config(path)


async def test_a_page_naming_a_feed_adds_it_and_shows_its_headlines(
    open_app: OpenApp, file_config: Config, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/news.rss").respond_with_data(
        RSS, content_type="application/rss+xml"
    )
    async with open_app(config=file_config, size=(120, 30)) as pilot:
        app = pilot.app
        assert "Base editing" not in screen_text(app)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedDialog))
        await pilot.press(*httpserver.url_for("/"), "enter")
        await until(pilot, lambda: not isinstance(app.screen, AddFeedDialog))
        await settle(pilot)
        await until(pilot, lambda: any("Base editing" in row for row in list_rows(app)))
        assert any("Prime editing" in row for row in list_rows(app))
        assert "Gene Letters" in screen_text(app)  # the status line names the feed shown
    text = file_config.path.read_text(encoding="utf-8")
    assert text.startswith("# my feeds: keep this comment")
    feeds = load_config(file_config.path).feeds
    assert [(feed.name, feed.url) for feed in feeds] == [
        ("Gene Letters", httpserver.url_for("/news.rss"))
    ]


async def test_a_url_without_a_feed_shows_the_error_and_writes_nothing(
    open_app: OpenApp, file_config: Config, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/").respond_with_data(
        "<html><body>no feeds</body></html>", content_type="text/html"
    )
    async with open_app(config=file_config, size=(120, 30)) as pilot:
        app = pilot.app
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedDialog))
        await pilot.press(*httpserver.url_for("/"), "enter")
        await until(pilot, lambda: "no feed found" in screen_text(app))
        assert isinstance(app.screen, AddFeedDialog)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AddFeedDialog))
    assert file_config.path.read_text(encoding="utf-8") == CONFIG


async def test_escape_closes_the_dialog_without_writing(
    open_app: OpenApp, file_config: Config
) -> None:
    async with open_app(config=file_config) as pilot:
        app = pilot.app
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedDialog))
        assert "Add a feed" in screen_text(app)
        await pilot.press("h", "t", "escape")
        await until(pilot, lambda: not isinstance(app.screen, AddFeedDialog))
        assert "Add a feed" not in screen_text(app)
    assert file_config.path.read_text(encoding="utf-8") == CONFIG


async def test_the_dialog_says_where_it_looks_while_it_fetches(
    open_app: OpenApp, file_config: Config, httpserver: HTTPServer
) -> None:
    release = threading.Event()

    def slow_feed(request: Request) -> Response:
        release.wait(30)
        return Response(RSS, content_type="application/rss+xml")

    httpserver.expect_request("/feed.rss").respond_with_handler(slow_feed)
    url = httpserver.url_for("/feed.rss")
    async with open_app(config=file_config, size=(120, 30)) as pilot:
        app = pilot.app
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedDialog))
        await pilot.press(*url, "enter")
        try:
            await until(pilot, lambda: f"Looking for a feed at {url}" in screen_text(app))
        finally:
            release.set()
        await until(pilot, lambda: not isinstance(app.screen, AddFeedDialog))
    assert [feed.url for feed in load_config(file_config.path).feeds] == [url]


def two_feed_page() -> str:
    return (
        "<html><head><title>Lab</title>"
        '<link rel="alternate" type="application/rss+xml" title="Posts" href="/posts.rss">'
        '<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments.rss">'
        "</head><body>hi</body></html>"
    )


def comments_rss() -> str:
    return RSS.replace("Gene Letters", "Lab Comments").replace("Base editing", "Reply on base")


async def test_the_name_and_tags_typed_are_written_with_the_feed(
    open_app: OpenApp, file_config: Config, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/news.rss").respond_with_data(
        RSS, content_type="application/rss+xml"
    )
    url = httpserver.url_for("/news.rss")
    async with open_app(config=file_config, size=(120, 30)) as pilot:
        app = pilot.app
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedDialog))
        await pilot.press(*url, "tab", *"My genes", "tab", *"crispr, daily  lab", "enter")
        await until(pilot, lambda: not isinstance(app.screen, AddFeedDialog))
        await settle(pilot)
        await until(pilot, lambda: any("Base editing" in row for row in list_rows(app)))
        assert "My genes" in screen_text(app)
    feeds = load_config(file_config.path).feeds
    assert [(feed.name, feed.url, feed.tags) for feed in feeds] == [
        ("My genes", url, ("crispr", "daily", "lab"))
    ]
    assert file_config.path.read_text(encoding="utf-8").startswith("# my feeds")


async def test_a_page_offering_two_feeds_lists_both_and_adds_the_one_picked(
    open_app: OpenApp, file_config: Config, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/").respond_with_data(two_feed_page(), content_type="text/html")
    httpserver.expect_request("/posts.rss").respond_with_data(
        RSS, content_type="application/rss+xml"
    )
    httpserver.expect_request("/comments.rss").respond_with_data(
        comments_rss(), content_type="application/rss+xml"
    )
    posts, comments = httpserver.url_for("/posts.rss"), httpserver.url_for("/comments.rss")
    async with open_app(config=file_config, size=(120, 30)) as pilot:
        app = pilot.app
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedDialog))
        await pilot.press(*httpserver.url_for("/"), "tab", "tab", *"lab", "enter")
        await until(pilot, lambda: "offers 2 feeds" in screen_text(app))
        text = screen_text(app)
        assert f"Posts  {posts}" in text and f"Comments  {comments}" in text
        assert isinstance(app.screen, AddFeedDialog)
        assert file_config.path.read_text(encoding="utf-8") == CONFIG
        await pilot.press("down", "enter")
        await until(pilot, lambda: not isinstance(app.screen, AddFeedDialog))
        await settle(pilot)
        await until(pilot, lambda: any("Reply on base" in row for row in list_rows(app)))
    feeds = load_config(file_config.path).feeds
    assert [(feed.name, feed.url, feed.tags) for feed in feeds] == [
        ("Lab Comments", comments, ("lab",))
    ]


async def test_escape_at_a_page_s_feeds_goes_back_and_again_closes_without_writing(
    open_app: OpenApp, file_config: Config, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/").respond_with_data(two_feed_page(), content_type="text/html")
    httpserver.expect_request("/posts.rss").respond_with_data(
        RSS, content_type="application/rss+xml"
    )
    async with open_app(config=file_config, size=(120, 30)) as pilot:
        app = pilot.app
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedDialog))
        await pilot.press(*httpserver.url_for("/"), "enter")
        await until(pilot, lambda: "offers 2 feeds" in screen_text(app))
        await pilot.press("escape")
        await until(pilot, lambda: "offers 2 feeds" not in screen_text(app))
        assert isinstance(app.screen, AddFeedDialog)
        assert "Comments" not in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AddFeedDialog))
    assert file_config.path.read_text(encoding="utf-8") == CONFIG


async def test_a_picked_feed_that_fails_says_so_in_place_and_another_can_be_picked(
    open_app: OpenApp, file_config: Config, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/").respond_with_data(two_feed_page(), content_type="text/html")
    httpserver.expect_request("/posts.rss").respond_with_data(
        RSS, content_type="application/rss+xml"
    )
    httpserver.expect_request("/comments.rss").respond_with_data("gone", status=404)
    async with open_app(config=file_config, size=(120, 30)) as pilot:
        app = pilot.app
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedDialog))
        await pilot.press(*httpserver.url_for("/"), "enter")
        await until(pilot, lambda: "offers 2 feeds" in screen_text(app))
        await pilot.press("down", "enter")
        await until(pilot, lambda: "comments.rss: HTTP 404" in screen_text(app))
        assert isinstance(app.screen, AddFeedDialog)
        assert file_config.path.read_text(encoding="utf-8") == CONFIG
        await pilot.press("up", "enter")
        await until(pilot, lambda: not isinstance(app.screen, AddFeedDialog))
    assert [feed.name for feed in load_config(file_config.path).feeds] == ["Gene Letters"]
