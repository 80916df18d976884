"""``biotui import FILE``: feeds from an OPML or newsboat ``urls`` file into the configuration."""

from __future__ import annotations

import sys
from pathlib import Path

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.config import load_config
from biotui.configwrite import merge_feeds, rebase_paths, write_atomically
from biotui.errors import ConfigError
from biotui.feedlist import FeedListError, read_feed_list_file
from biotui.paths import APP_NAME, CONFIG_FILE
from biotui.plaintext import clean_text

BUILT_IN = "built-in default"
"""The origin :func:`biotui.paths.find_config` gives the configuration shipped with biotui."""


def import_feeds(
    source: str, config_path: Path, origin: str, *, dry_run: bool, tags: list[str]
) -> int:
    """Merge the feeds of ``source`` into the configuration; print a line per feed and a sum.

    The shipped default is never written: it is first copied to the user's configuration
    folder, its relative paths made absolute so that they still reach the bundled files.
    """
    try:
        feed_list = read_feed_list_file(Path(source).expanduser())
    except FeedListError as exc:
        print(f"biotui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    extra = [tag for tag in (clean_text(tag) for tag in tags) if tag]
    target = config_path
    try:
        text = config_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"biotui: {config_path}: cannot read: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if origin == BUILT_IN:
        import platformdirs

        target = Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE
        text = rebase_paths(text, config_path.parent)
        verb = "would copy" if dry_run else "copied"
        print(f"biotui: {verb} the built-in configuration to {target}, to import into it")
    result = merge_feeds(text, feed_list.feeds, extra)
    for line in result.lines:
        print(line)
    for skipped in feed_list.skipped:
        print(f"skipped: {skipped.reason}")
    summary = (
        f"{result.added} added, {result.tagged} given tags, {result.unchanged} already there, "
        f"{len(feed_list.skipped)} skipped"
    )
    if dry_run:
        print(f"{summary} (dry run: {target} not written)")
        return EXIT_OK
    if result.added or result.tagged or target != config_path:
        try:
            write_atomically(target, result.text, check=load_config)
        except ConfigError as exc:
            print(
                f"biotui: the merged configuration would not load: {exc.problems[0]}",
                file=sys.stderr,
            )
            return EXIT_ERROR
        except OSError as exc:
            print(f"biotui: {target}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_ERROR
    print(f"{summary}; written to {target}")
    return EXIT_OK
