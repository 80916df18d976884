"""Which feeds are due for a refresh, and when the next one is: pure functions of the time.

A feed is due when it was never checked, or when its last check is at least its
``refresh_every`` (its own, else the setting's) ago; ``off`` is never due. A feed whose
server asked to wait is still "due" here: the refresh itself skips it and says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from biotui.model import Config, Feed, FeedStatus

NEVER = datetime.min.replace(tzinfo=UTC)
"""When a feed never checked is due: before any time."""


def interval(config: Config, feed: Feed) -> float:
    """Seconds between refreshes of ``feed`` (``math.inf``: never by itself)."""
    return config.settings.refresh_every if feed.refresh_every is None else feed.refresh_every


def due_at(config: Config, feed: Feed, status: FeedStatus | None) -> datetime | None:
    """When ``feed`` is next due (``NEVER`` when never checked), or None (off)."""
    every = interval(config, feed)
    if math.isinf(every):
        return None
    if status is None or status.last_checked is None:
        return NEVER
    return status.last_checked + timedelta(seconds=every)


def due_feeds(config: Config, statuses: Iterable[FeedStatus], now: datetime) -> list[Feed]:
    """The configured feeds due at ``now`` (timezone-aware), in configuration order."""
    known = {status.name: status for status in statuses}
    due: list[Feed] = []
    for feed in config.feeds:
        when = due_at(config, feed, known.get(feed.name))
        if when is not None and when <= now:
            due.append(feed)
    return due


def next_due(config: Config, statuses: Iterable[FeedStatus]) -> datetime | None:
    """When the first feed falls due (possibly already past), or None when every feed is off."""
    known = {status.name: status for status in statuses}
    times = [due_at(config, feed, known.get(feed.name)) for feed in config.feeds]
    present = [when for when in times if when is not None]
    return min(present) if present else None
