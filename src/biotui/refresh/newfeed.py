"""A new feed checked against the configuration, named, tagged, written and stored.

These are the steps of adding a feed around :func:`biotui.refresh.adding.find_feed` that
``biotui add`` and the app's add dialog share, so that both name, tag and refuse alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from biotui.config import load_config
from biotui.configwrite import ConfigAdded, ConfigWriteError, add_to_config, unique_name
from biotui.errors import BiotuiError
from biotui.feedlist import ImportedFeed, url_key
from biotui.feedlist.urls import CheckedUrl, check_url
from biotui.model import Config
from biotui.plaintext import clean_text
from biotui.refresh.adding import FoundFeed, first_articles, store_first_refresh
from biotui.store import Store


class AddRefused(Exception):
    """The feed cannot be added (a bad URL, a feed already configured, cancelled, not
    stored); the message is one line."""


class NotStored(AddRefused):
    """The feed was written into the configuration, but its articles could not be stored."""


@dataclass(frozen=True, slots=True)
class FeedAdded:
    """A feed was added: its name, the configuration as it now is on disk, what was written
    where, the parse's warnings and how many articles were stored."""

    name: str
    config: Config
    written: ConfigAdded
    warnings: tuple[str, ...]
    stored: int


def check_new_url(config: Config, raw_url: str) -> CheckedUrl:
    """``raw_url`` as a URL fit for the configuration and not configured yet; raises
    :class:`AddRefused` otherwise."""
    checked = check_url(raw_url)
    if not checked.url:
        raise AddRefused(f"{clean_text(raw_url)[:200]}: {checked.problem}")
    check_not_configured(config, checked.url)
    return checked


def check_not_configured(config: Config, url: str) -> None:
    """Raise :class:`AddRefused` when a feed of ``config`` has ``url`` (loosely compared)."""
    key = url_key(url)
    for feed in config.feeds:
        if feed.url is not None and url_key(feed.url) == key:
            raise AddRefused(f"already configured as {feed.name}: {feed.url}")


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Each tag made safe and trimmed; empty ones and repeats left out, order kept."""
    return tuple(dict.fromkeys(tag for tag in (clean_text(tag) for tag in tags) if tag))


def split_tags(text: str) -> tuple[str, ...]:
    """Tags typed on one line, separated by commas or spaces, each cleaned as by
    :func:`clean_tags`."""
    return clean_tags(re.split(r"[,\s]+", text))


def new_feed(
    config: Config, found: FoundFeed, *, host: str, name: str = "", tags: Iterable[str] = ()
) -> ImportedFeed:
    """The feed to write for ``found``: named ``name``, else by its title, else ``host``,
    made unique among ``config``'s names, with ``tags`` cleaned. Raises :class:`AddRefused`
    when the feed's URL is already configured."""
    check_not_configured(config, found.url)
    wanted = clean_text(name) or found.title or host
    unique = unique_name(wanted, (feed.name for feed in config.feeds))
    return ImportedFeed(unique, found.url, clean_tags(tags))


def add_found(
    config: Config,
    store: Store,
    feed: ImportedFeed,
    found: FoundFeed,
    *,
    built_in: bool,
    wanted: Callable[[], bool] = lambda: True,
) -> FeedAdded:
    """Write ``feed`` into ``config``'s file (see :func:`add_to_config`) and store the
    articles ``found`` holds as its first refresh; ``wanted`` is asked before anything is
    written. Raises :class:`ConfigWriteError` (nothing written), :class:`NotStored` or
    :class:`AddRefused` (nothing written)."""
    parsed = first_articles(found, feed.name)
    if not wanted():
        raise AddRefused("cancelled")
    written = add_to_config(config.path, feed, built_in=built_in)
    try:
        new_config = load_config(written.target)
    except BiotuiError as exc:
        raise ConfigWriteError(str(exc)) from None
    try:
        counts = store_first_refresh(store, feed.name, found, parsed)
    except BiotuiError as exc:
        message = f"{feed.name} was added, but its articles were not stored: {exc}"
        raise NotStored(message) from None
    return FeedAdded(feed.name, new_config, written, tuple(parsed.warnings), counts.new)
