"""Which feeds are due, at fixed times."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

from biotui.model import Config, Feed, FeedStatus, Settings
from biotui.refresh.schedule import due_feeds, next_due

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def config(*feeds: Feed, every: float = 1800) -> Config:
    return Config(path=Path("feeds.toml"), settings=Settings(refresh_every=every), feeds=feeds)


def checked(name: str, minutes_ago: float, **more: object) -> FeedStatus:
    return FeedStatus(name=name, last_checked=NOW - timedelta(minutes=minutes_ago), **more)  # type: ignore[arg-type]


def names(feeds: list[Feed]) -> list[str]:
    return [feed.name for feed in feeds]


def test_never_checked_is_due_and_off_never_is() -> None:
    cfg = config(Feed("New", url="http://a/"), Feed("Off", url="http://b/", refresh_every=math.inf))
    assert names(due_feeds(cfg, [], NOW)) == ["New"]


def test_the_setting_decides_unless_the_feed_says_otherwise() -> None:
    cfg = config(
        Feed("Default", url="http://a/"),
        Feed("Hourly", url="http://b/", refresh_every=3600),
        Feed("Often", url="http://c/", refresh_every=300),
    )
    statuses = [checked("Default", 31), checked("Hourly", 31), checked("Often", 4)]
    assert names(due_feeds(cfg, statuses, NOW)) == ["Default"]
    statuses = [checked("Default", 29), checked("Hourly", 60), checked("Often", 5)]
    assert names(due_feeds(cfg, statuses, NOW)) == ["Hourly", "Often"]


def test_setting_off_turns_off_all_but_the_feeds_that_ask() -> None:
    cfg = config(
        Feed("A", url="http://a/"), Feed("B", url="http://b/", refresh_every=60), every=math.inf
    )
    assert names(due_feeds(cfg, [checked("A", 10**6), checked("B", 2)], NOW)) == ["B"]


def test_a_failed_feed_waits_like_any_other_and_statuses_of_removed_feeds_are_ignored() -> None:
    cfg = config(Feed("A", url="http://a/"))
    statuses = [checked("A", 10, last_error="HTTP 500"), checked("Gone", 1000)]
    assert due_feeds(cfg, statuses, NOW) == []


def test_next_due() -> None:
    cfg = config(Feed("A", url="http://a/"), Feed("B", url="http://b/", refresh_every=600))
    assert next_due(cfg, [checked("A", 10), checked("B", 5)]) == NOW + timedelta(minutes=5)
    assert next_due(config(Feed("A", url="http://a/"), every=math.inf), []) is None
