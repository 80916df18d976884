"""The open app refreshes the feeds that are due by themselves, and says when the next comes."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app_helpers import OpenApp, screen_text, until
from pytest_httpserver import HTTPServer

from biotui.app.delays import NO_DELAYS
from biotui.model import Config, Feed, FeedStatus, Settings
from biotui.store import Store

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><guid>{g}</guid><title>Story {g}</title></item></channel></rss>"
)


async def test_due_feeds_refresh_by_themselves(
    open_app: OpenApp, httpserver: HTTPServer, store: Store, tmp_path: Path
) -> None:
    for name in ("due", "off", "fresh"):
        httpserver.expect_request(f"/{name}.xml").respond_with_data(
            RSS.replace(b"{g}", name.encode()), content_type="application/rss+xml"
        )
    checked = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    store.save_feed_status(FeedStatus(name="Fresh", last_checked=checked))
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False, refresh_every=1800),
        feeds=(
            Feed("Due", url=httpserver.url_for("/due.xml")),
            Feed("Off", url=httpserver.url_for("/off.xml"), refresh_every=math.inf),
            Feed("Fresh", url=httpserver.url_for("/fresh.xml")),
        ),
    )
    delays = replace(NO_DELAYS, due_check=0.05)
    async with open_app(size=(160, 24), config=config, delays=delays) as pilot:
        app = pilot.app
        await until(pilot, lambda: "Refreshed 1 feeds: 1 new" in screen_text(app))
        following = (checked + timedelta(minutes=30)).astimezone()
        assert f"next refresh {following:%H:%M}" in screen_text(app)
        await until(pilot, lambda: "Story due" in screen_text(app))
        assert [request.path for request, _ in httpserver.log] == ["/due.xml"]


async def test_the_next_refresh_is_shown_before_the_first(
    open_app: OpenApp, store: Store, tmp_path: Path
) -> None:
    checked = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    store.save_feed_status(FeedStatus(name="Fresh", last_checked=checked))
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False, refresh_every=3600),
        feeds=(Feed("Fresh", url="http://127.0.0.1:9/fresh.xml"),),
    )
    async with open_app(size=(160, 24), config=config) as pilot:
        following = (checked + timedelta(hours=1)).astimezone()
        await until(pilot, lambda: f"next refresh {following:%H:%M}" in screen_text(pilot.app))


async def test_no_next_refresh_when_every_feed_is_off(
    open_app: OpenApp, store: Store, tmp_path: Path
) -> None:
    config = Config(
        path=tmp_path / "feeds.toml",
        settings=Settings(refresh_on_start=False, refresh_every=math.inf),
        feeds=(Feed("Off", url="http://127.0.0.1:9/off.xml"),),
    )
    async with open_app(size=(160, 24), config=config) as pilot:
        await until(pilot, lambda: "0 articles" in screen_text(pilot.app))
        await pilot.pause()
        assert "next refresh" not in screen_text(pilot.app)
