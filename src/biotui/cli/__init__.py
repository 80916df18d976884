"""The ``biotui`` command: the reader app and its subcommands refresh, list, show, feeds, mark.

Global options come before the subcommand: ``biotui --config FILE --data-dir DIR list --json``.
Each command lives in its own module; the app and the refresh (Textual, Rich, the parsers)
are imported only by the commands that run them, so ``biotui list`` stays light.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from biotui.cli.allocator import one_arena
from biotui.cli.exitcodes import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from biotui.cli.feeds import print_feeds
from biotui.cli.listing import list_filter, list_headlines
from biotui.cli.parser import parse_args
from biotui.cli.show import show_article
from biotui.config import load_config
from biotui.errors import BiotuiError, ConfigError, QueryError
from biotui.model import Config
from biotui.paths import find_config, find_data_dir

__all__ = ["main", "run"]

PICK_NEEDS_LOCAL = (
    "biotui: add --pick chooses among a page's feeds when biotui adds the feed itself"
    " (add --local); the [sync] server finds a page's feed on its own"
)


def run() -> NoReturn:
    """The ``biotui`` console script: :func:`main` with the process arguments, in a process
    that keeps one allocator arena (set before its first thread)."""
    one_arena()
    sys.exit(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run biotui with ``argv`` (default: the process arguments); return the exit status.

    Every error is one line on standard error: a wrong configuration, filter or saved
    search exits 2, a store that cannot be read or written 1, Ctrl-C 130, and a reader
    that went away (``biotui list | head``) ends the command quietly.
    """
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        config_path, origin = find_config(args.config)
        config = load_config(config_path)
        if args.command in ("import", "export"):
            status = _feed_list_command(args, config, config_path, origin)
            sys.stdout.flush()
            return status
        data_dir = find_data_dir(args.data_dir)
        if args.command == "add":
            status = _add_command(args, config, data_dir, origin)
            sys.stdout.flush()
            return status
        if args.command == "remove":
            status = _remove_command(args, config, data_dir, origin)
            sys.stdout.flush()
            return status
        if args.command == "serve":
            return _serve_command(args, data_dir)
        status = _dispatch(args, config, data_dir)
        sys.stdout.flush()
        return status
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"biotui: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except QueryError as exc:
        print(f"biotui: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BiotuiError as exc:
        print(f"biotui: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _discard_output()
        return EXIT_OK


def _dispatch(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    from biotui.store import Store

    with Store.open(data_dir) as store:
        if config.mutes:
            from biotui.search import mute_queries

            store.set_mute(mute_queries(rule.query for rule in config.mutes))
        if args.command is None:
            from biotui.cli.app import run_app

            return run_app(config, store, args.filter, data_dir)
        if args.command == "refresh":
            from biotui.cli.refresh import refresh_feeds

            return refresh_feeds(config, store, data_dir, due_only=args.due)
        if args.command == "sync":
            from biotui.cli.sync import sync_feeds

            return sync_feeds(config, store, data_dir)
        if args.command == "vacuum":
            from biotui.cli.vacuum import vacuum_store

            return vacuum_store(
                config, store, args.keep_days, dry_run=args.dry_run, as_json=args.json
            )
        if args.command == "group":
            from biotui.cli.group import group_stories

            return group_stories(store)
        if args.command == "list" and (args.new or args.trend):
            from biotui.cli.watching import list_new, list_trend

            watch = list_new if args.new else list_trend
            return watch(config, store, args.search, args.list_filter, as_json=args.json)
        if args.command == "list":
            text = list_filter(config, args.list_filter, args.search)
            if args.stories:
                from biotui.cli.stories import list_stories

                return list_stories(
                    store,
                    text,
                    unread=args.unread,
                    limit=args.limit,
                    as_json=args.json,
                    muted=args.muted,
                )
            return list_headlines(
                store,
                text,
                unread=args.unread,
                limit=args.limit,
                as_json=args.json,
                muted=args.muted,
            )
        if args.command == "show" and args.full:
            from biotui.cli.show_full import show_full_article

            return show_full_article(
                config, store, args.id, as_json=args.json, as_markdown=args.markdown
            )
        if args.command == "show":
            return show_article(store, args.id, as_json=args.json, as_markdown=args.markdown)
        if args.command == "feeds":
            return print_feeds(config, store, as_json=args.json)
        if args.command == "mark":
            from biotui.cli.mark import MarkRequest, mark_articles

            request = MarkRequest(
                args.mark_flag,
                tuple(args.ids),
                args.mark_filter,
                tuple(args.feed),
                args.search,
                args.all,
            )
            return mark_articles(config, store, request)
        raise AssertionError(args.command)


def _feed_list_command(
    args: argparse.Namespace, config: Config, config_path: Path, origin: str
) -> int:
    """Import or export: the configuration only, no store."""
    if args.command == "export":
        from biotui.cli.exporting import export_feeds

        return export_feeds(config, args.output)
    from biotui.cli.importing import import_feeds

    return import_feeds(args.file, config_path, origin, dry_run=args.dry_run, tags=args.tag)


def _add_command(args: argparse.Namespace, config: Config, data_dir: Path, origin: str) -> int:
    """Add a feed: the configuration and the store."""
    from biotui.cli.add import AddRequest, add_feed
    from biotui.store import Store

    request = AddRequest(args.url, args.name, tuple(args.tag), args.pick)
    with Store.open(data_dir) as store:
        if config.sync is not None and not args.local:
            from biotui.cli.server_feeds import subscribe_feed

            if args.pick is not None:
                print(PICK_NEEDS_LOCAL, file=sys.stderr)
                return EXIT_USAGE
            return subscribe_feed(config, store, data_dir, args.url, args.name, args.tag)
        return add_feed(config, store, origin, request)


def _remove_command(args: argparse.Namespace, config: Config, data_dir: Path, origin: str) -> int:
    """Remove a feed: the configuration and the store."""
    from biotui.cli.remove import remove_feed
    from biotui.store import Store

    with Store.open(data_dir) as store:
        if config.sync is not None:
            from biotui.cli.importing import BUILT_IN
            from biotui.cli.server_feeds import synced_feed, unsubscribe_feed

            feed = synced_feed(config, store, args.name)
            if feed is not None:
                built_in = origin == BUILT_IN
                return unsubscribe_feed(config, store, data_dir, built_in, feed)
        return remove_feed(config, store, origin, args.name)


def _serve_command(args: argparse.Namespace, data_dir: Path) -> int:
    """Serve the app to browsers; the store is opened (made or upgraded) once first, so that
    a store that cannot be used is one line here, not an error in every tab."""
    from biotui.cli.serve import serve_app
    from biotui.store import Store

    Store.open(data_dir).close()
    return serve_app(args, data_dir)


def _discard_output() -> None:
    """Point standard output at the null device once its reader has gone, so that the
    interpreter's last flush of what is still buffered has nowhere to fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
