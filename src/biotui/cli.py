"""The ``biotui`` command: the reader app and its subcommands refresh, list, show and feeds.

Global options come before the subcommand: ``biotui --config FILE --data-dir DIR list --json``.
Heavy imports (Textual, Rich) happen only inside the commands that need them, so that
``biotui list`` starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from biotui import __version__
from biotui.config import load_config
from biotui.errors import BiotuiError, ConfigError, QueryError
from biotui.model import Article, Config, Headline
from biotui.paths import find_config, find_data_dir
from biotui.plaintext import clean_multiline, clean_text

if TYPE_CHECKING:
    from biotui.refresh import FeedOutcome
    from biotui.store import IndexQuery, Store

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, given the terminal's width: left to find it, argparse
    imports shutil (and its compression modules) at every start, 6–8 ms here (it makes a
    formatter for every argument it is given)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, width or _columns() - 2)


class _Parser(argparse.ArgumentParser):
    """An argument parser with :class:`_HelpFormatter`; its subcommands' parsers are too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def _columns() -> int:
    """The terminal's width as shutil.get_terminal_size finds it: $COLUMNS, the terminal on
    standard output, else 80."""
    with contextlib.suppress(KeyError, ValueError):
        if columns := int(os.environ["COLUMNS"]):
            return columns
    with contextlib.suppress(AttributeError, ValueError, OSError):
        if columns := os.get_terminal_size(sys.__stdout__.fileno()).columns:  # type: ignore[union-attr]
            return columns
    return 80


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for ``biotui`` and its subcommands."""
    parser = _Parser(prog="biotui", description="A terminal news reader for biotech and medicine.")
    parser.add_argument("--config", metavar="FILE", help="configuration file (feeds.toml)")
    parser.add_argument("--data-dir", metavar="DIR", help="where the article store lives")
    parser.add_argument("--version", action="version", version=f"biotui {__version__}")
    parser.add_argument("--filter", metavar="Q", default="", help="open the app already filtered")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("refresh", help="fetch and read every source, then print a summary")

    list_parser = commands.add_parser("list", help="print headlines, newest first")
    list_parser.add_argument("--filter", dest="list_filter", metavar="Q", default="")
    list_parser.add_argument(
        "--search", metavar="NAME", help="a saved search from the configuration, by name"
    )
    list_parser.add_argument("--unread", action="store_true", help="only unread articles")
    list_parser.add_argument("--limit", type=_positive_int, metavar="N", help="at most N")
    list_parser.add_argument("--json", action="store_true", help="one JSON object per line")

    show_parser = commands.add_parser("show", help="print one article as a reader sees it")
    show_parser.add_argument("id", metavar="ID", help="the article id, as `biotui list` prints it")
    show_parser.add_argument("--json", action="store_true", help="print it as one JSON object")

    feeds_parser = commands.add_parser("feeds", help="print each feed's status")
    feeds_parser.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _attach_filter_values(argv: Sequence[str]) -> list[str]:
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


def run() -> NoReturn:
    """The ``biotui`` command: :func:`main`, then a quick exit with its status.

    Once the output is flushed, the process leaves without the interpreter's teardown of
    every module (about 40 ms here, a sixth of a ``biotui list``). Nothing is lost: every
    write was committed before :func:`main` returned (SQLite needs no goodbye), and worker
    processes stop when their input closes.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe or stream: nothing more can be said.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run biotui with ``argv`` (default: the process arguments); return the exit status."""
    words = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(_attach_filter_values(words))
    try:
        config_path, _origin = find_config(args.config)
        config = load_config(config_path)
        data_dir = find_data_dir(args.data_dir)
        return _dispatch(args, config, data_dir)
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
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


def _dispatch(args: argparse.Namespace, config: Config, data_dir: Path) -> int:
    from biotui.store import Store

    store = Store.open(data_dir)
    try:
        if args.command is None:
            return _run_app(config, store, args.filter, data_dir)
        if args.command == "refresh":
            return _refresh(config, store)
        if args.command == "list":
            text = args.list_filter
            if args.search is not None:
                saved = saved_search_query(config, args.search)
                text = f"({saved}) ({text})" if text.strip() else saved
            return _list(store, text, args.unread, args.limit, args.json)
        if args.command == "show":
            return _show(store, args.id, args.json)
        if args.command == "feeds":
            return _feeds(config, store, args.json)
        raise AssertionError(args.command)
    finally:
        store.close()


def _run_app(config: Config, store: Store, initial_filter: str, data_dir: Path) -> int:
    """Start the first query, then import and run the app.

    The query reads in a thread (SQLite lets go of the GIL) while Textual is imported, so the
    first frame can show headlines; with ``instant_start`` on a terminal, the thread draws
    them at once in the app's recorded look (the start frame), or the app records that look
    for the next start when there is no record for this terminal yet. The cyclic garbage collector
    is off until then: start-up makes tens of thousands of long-lived objects and no garbage
    worth a collection; then they are frozen out of later collections, which keeps pauses
    short while typing.
    """
    from biotui.app.queries import FirstHeadlines, Headlines
    from biotui.app.startframe import StartPainter, may_draw_early

    early = config.settings.instant_start and not initial_filter and may_draw_early()
    painter = StartPainter.for_terminal(data_dir) if early else None

    def draw_early(headlines: Headlines) -> None:
        assert painter is not None
        if headlines.rows:
            painter.paint(headlines.rows[: painter.frame.list_height])

    first = FirstHeadlines(store, initial_filter, on_read=draw_early if painter else None)
    was_enabled = gc.isenabled()
    gc.disable()

    def started() -> None:
        gc.freeze()
        if was_enabled:
            gc.enable()

    try:
        from biotui.app.app import BiotuiApp

        app = BiotuiApp(
            config,
            store,
            initial_filter=initial_filter,
            first_headlines=first,
            on_started=started,
            # A record for this terminal was found: the app's first screen is that one.
            start_frame_dir=data_dir if early and painter is None else None,
            painter=painter,
        )
        app.run()
    finally:
        if painter is not None:
            painter.close()
        if was_enabled:
            gc.enable()
    return EXIT_OK


def _refresh(config: Config, store: Store) -> int:
    from biotui.refresh import refresh_all

    store.check_writable()
    if sys.stderr.isatty():
        outcomes = _refresh_with_progress(config, store)
    else:
        outcomes = refresh_all(config, store)
    for outcome in outcomes:
        print(format_outcome(outcome))
        for warning in outcome.warnings:
            print(f"    {clean_text(warning)}")
    return EXIT_OK


def _refresh_with_progress(config: Config, store: Store) -> list[FeedOutcome]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from biotui.refresh import refresh_all

    new = 0
    columns = (
        TextColumn("Refreshing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("feeds · {task.fields[new]} new"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("refresh", total=len(config.feeds), new=0)

        def advance(outcome: FeedOutcome) -> None:
            nonlocal new
            new += outcome.counts.new
            progress.update(task, completed=outcome.done, new=new)

        return refresh_all(config, store, on_progress=advance)


def format_outcome(outcome: FeedOutcome) -> str:
    """One summary line for a refreshed feed: new, updated, or the error."""
    name = clean_text(outcome.feed)
    if outcome.error is not None:
        return f"✗ {name}: {clean_text(outcome.error)}"
    if outcome.not_modified:
        return f"= {name}: not modified"
    counts = outcome.counts
    return f"✓ {name}: {counts.new} new, {counts.updated} updated"


def _compile_filter(text: str) -> IndexQuery | None:
    """Compile a filter for the CLI; a malformed one raises QueryError (exit status 2)."""
    from biotui.search import compile_query

    try:
        return compile_query(text).query
    except QueryError as exc:
        raise QueryError(f"filter {text!r}: {exc}") from None


def saved_search_query(config: Config, name: str) -> str:
    """The query of the saved search called ``name`` (any case); QueryError if there is none."""
    for search in config.searches:
        if search.name.casefold() == name.strip().casefold():
            return search.query
    known = ", ".join(repr(search.name) for search in config.searches) or "none configured"
    raise QueryError(f"no saved search named {name!r} (saved searches: {known})")


def _list(store: Store, text: str, unread: bool, limit: int | None, as_json: bool) -> int:
    query = _compile_filter(text) if text.strip() else None
    rowids = store.headline_ids(query, unread_only=unread)
    if limit is not None:
        rowids = rowids[:limit]
    out = sys.stdout
    page = 2000
    for start in range(0, len(rowids), page):
        chunk = rowids[start : start + page]
        if as_json:
            lines = store.headline_json_lines(chunk)
        else:
            lines = [format_headline(headline) for headline in store.headlines(chunk)]
        out.write("".join([line + "\n" for line in lines]))
    return EXIT_OK


def format_headline(headline: Headline) -> str:
    """One plain-text line for ``biotui list``: id, markers, date, source, title."""
    marker = ("*" if headline.starred else " ") + (" " if headline.read else "N")
    date = f"{headline.published:%Y-%m-%d}" if headline.published else " " * 10
    source = clean_text(headline.source or headline.feed)[:24]
    return f"{headline.id}  {marker} {date}  {source:<24}  {clean_text(headline.title)}"


def _show(store: Store, article_id: str, as_json: bool) -> int:
    article = store.article(article_id.strip())
    if article is None:
        print(f"biotui: no article with id {clean_text(article_id)!r}", file=sys.stderr)
        return EXIT_ERROR
    if as_json:
        print(json.dumps(article_json(article), ensure_ascii=False))
    else:
        write_article(article, sys.stdout)
    return EXIT_OK


def article_json(article: Article) -> dict[str, Any]:
    """The JSON record ``biotui show --json`` prints."""
    return {
        "id": article.id,
        "feed": article.feed,
        "title": article.title,
        "link": article.link,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "source": article.source,
        "source_title": article.source_title,
        "section": article.section,
        "place": article.place,
        "credits": list(article.credits),
        "body": article.body,
        "notes": list(article.notes),
        "read": article.read,
        "starred": article.starred,
    }


def metadata_line(article: Article) -> str:
    """``source · author · date · link``, leaving out what the article lacks."""
    date = f"{article.published:%Y-%m-%d}" if article.published else ""
    parts = [article.source or article.feed, article.author, date, article.link]
    return " · ".join(clean_text(part) for part in parts if part)


def source_lines(article: Article) -> list[str]:
    """The lines of an article's Source section."""
    rows = [
        ("Publisher", article.source),
        ("Original headline", article.source_title),
        ("Section", article.section),
        ("Dateline", article.place),
        ("Feed", article.feed),
        ("Link", article.link),
    ]
    return [f"{label}: {clean_text(value)}" for label, value in rows if value]


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def _unescape_markdown(body: str) -> str:
    """The body as a reader reads it: Markdown's backslash escapes (``\\[``) dropped."""
    return _MARKDOWN_ESCAPE.sub(r"\1", body)


def write_article(article: Article, out: TextIO) -> None:
    """Write the article as a reader sees it: title, metadata, body, Source and Credits."""
    out.write(f"{clean_text(article.title)}\n{metadata_line(article)}\n\n")
    out.write(_unescape_markdown(clean_multiline(article.body)).strip() + "\n")
    for note in article.notes:
        out.write(f"\nNote: {clean_text(note)}\n")
    out.write("\nSource\n------\n")
    out.write("\n".join(source_lines(article)) + "\n")
    if article.credits:
        out.write("\nCredits\n-------\n")
        out.write("\n".join(clean_text(credit) for credit in article.credits) + "\n")


def _feeds(config: Config, store: Store, as_json: bool) -> int:
    statuses = {status.name: status for status in store.feed_statuses()}
    counts = store.counts()
    for feed in config.feeds:
        status = statuses.get(feed.name)
        total, unread = counts.get(feed.name, (0, 0))
        error = status.last_error if status else None
        checked = status.last_success if status else None
        if as_json:
            record = {
                "name": feed.name,
                "location": feed.location,
                "articles": total,
                "unread": unread,
                "last_success": checked.isoformat() if checked else None,
                "last_error": error,
            }
            print(json.dumps(record, ensure_ascii=False))
            continue
        when = f"{checked:%Y-%m-%d %H:%M}" if checked else "never"
        line = f"{clean_text(feed.name)}: {total} articles, {unread} unread, refreshed {when}"
        print(line + (f" — error: {clean_text(error)}" if error else ""))
    return EXIT_OK
