"""``biotui refresh``: sync with the ``[sync]`` server when there is one (as ``biotui sync``
does: its progress, its summary line, its error as one line and exit status 1, the local
feeds refreshed all the same), then refresh every feed, then print one summary line per feed,
and one for the pages of ``full_text`` feeds (synced ones included, with their first failures)
when there were any.

On a terminal a progress bar (Rich) runs on standard error while the feeds are read, and
another while the pages are fetched; it is imported only here, so the other commands never
load it.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK
from biotui.cli.formatting import format_outcome, page_summary
from biotui.model import Config, Feed
from biotui.plaintext import clean_text

if TYPE_CHECKING:
    from biotui.refresh import FeedOutcome
    from biotui.refresh.pages import PageOutcome
    from biotui.store import Store


def refresh_feeds(config: Config, store: Store, data_dir: Path, *, due_only: bool = False) -> int:
    """Sync (with ``[sync]``, every time), then refresh every configured feed (``due_only``:
    only those due) into ``store`` and print each feed's outcome, then the pages'; with
    nothing due, one line says so. Exit status 1 when the sync failed."""
    from biotui.cli.sync import sync_shown
    from biotui.refresh import refresh_all

    store.check_writable()
    synced = sync_shown(config, store, data_dir)
    status = EXIT_OK if synced is None or synced.error is None else EXIT_ERROR
    feeds = list(config.feeds)
    if due_only:
        from biotui.refresh.schedule import due_feeds
        from biotui.refresh.syncskip import without_synced

        feeds = due_feeds(config, store.feed_statuses(), datetime.now(UTC))
        if not without_synced(config, store, feeds):
            print("no feed is due")
            feeds = [feed for feed in feeds if feed.full_text]  # synced: their pages
        if not feeds:
            _mutes(store)
            _backfill(store)
            return status
    pages: list[PageOutcome] = []
    began = time.monotonic()
    if sys.stderr.isatty():
        outcomes = _refresh_with_progress(config, store, feeds, pages)
    else:
        outcomes = refresh_all(config, store, feeds=feeds, on_page=pages.append)
    for outcome in outcomes:
        print(format_outcome(outcome))
        for warning in outcome.warnings:
            print(f"    {clean_text(warning)}")
    if pages:
        print("\n".join(page_summary(pages)))
    _mutes(store)
    _backfill(store, time.monotonic() - began)
    return status


def _mutes(store: Store) -> None:
    """Work the muted articles out again when the mute rules changed (once, after the feeds:
    until then every listing matches the rules itself), and say so."""
    if store.mutes.rebuild():
        hidden = store.article_count(muted=True)
        print(f"mute rules changed: muted articles worked out again ({hidden:,} hidden)")


def _backfill(store: Store, took_s: float | None = None) -> None:
    """Go on giving the articles stored without identifiers theirs for a bounded time (a
    share of what the refresh took, ``took_s``; None: no feed was refreshed), and say so."""
    from biotui.refresh.backfill import REFRESH_BUDGET_S, backfill_identifiers
    from biotui.refresh.grouping import REFRESH_SHARE

    budget = REFRESH_BUDGET_S if took_s is None else min(REFRESH_BUDGET_S, REFRESH_SHARE * took_s)
    run = backfill_identifiers(store, budget_s=budget)
    if run.done:
        left = "all done" if run.finished else "more left for the next refresh or the app"
        print(f"identifiers found in {run.done:,} articles stored without them ({left})")


def _refresh_with_progress(
    config: Config, store: Store, feeds: list[Feed], pages: list[PageOutcome]
) -> list[FeedOutcome]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    from biotui.refresh import refresh_all

    new = 0
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("Refreshing", total=len(feeds), unit="feeds · 0 new")
        page_task: TaskID | None = None

        def advance(outcome: FeedOutcome) -> None:
            nonlocal new
            new += outcome.counts.new
            progress.update(task, completed=outcome.done, unit=f"feeds · {new} new")

        def page(outcome: PageOutcome) -> None:
            nonlocal page_task
            pages.append(outcome)
            if page_task is None:
                page_task = progress.add_task("Fetching pages", total=outcome.total, unit="pages")
            progress.update(page_task, completed=outcome.done)

        return refresh_all(config, store, feeds=feeds, on_progress=advance, on_page=page)
