"""What a parser process runs: a task in, a result out. Workers never open the store.

Imports only the readers (:mod:`biotui.sources`), the pure recognisers of identifiers and
stories (:mod:`biotui.refresh.grouping`) and plain records, so that a worker loads quickly and
cannot write anything by mistake. The worker also finds the identifiers and story features
of the articles it read, unless its task says not to enrich: CPU work kept off the one
writer. Any exception becomes a one-line :class:`~biotui.refresh.tasks.Unreadable`, never a
traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from biotui.errors import SourceError
from biotui.identifiers import Identifier, find_identifiers
from biotui.model import Article
from biotui.plaintext import clean_text
from biotui.refresh.tasks import (
    FeedTask,
    FileTask,
    Grouping,
    PageTask,
    Parsed,
    Result,
    Task,
    Unreadable,
)
from biotui.sources.pagetext import PageText

NICENESS = 10
"""How much lower than its parent's a worker's scheduling priority is: when the cores are
busy, the app drawing the screen and the threads fetching go first."""

_WARM_UP_FEED = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>w</title><item>"
    b"<guid>w</guid><title>w</title><description>&lt;p&gt;&lt;a href='https://w.example/'&gt;"
    b"w&lt;/a&gt; *w*&lt;/p&gt;</description></item></channel></rss>"
)


def initialize() -> None:
    """Set a worker up: interrupts are the parent's business, lower priority, no warnings,
    and its output goes nowhere (it shares the app's terminal, which Textual draws)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (1, 2):
        os.dup2(devnull, stream)
    os.close(devnull)
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no nice() here
        os.nice(NICENESS)
    warnings.simplefilter("ignore")


def warm_up() -> None:
    """Load the feed-reading stack and read one tiny feed, while the refresh waits for the
    network: the first real feed does not pay for it."""
    from biotui.sources import parse_feed

    with contextlib.suppress(Exception):
        parse_feed(_WARM_UP_FEED, "warm-up", url="https://w.example/")


def run(task: Task) -> Result:
    """Read what ``task`` names; a document that cannot be read is :class:`Unreadable` (a
    page never is: it gives a :class:`~biotui.sources.PageText`, with a reason if need be)."""
    try:
        if isinstance(task, PageTask):
            return _extract_page(task)
        parsed = _parse_feed(task) if isinstance(task, FeedTask) else _read_file(task)
        if not task.enrich:
            return parsed
        identifiers = identifiers_of(parsed.articles)
        groupings = _group(parsed.articles, identifiers)
        return replace(parsed, identifiers=identifiers, groupings=groupings)
    except SourceError as exc:
        if isinstance(task, PageTask):
            return _page_failure(exc)
        return Unreadable(clean_text(str(exc))[:500])
    except Exception as exc:  # a reader's bug on odd input must stay one document's error
        if isinstance(task, PageTask):
            return _page_failure(exc)
        what = f"{task.path}: " if isinstance(task, FileTask) else ""
        reason = f"could not be read ({type(exc).__name__}: {exc})"
        return Unreadable(clean_text(what + reason)[:300])


def identifiers_of(articles: Iterable[Article]) -> dict[str, tuple[Identifier, ...]]:
    """The identifiers each article's title and body name, by article id (none: left out)."""
    found: dict[str, tuple[Identifier, ...]] = {}
    for article in articles:
        identifiers = find_identifiers(article.title, article.body)
        if identifiers:
            found[article.id] = identifiers
        else:
            found.pop(article.id, None)
    return found


def _parse_feed(task: FeedTask) -> Parsed:
    from biotui import sources

    data = b"" if task.body_path is None else Path(task.body_path).read_bytes()
    if task.reader == "trials":
        parsed = sources.parse_trials(data, task.feed)
    elif task.reader == "pubmed":
        parsed = sources.parse_pubmed(data, task.feed)
    else:
        parsed = sources.parse_feed(
            data, task.feed, url=task.url, content_type=task.content_type, known=task.known
        )
    articles = tuple(parsed.articles)
    return Parsed(articles, tuple(parsed.warnings), parsed.source_hashes, parsed.skipped)


def _extract_page(task: PageTask) -> PageText:
    from biotui.sources import extract_page
    from biotui.sources.sanitize import MAX_HTML_CHARS

    data = b""
    if task.body_path is not None:
        with open(task.body_path, "rb") as page:  # what is read of a page at most, and a byte
            data = page.read(MAX_HTML_CHARS + 1)  # more, so it knows it was cut
    return extract_page(data, task.url, task.content_type)


def _read_file(task: FileTask) -> Parsed:
    from biotui.sources import read_file

    notes: list[str] = []
    root = None if task.root is None else Path(task.root)
    articles = read_file(Path(task.path), task.feed, warnings=notes, root=root)
    read = tuple(articles)
    notes_of = tuple(f"{task.path}: {note}" for note in notes)
    return Parsed(read, notes_of)


def _group(
    articles: tuple[Article, ...], identifiers: Mapping[str, tuple[Identifier, ...]]
) -> tuple[Grouping, ...]:
    """The story features of ``articles``, worked out here beside the parse (a worker's
    time, not the writer's), from the identifiers found for the store (found once)."""
    from biotui.refresh.grouping import grouping_of

    return tuple(grouping_of(article, identifiers.get(article.id, ())) for article in articles)


def _page_failure(exc: Exception) -> PageText:
    return PageText(reason=clean_text(f"not a readable page ({type(exc).__name__}: {exc})")[:300])
