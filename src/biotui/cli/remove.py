"""``biotui remove NAME``: a feed out of the configuration, and its articles out of the store.

The configuration is written first (atomically, the rest of it kept as written), then the
feed's articles are removed from the store, except starred ones, which stay readable. The
store keeps a tombstone of each removed article, so that adding the feed again does not bring
them back as new.
"""

from __future__ import annotations

import sys
from pathlib import Path

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.cli.importing import BUILT_IN
from biotui.configwrite import ConfigWriteError, drop_feed, read_for_edit, write_config
from biotui.model import Config
from biotui.plaintext import clean_text
from biotui.store import Store


def remove_feed(config: Config, store: Store, origin: str, name: str) -> int:
    """Remove feed ``name`` from the configuration, then its unstarred articles from the
    store; print what went; the exit status."""
    if name not in {feed.name for feed in config.feeds}:
        return _fail(f"no feed named {clean_text(name)[:200]!r} in {config.path}", EXIT_USAGE)
    starred = store.article_count(feed=name, starred_only=True)
    status = _write_config(config.path, origin, name)
    if status != EXIT_OK:
        return status
    removed = store.remove_articles(name)
    print(f"removed {removed} article{'' if removed == 1 else 's'} of {name}")
    if starred:
        print(f"kept {starred} starred article{'' if starred == 1 else 's'} of {name}")
    return EXIT_OK


def _write_config(config_path: Path, origin: str, name: str) -> int:
    """Write the configuration without feed ``name`` (a copy of the built-in one when that
    is in use)."""
    try:
        text, target = read_for_edit(config_path, built_in=origin == BUILT_IN)
    except ConfigWriteError as exc:
        return _fail(str(exc), EXIT_ERROR)
    if target != config_path:
        print(f"biotui: copied the built-in configuration to {target}, to remove from it")
    changed = drop_feed(text, name)
    if changed is None:
        return _fail(f"no feed named {name!r} in {config_path}", EXIT_USAGE)
    try:
        write_config(target, changed)
    except ConfigWriteError as exc:
        return _fail(str(exc), EXIT_ERROR)
    print(f"removed feed {name} from {target}")
    return EXIT_OK


def _fail(message: str, status: int) -> int:
    print(f"biotui: {message}", file=sys.stderr)
    return status
