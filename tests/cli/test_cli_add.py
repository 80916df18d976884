"""``biotui add`` against a real HTTP server on 127.0.0.1: a feed, or a page naming one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer

from biotui.cli import main
from biotui.config import load_config

Run = Callable[..., tuple[int, str, str]]
"""The ``run`` fixture of tests/cli/conftest.py."""
CONFIG = """# my feeds: keep this comment
[settings]
timeout = 5 # seconds

# the news I read first
[[feeds]]
name = "STAT"
url = "https://www.statnews.com/feed/"
tags = ["medicine"] # trailing comment
"""

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>
<link>https://example.org/</link>
<item><title>First story</title><link>https://example.org/1</link><guid>1</guid></item>
<item><title>Second story</title><link>https://example.org/2</link><guid>2</guid></item>
</channel></rss>"""

RSS_TYPE = "application/rss+xml"
HTML_TYPE = "text/html"


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def page(*links: tuple[str, str]) -> str:
    heads = "".join(
        f'<link rel="alternate" type="{RSS_TYPE}" title="{title}" href="{href}">'
        for title, href in links
    )
    return f"<!doctype html><html><head><title>Blog</title>{heads}</head><body>hi</body></html>"


def configured(config: Path) -> list[tuple[str, str | None, tuple[str, ...]]]:
    return [(f.name, f.url, f.tags) for f in load_config(config).feeds]


def titles(run: Run) -> list[str]:
    status, out, _ = run("list", "--json")
    assert status == 0
    return sorted(json.loads(line)["title"] for line in out.splitlines())


def test_a_feed_url_is_added_and_its_articles_stored(
    httpserver: HTTPServer, config: Path, run: Run
) -> None:
    httpserver.expect_request("/news.rss").respond_with_data(
        RSS.format(title="Example News"), content_type=RSS_TYPE
    )
    url = httpserver.url_for("/news.rss")
    status, out, err = run("add", url, "--tag", "biotech", "--tag", "daily")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"added: Example News {url} [biotech, daily]",
        f"written to {config}",
        "stored 2 articles of Example News",
    ]
    assert configured(config)[-1] == ("Example News", url, ("biotech", "daily"))
    text = config.read_text(encoding="utf-8")
    for comment in ("# my feeds: keep this comment", "# seconds", "# the news I read first"):
        assert comment in text
    assert "# trailing comment" in text
    assert titles(run) == ["First story", "Second story"]
    assert len(httpserver.log) == 1


def test_a_page_naming_its_feed_costs_one_page_and_one_feed_fetch(
    httpserver: HTTPServer, config: Path, run: Run
) -> None:
    httpserver.expect_request("/blog/").respond_with_data(
        page(("Posts", "feed/posts.xml")), content_type=HTML_TYPE
    )
    httpserver.expect_request("/blog/feed/posts.xml").respond_with_data(
        RSS.format(title="The Blog"), content_type=RSS_TYPE
    )
    status, out, err = run("add", httpserver.url_for("/blog/"), "--name", "Mine")
    assert (status, err) == (0, "")
    feed_url = httpserver.url_for("/blog/feed/posts.xml")
    assert out.splitlines()[0] == f"added: Mine {feed_url}"
    assert configured(config)[-1] == ("Mine", feed_url, ())
    assert [request.path for request, _ in httpserver.log] == ["/blog/", "/blog/feed/posts.xml"]
    assert titles(run) == ["First story", "Second story"]


def test_a_page_with_two_feeds_lists_them_and_takes_the_first(
    httpserver: HTTPServer, config: Path, run: Run
) -> None:
    httpserver.expect_request("/").respond_with_data(
        page(("Posts", "/posts.xml"), ("Comments", "/comments.xml")), content_type=HTML_TYPE
    )
    httpserver.expect_request("/posts.xml").respond_with_data(
        RSS.format(title="Posts"), content_type=RSS_TYPE
    )
    status, out, _ = run("add", httpserver.url_for("/"))
    assert status == 0
    assert out.splitlines()[:5] == [
        f"{httpserver.url_for('/')} offers 2 feeds:",
        f"  1. Posts {httpserver.url_for('/posts.xml')}",
        f"  2. Comments {httpserver.url_for('/comments.xml')}",
        "taking 1 (choose another with --pick N)",
        f"added: Posts {httpserver.url_for('/posts.xml')}",
    ]
    assert len(httpserver.log) == 2


def test_pick_takes_another_of_the_page_feeds_and_a_clashing_name_gets_a_suffix(
    httpserver: HTTPServer, config: Path, run: Run
) -> None:
    httpserver.expect_request("/").respond_with_data(
        page(("Posts", "/posts.xml"), ("Comments", "/comments.xml")), content_type=HTML_TYPE
    )
    httpserver.expect_request("/comments.xml").respond_with_data(
        RSS.format(title="STAT"), content_type=RSS_TYPE
    )
    status, out, _ = run("add", httpserver.url_for("/"), "--pick", "2")
    assert status == 0
    assert "taking 2" in out.splitlines()
    assert configured(config)[-1] == ("STAT (2)", httpserver.url_for("/comments.xml"), ())
    assert [request.path for request, _ in httpserver.log] == ["/", "/comments.xml"]

    status, _, err = run("add", httpserver.url_for("/"), "--pick", "3")
    assert status == 2
    assert err.startswith("biotui: --pick 3:")


def test_a_page_without_links_falls_back_to_the_usual_paths(
    httpserver: HTTPServer, config: Path, run: Run
) -> None:
    httpserver.expect_request("/").respond_with_data(page(), content_type=HTML_TYPE)
    httpserver.expect_request("/feed.xml").respond_with_data(
        RSS.format(title=""), content_type=RSS_TYPE
    )
    status, out, _ = run("add", httpserver.url_for("/"))
    assert status == 0
    feed_url = httpserver.url_for("/feed.xml")
    host = urlsplit(feed_url).hostname  # no title: the feed is named after its host
    assert out.splitlines()[0] == f"added: {host} {feed_url}"
    asked = [request.path for request, _ in httpserver.log]
    assert asked == ["/", "/feed", "/rss", "/rss.xml", "/atom.xml", "/index.xml", "/feed.xml"]


def test_no_feed_found_is_one_line_exit_2_and_nothing_written(
    httpserver: HTTPServer, config: Path, run: Run, tmp_path: Path
) -> None:
    httpserver.expect_request("/").respond_with_data(
        page(("Broken", "/broken.xml")), content_type=HTML_TYPE
    )
    httpserver.expect_request("/broken.xml").respond_with_data("not a feed", content_type=RSS_TYPE)
    status, out, err = run("add", httpserver.url_for("/"))
    assert (status, out) == (2, "")
    reason = "no feed found (neither a feed nor a page naming one)"
    assert err == f"biotui: {httpserver.url_for('/')}: {reason}\n"
    assert config.read_text(encoding="utf-8") == CONFIG

    status, out, err = run("add", "http://127.0.0.1:1/")
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("biotui: http://127.0.0.1:1/: ")
    assert config.read_text(encoding="utf-8") == CONFIG

    status, _, err = run("add", "ftp://example.org/feed")
    assert status == 2 and "not an http or https URL" in err
    assert config.read_text(encoding="utf-8") == CONFIG


def test_a_feed_already_configured_is_exit_2(
    httpserver: HTTPServer, config: Path, run: Run
) -> None:
    status, _, err = run("add", "HTTPS://WWW.STATNEWS.COM/feed")
    assert (status, err) == (
        2,
        "biotui: already configured as STAT: https://www.statnews.com/feed/\n",
    )
    assert len(httpserver.log) == 0

    httpserver.expect_request("/").respond_with_data(
        page(("Posts", "/posts.xml")), content_type=HTML_TYPE
    )
    httpserver.expect_request("/posts.xml").respond_with_data(
        RSS.format(title="Posts"), content_type=RSS_TYPE
    )
    assert run("add", httpserver.url_for("/"))[0] == 0
    written = config.read_text(encoding="utf-8")
    status, _, err = run("add", httpserver.url_for("/"))
    assert status == 2
    assert err == f"biotui: already configured as Posts: {httpserver.url_for('/posts.xml')}\n"
    assert config.read_text(encoding="utf-8") == written


def test_the_added_feed_refreshes_like_any_other(
    httpserver: HTTPServer, config: Path, run: Run
) -> None:
    httpserver.expect_request("/news.rss").respond_with_data(
        RSS.format(title="Example News"), content_type=RSS_TYPE
    )
    assert run("add", httpserver.url_for("/news.rss"))[0] == 0
    status, out, _ = run("feeds", "--json")
    assert status == 0
    rows = {row["name"]: row for row in map(json.loads, out.splitlines())}
    assert rows["Example News"]["url"] == httpserver.url_for("/news.rss")


def test_adding_to_the_built_in_configuration_copies_it_first(
    httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/news.rss").respond_with_data(
        RSS.format(title="Example News"), content_type=RSS_TYPE
    )
    status = main(["--data-dir", str(tmp_path / "data"), "add", httpserver.url_for("/news.rss")])
    out = capsys.readouterr().out
    assert status == 0
    copied = out.splitlines()[0]
    assert copied.startswith("biotui: copied the built-in configuration to ")
    target = Path(copied.split(" to ", 1)[1].split(", to add")[0])
    feeds = load_config(target).feeds
    assert feeds[-1].name == "Example News"
    assert all(feed.url or Path(feed.path or "").is_absolute() for feed in feeds)
