"""What the refresh tests share: a configuration of feeds, outcomes by feed, stored titles."""

from __future__ import annotations

from pathlib import Path

from biotui.model import Config, Feed, Settings
from biotui.refresh import FeedOutcome
from biotui.store import Store


def config_for(tmp_path: Path, *feeds: Feed, timeout: float = 10) -> Config:
    """A configuration of ``feeds``, four downloads at once, no refresh on start."""
    settings = Settings(timeout=timeout, concurrency=4, refresh_on_start=False)
    return Config(path=tmp_path / "feeds.toml", settings=settings, feeds=feeds)


def by_feed(outcomes: list[FeedOutcome]) -> dict[str, FeedOutcome]:
    """The outcomes by feed name."""
    return {outcome.feed: outcome for outcome in outcomes}


def titles(store: Store, feed: str | None = None) -> list[str]:
    """The titles stored (of ``feed``, or of every feed), sorted."""
    return sorted(headline.title for headline in store.headlines(store.headline_ids(feed=feed)))
