"""``biotui add`` and ``biotui remove`` when ``[sync]`` is set: the feed is subscribed or
unsubscribed on the server, where the protocol allows it (Google Reader); with Fever, which
has no such call, one line says the server must do it (exit status 1).

A subscribed feed comes down at the next sync (``biotui sync`` or ``refresh``): the server
fetches it, finding the feed a web page names itself. An unsubscribed feed's articles go from
the store as a local removal's do (starred ones stay), and so does the ``[[feeds]]`` entry that
carried its options, so that biotui does not start fetching the feed itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.errors import BiotuiError
from biotui.feedlist import url_key
from biotui.feedlist.urls import check_url
from biotui.feedremoval import FeedRemovalError
from biotui.feedremoval import remove_feed as remove_configured_feed
from biotui.model import Config
from biotui.plaintext import clean_text
from biotui.refresh.newfeed import clean_tags
from biotui.store import Store, SyncedFeed
from biotui.sync.backend import Backend

__all__ = ["subscribe_feed", "synced_feed", "unsubscribe_feed"]

CANNOT = (
    "{server} speaks Fever, which cannot {what}: {do} on the server's own pages, then run"
    " biotui sync"
)


def synced_feed(config: Config, store: Store, name: str) -> SyncedFeed | None:
    """The feed of the ``[sync]`` server stored under ``name`` (as the last sync listed it)."""
    if config.sync is None:
        return None
    return next((f for f in store.synced.feeds(config.sync.account) if f.name == name), None)


def subscribe_feed(
    config: Config, store: Store, data_dir: Path, url: str, name: str | None, tags: list[str]
) -> int:
    """Subscribe to ``url`` on the server, titled ``name`` and in the category of the first of
    ``tags``; say so, or why not."""
    checked = check_url(url)
    if not checked.url:
        return _fail(f"{clean_text(url)[:200]}: {checked.problem}", EXIT_USAGE)
    assert config.sync is not None
    for feed in store.synced.feeds(config.sync.account):
        if feed.url and url_key(feed.url) == url_key(checked.url):
            return _fail(f"already subscribed on the server as {feed.name}: {feed.url}", EXIT_USAGE)
    backend = _backend(config, data_dir)
    try:
        if not backend.can_subscribe:
            add = f"add {checked.url}"
            message = CANNOT.format(server=backend.server, what="subscribe", do=add)
            return _fail(f"{message} (or add --local to have biotui fetch it itself)")
        backend.login()
        added = backend.subscribe(checked.url, clean_text(name or ""), clean_tags(tags))
    except BiotuiError as exc:
        return _fail(str(exc))
    finally:
        backend.close()
    title = clean_text(added.title) or clean_text(added.url) or checked.url
    print(f"subscribed to {title} on {backend.server}")
    print("its articles come down at the next sync (biotui sync, or biotui refresh)")
    return EXIT_OK


def unsubscribe_feed(
    config: Config, store: Store, data_dir: Path, built_in: bool, feed: SyncedFeed
) -> int:
    """Unsubscribe from ``feed`` on the server, then remove its articles (starred ones stay)
    and the ``[[feeds]]`` entry of its name, if any; say so, or why not."""
    assert config.sync is not None
    backend = _backend(config, data_dir)
    try:
        if not backend.can_subscribe:
            remove = f"unsubscribe from {feed.name}"
            return _fail(CANNOT.format(server=backend.server, what="unsubscribe", do=remove))
        backend.login()
        backend.unsubscribe(feed.id)
    except BiotuiError as exc:
        return _fail(str(exc))
    finally:
        backend.close()
    print(f"unsubscribed from {feed.name} on {backend.server}")
    try:
        removed, starred = _forget(config, store, feed, built_in)
    except (BiotuiError, FeedRemovalError) as exc:
        return _fail(str(exc))
    print(f"removed {removed} article{'' if removed == 1 else 's'} of {feed.name}")
    if starred:
        print(f"kept {starred} starred article{'' if starred == 1 else 's'} of {feed.name}")
    return EXIT_OK


def _forget(config: Config, store: Store, feed: SyncedFeed, built_in: bool) -> tuple[int, int]:
    """The feed out of the store's list of server feeds, its articles out of the store (and
    its ``[[feeds]]`` entry out of the configuration); how many went, how many starred stay."""
    assert config.sync is not None
    account = store.synced.find(config.sync.account)
    if account is not None:
        kept = [f for f in store.synced.feeds(config.sync.account) if f.id != feed.id]
        store.synced.save_feeds(account.account, kept)
    if feed.name in {entry.name for entry in config.feeds}:
        done = remove_configured_feed(config, store, feed.name, built_in=built_in)
        print(f"removed feed {feed.name} from {done.target}")
        return done.removed, done.kept_starred
    starred = store.article_count(feed=feed.name, starred_only=True)
    return store.remove_articles(feed.name), starred


def _backend(config: Config, data_dir: Path) -> Backend:
    from biotui.sync.connect import open_backend

    return open_backend(config.sync, data_dir)


def _fail(message: str, status: int = EXIT_ERROR) -> int:
    print(f"biotui: {message}", file=sys.stderr)
    return status
