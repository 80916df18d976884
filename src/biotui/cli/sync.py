"""``biotui sync``: sync with the feed server of ``[sync]``, then print one summary line.

On a terminal a progress bar (Rich) runs on standard error; otherwise each step and each page
stored is a plain line there. A sync that fails prints its summary, then the one-line error,
and exits 1; what it stored is kept and the next sync goes on from there. ``biotui refresh``
syncs the same way (:func:`sync_shown`) before it refreshes the local feeds.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.model import Config

if TYPE_CHECKING:
    from biotui.store import Store
    from biotui.sync.outcome import SyncOutcome, SyncProgress

NO_SYNC = (
    "biotui: no [sync] table in {path}: add one (kind, url, username, password_command)"
    ' to sync with a feed server; see the README\'s "Sync with a server"'
)


def sync_feeds(config: Config, store: Store, data_dir: Path) -> int:
    """Run one sync and say what it did."""
    if config.sync is None:
        print(NO_SYNC.format(path=config.path), file=sys.stderr)
        return EXIT_USAGE
    store.check_writable()
    outcome = sync_shown(config, store, data_dir)
    return EXIT_OK if outcome is None or outcome.error is None else EXIT_ERROR


def sync_shown(config: Config, store: Store, data_dir: Path) -> SyncOutcome | None:
    """Sync with the server of ``[sync]`` (None when there is none), its progress on standard
    error, then its summary line on standard output and its error, if any, as one line on
    standard error."""
    if config.sync is None:
        return None
    if sys.stderr.isatty():
        outcome = _sync_with_progress(config, store, data_dir)
    else:
        outcome = _sync_plainly(config, store, data_dir)
    if outcome is None:
        return None
    print(outcome.summary, flush=True)
    if outcome.error is not None:
        print(f"biotui: {outcome.error}", file=sys.stderr, flush=True)
    return outcome


def _sync_plainly(config: Config, store: Store, data_dir: Path) -> SyncOutcome | None:
    from biotui.sync.run import run_sync

    def say(progress: SyncProgress) -> None:
        print(progress.line, file=sys.stderr, flush=True)

    return run_sync(config, store, data_dir, on_progress=say)


def _sync_with_progress(config: Config, store: Store, data_dir: Path) -> SyncOutcome | None:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    from biotui.sync.run import run_sync
    from biotui.sync.transport import server_name

    assert config.sync is not None
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"Syncing with {server_name(config.sync.url)}", total=None)

        def advance(step: SyncProgress) -> None:
            progress.update(task, description=step.line)

        return run_sync(config, store, data_dir, on_progress=advance)
