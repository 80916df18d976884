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
from biotui.config import load_config
from biotui.configwrite import drop_feed, rebase_paths, write_atomically
from biotui.errors import ConfigError
from biotui.model import Config
from biotui.paths import APP_NAME, CONFIG_FILE
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
        text = config_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"{config_path}: cannot read: {exc}", EXIT_ERROR)
    target = config_path
    if origin == BUILT_IN:
        import platformdirs

        target = Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE
        text = rebase_paths(text, config_path.parent)
        print(f"biotui: copied the built-in configuration to {target}, to remove from it")
    changed = drop_feed(text, name)
    if changed is None:
        return _fail(f"no feed named {name!r} in {config_path}", EXIT_USAGE)
    try:
        write_atomically(target, changed, check=load_config)
    except ConfigError as exc:
        return _fail(f"the new configuration would not load: {exc.problems[0]}", EXIT_ERROR)
    except OSError as exc:
        return _fail(f"{target}: cannot write: {exc.strerror or exc}", EXIT_ERROR)
    print(f"removed feed {name} from {target}")
    return EXIT_OK


def _fail(message: str, status: int) -> int:
    print(f"biotui: {message}", file=sys.stderr)
    return status
