"""The command line's grammar: global options, then a subcommand and its options."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from biotui import __version__


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for ``biotui`` and its subcommands.

    Global options (``--config``, ``--data-dir``, the app's ``--filter``) come before the
    subcommand: ``biotui --data-dir D list --json``.
    """
    parser = argparse.ArgumentParser(
        prog="biotui", description="A terminal news reader for biotech and medicine."
    )
    parser.add_argument("--config", metavar="FILE", help="configuration file (feeds.toml)")
    parser.add_argument("--data-dir", metavar="DIR", help="where the article store lives")
    parser.add_argument("--version", action="version", version=f"biotui {__version__}")
    parser.add_argument("--filter", metavar="Q", default="", help="open the app already filtered")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    refresh_parser = commands.add_parser(
        "refresh", help="fetch and read every source, then print a summary"
    )
    refresh_parser.add_argument(
        "--due", action="store_true", help="only the feeds due by their refresh_every (for cron)"
    )

    commands.add_parser("group", help="group stored articles not in a story yet (after an upgrade)")
    commands.add_parser(
        "sync", help="sync articles and read/starred marks with the feed server of [sync]"
    )

    list_parser = commands.add_parser("list", help="print headlines, newest first")
    list_parser.add_argument("--filter", dest="list_filter", metavar="Q", default="")
    list_parser.add_argument(
        "--search", metavar="NAME", help="a saved search from the configuration, by name"
    )
    list_parser.add_argument("--unread", action="store_true", help="only unread articles")
    list_parser.add_argument(
        "--muted", action="store_true", help="only the articles the [[mute]] rules hide"
    )
    list_parser.add_argument("--limit", type=_positive_int, metavar="N", help="at most N")
    list_parser.add_argument("--json", action="store_true", help="one JSON object per line")
    watching = list_parser.add_mutually_exclusive_group()
    watching.add_argument(
        "--new", action="store_true", help="with --search: only matches stored since the last --new"
    )
    watching.add_argument(
        "--trend", action="store_true", help="with --search: its matches per day, 30 days"
    )
    list_parser.add_argument(
        "--stories", action="store_true", help="one line per story (its earliest article)"
    )

    show_parser = commands.add_parser("show", help="print one article as a reader sees it")
    show_parser.add_argument("id", metavar="ID", help="the article id, as `biotui list` prints it")
    show_format = show_parser.add_mutually_exclusive_group()
    show_format.add_argument("--json", action="store_true", help="print it as one JSON object")
    show_format.add_argument(
        "--markdown", action="store_true", help="print it as a Markdown file with front matter"
    )
    show_parser.add_argument(
        "--full",
        action="store_true",
        help="fetch the article's page (again) and show its full text, stored for later",
    )

    feeds_parser = commands.add_parser("feeds", help="print each feed's status")
    feeds_parser.add_argument("--json", action="store_true", help="one JSON object per line")

    import_parser = commands.add_parser(
        "import", help="add the feeds of an OPML or newsboat urls file to the configuration"
    )
    import_parser.add_argument("file", metavar="FILE", help="an OPML file or a newsboat urls file")
    import_parser.add_argument(
        "--dry-run", action="store_true", help="print what would change, write nothing"
    )
    import_parser.add_argument(
        "--tag", action="append", default=[], metavar="T", help="give every imported feed tag T"
    )

    export_parser = commands.add_parser("export", help="print every URL feed as OPML 2.0")
    export_parser.add_argument("-o", "--output", metavar="FILE", help="write it to FILE")

    _add_options(commands.add_parser("add", help="add a feed, or the feed a web page names"))
    remove_parser = commands.add_parser(
        "remove", help="remove a feed and its articles (starred ones stay)"
    )
    remove_parser.add_argument("name", metavar="NAME", help="the feed's name, as `feeds` prints")
    _mark_options(
        commands.add_parser("mark", help="mark articles read, unread, starred or unstarred")
    )
    _serve_options(commands.add_parser("serve", help="serve the app to a web browser"))
    _vacuum_options(
        commands.add_parser(
            "vacuum", help="remove old read articles (keep_days), compact the store"
        )
    )
    return parser


def _vacuum_options(vacuum_parser: argparse.ArgumentParser) -> None:
    """``vacuum [--keep-days N] [--dry-run] [--json]``."""
    vacuum_parser.add_argument(
        "--keep-days", type=_positive_int, metavar="N", help="instead of keep_days of [settings]"
    )
    vacuum_parser.add_argument(
        "--dry-run", action="store_true", help="say what would be removed, write nothing"
    )
    vacuum_parser.add_argument("--json", action="store_true", help="print one JSON object")


def _serve_options(serve_parser: argparse.ArgumentParser) -> None:
    """``serve [--host H] [--port N]``."""
    serve_parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback)"
    )
    serve_parser.add_argument(
        "--port", type=_port, default=8000, metavar="N", help="port (default 8000; 0: any free)"
    )


def _add_options(add_parser: argparse.ArgumentParser) -> None:
    """``add URL [--name N] [--tag T]... [--pick N] [--local]``."""
    add_parser.add_argument("url", metavar="URL", help="a feed's URL, or a web page naming one")
    add_parser.add_argument("--name", metavar="N", help="the feed's name (default: its title)")
    add_parser.add_argument(
        "--tag", action="append", default=[], metavar="T", help="give the feed tag T (repeatable)"
    )
    add_parser.add_argument(
        "--pick", type=_positive_int, metavar="N", help="when the page names several feeds"
    )
    add_parser.add_argument(
        "--local",
        action="store_true",
        help="with [sync]: add it to biotui only, fetched by biotui (default: on the server)",
    )


def _mark_options(mark_parser: argparse.ArgumentParser) -> None:
    """``mark (--read | --unread | --star | --unstar) (ID... | selectors | --all)``."""
    flag = mark_parser.add_mutually_exclusive_group(required=True)
    for name in ("read", "unread", "star", "unstar"):
        flag.add_argument(f"--{name}", dest="mark_flag", action="store_const", const=name)
    mark_parser.add_argument("ids", nargs="*", metavar="ID", help="article ids, as `list` prints")
    mark_parser.add_argument("--filter", dest="mark_filter", metavar="Q", help="a filter")
    mark_parser.add_argument(
        "--feed", action="append", default=[], metavar="NAME", help="a feed (repeatable)"
    )
    mark_parser.add_argument("--search", metavar="NAME", help="a saved search, by name")
    mark_parser.add_argument("--all", action="store_true", help="every article")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv``; on a usage error argparse prints it and exits with status 2."""
    parser = build_parser()
    args = parser.parse_args(attach_filter_values(argv))
    if args.command == "list" and (args.new or args.trend):
        option = "--new" if args.new else "--trend"
        if args.search is None:
            parser.error(f"list {option} needs --search NAME")
        for other in ("limit", "muted", "unread"):
            if getattr(args, other):
                parser.error(f"list {option} cannot be used with --{other}")
    return args


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be a port number, 0 to 65535")
    return value


def attach_filter_values(argv: Sequence[str]) -> list[str]:
    """Let a filter start with ``-``: ``--filter -oncology`` becomes ``--filter=-oncology``.

    argparse would otherwise take ``-oncology`` for an option and refuse the command.
    """
    joined: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--filter":
            value = next(words, None)
            joined.append(word if value is None else f"--filter={value}")
        else:
            joined.append(word)
    return joined
