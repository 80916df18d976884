"""``biotui add URL``: a feed, or the feed a web page names, into the configuration and store.

Everything is fetched and parsed before anything is written: a URL that yields no feed
changes nothing. The feed's first fetch is also its first refresh (its articles are stored
from the bytes already fetched), so adding from a page costs one page fetch and one feed fetch.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from biotui.cli.configwrite import merge_feeds, rebase_paths, unique_name, write_atomically
from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.cli.importing import BUILT_IN
from biotui.config import load_config
from biotui.errors import ConfigError, SourceError
from biotui.feedlist import ImportedFeed, url_key
from biotui.feedlist.urls import check_url
from biotui.model import Config, FeedStatus
from biotui.paths import APP_NAME, CONFIG_FILE
from biotui.plaintext import clean_text
from biotui.refresh.http import FetchResult, HttpClient, fetch
from biotui.sources import FeedParseResult, discover, parse_feed
from biotui.store import Store


@dataclass(frozen=True, slots=True)
class AddRequest:
    """What ``biotui add`` was asked: the URL, the name and tags to give, the feed to pick."""

    url: str
    name: str | None = None
    tags: tuple[str, ...] = ()
    pick: int | None = None


@dataclass(frozen=True, slots=True)
class _Found:
    """A feed found: the URL to configure, what fetching it gave, and its title."""

    url: str
    fetched: FetchResult
    title: str


class _NoFeed(Exception):
    """The URL yields no feed; the message is the one line to print."""


def add_feed(config: Config, store: Store, origin: str, request: AddRequest) -> int:
    """Find the feed ``request.url`` names, configure it and store its articles; exit status."""
    checked = check_url(request.url)
    if not checked.url:
        return _fail(f"{clean_text(request.url)[:200]}: {checked.problem}")
    configured = {url_key(feed.url): feed for feed in config.feeds if feed.url is not None}
    known = configured.get(url_key(checked.url))
    if known is not None:
        return _fail(f"already configured as {known.name}: {known.url}")
    try:
        with HttpClient(maxsize=2) as client:
            found = _find(client, checked.url, config.settings.timeout, request.pick)
    except _NoFeed as exc:
        return _fail(str(exc))
    known = configured.get(url_key(found.url))
    if known is not None:
        return _fail(f"already configured as {known.name}: {known.url}")
    wanted = clean_text(request.name or "") or found.title or checked.host
    name = unique_name(wanted, (feed.name for feed in config.feeds))
    tags = tuple(dict.fromkeys(tag for tag in (clean_text(tag) for tag in request.tags) if tag))
    parsed = parse_feed(
        found.fetched.body,
        name,
        url=found.fetched.url,
        content_type=found.fetched.content_type,
        known=frozenset(),
    )
    status = _write_config(config.path, origin, ImportedFeed(name, found.url, tags))
    if status != EXIT_OK:
        return status
    return _store(store, name, found, parsed)


def _find(client: HttpClient, url: str, timeout: float, pick: int | None) -> _Found:
    """The feed at ``url``, or the one the page at ``url`` names (``pick``: which of its links)."""
    try:
        page = fetch(client, url, timeout=timeout)
    except SourceError as exc:
        raise _NoFeed(f"{url}: {exc}") from None
    title = _feed_title(page)
    if title is not None:
        if pick not in (None, 1):
            raise _NoFeed(f"{url} is a feed itself: there is nothing to pick")
        return _Found(url, page, title)
    discovery = discover(page.body, page.url)
    links = discovery.links
    if len(links) > 1:
        print(f"{page.url} offers {len(links)} feeds:")
        for number, link in enumerate(links, 1):
            shown = f"{link.title} " if link.title else ""
            print(f"  {number}. {shown}{link.url}")
    if pick is not None and pick > max(len(links), 1):
        raise _NoFeed(f"--pick {pick}: {url} names {len(links)} feed(s)")
    if pick is not None and links:
        candidates: tuple[str, ...] = (links[pick - 1].url,)
    else:
        candidates = discovery.candidates
    if len(links) > 1:
        print(f"taking {pick or 1}" + ("" if pick else " (choose another with --pick N)"))
    for candidate in candidates:
        try:
            fetched = fetch(client, candidate, timeout=timeout)
        except SourceError:
            continue
        title = _feed_title(fetched)
        if title is not None:
            return _Found(candidate, fetched, title)
    raise _NoFeed(f"{url}: no feed found (neither a feed nor a page naming one)")


def _feed_title(fetched: FetchResult) -> str | None:
    """The feed's title (may be empty) when ``fetched`` holds a feed, else None."""
    try:
        result = parse_feed(fetched.body, "", url=fetched.url, content_type=fetched.content_type)
    except SourceError:
        return None
    return clean_text(result.title)[:200]


def _write_config(config_path: Path, origin: str, feed: ImportedFeed) -> int:
    """Write ``feed`` into the configuration (a copy of the built-in one when that is in use)."""
    try:
        text = config_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"{config_path}: cannot read: {exc}", EXIT_ERROR)
    target = config_path
    if origin == BUILT_IN:
        import platformdirs

        target = Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE
        text = rebase_paths(text, config_path.parent)
        print(f"biotui: copied the built-in configuration to {target}, to add to it")
    result = merge_feeds(text, [feed], [])
    try:
        write_atomically(target, result.text, check=load_config)
    except ConfigError as exc:
        return _fail(f"the new configuration would not load: {exc.problems[0]}", EXIT_ERROR)
    except OSError as exc:
        return _fail(f"{target}: cannot write: {exc.strerror or exc}", EXIT_ERROR)
    for line in result.lines:
        print(line)
    print(f"written to {target}")
    return EXIT_OK


def _store(store: Store, name: str, found: _Found, parsed: FeedParseResult) -> int:
    """Store the articles already fetched, as the feed's first refresh."""
    checked = datetime.now(UTC)
    status = FeedStatus(
        name=name,
        location=found.url,
        etag=found.fetched.etag,
        last_modified=found.fetched.last_modified,
        last_checked=checked,
        last_success=checked,
    )
    counts = store.ingest(name, parsed.articles, status=status, source_hashes=parsed.source_hashes)
    for warning in parsed.warnings:
        print(f"{name}: {warning}")
    print(f"stored {counts.new} article{'' if counts.new == 1 else 's'} of {name}")
    return EXIT_OK


def _fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"biotui: {message}", file=sys.stderr)
    return status
