"""``biotui import FILE``: feeds from an OPML or newsboat ``urls`` file into the configuration."""

from __future__ import annotations

import sys
from pathlib import Path

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.configwrite import ConfigWriteError, merge_feeds, read_for_edit, write_config
from biotui.feedlist import FeedListError, read_feed_list_file
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
    try:
        text, target = read_for_edit(config_path, built_in=origin == BUILT_IN)
    except ConfigWriteError as exc:
        print(f"biotui: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if target != config_path:
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
            write_config(target, result.text)
        except ConfigWriteError as exc:
            print(f"biotui: {exc}", file=sys.stderr)
            return EXIT_ERROR
    print(f"{summary}; written to {target}")
    return EXIT_OK
