"""``biotui sync``: sync with the feed server of ``[sync]``, then print one summary line.

On a terminal a progress bar (Rich) runs on standard error; otherwise each step and each page
stored is a plain line there. A sync that fails prints its summary, then the one-line error,
and exits 1; what it stored is kept and the next sync goes on from there.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from biotui.cli.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from biotui.model import Config

if TYPE_CHECKING:
    from biotui.store import Store
    from biotui.sync.backend import Backend
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
    from biotui.sync.connect import open_backend

    store.check_writable()
    backend = open_backend(config.sync, data_dir)
    try:
        if sys.stderr.isatty():
            outcome = _sync_with_progress(config, store, backend)
        else:
            outcome = _sync_plainly(config, store, backend)
    finally:
        backend.close()
    print(outcome.summary)
    if outcome.error is not None:
        print(f"biotui: {outcome.error}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _sync_plainly(config: Config, store: Store, backend: Backend) -> SyncOutcome:
    from biotui.sync.engine import sync

    def say(progress: SyncProgress) -> None:
        print(progress.line, file=sys.stderr, flush=True)

    return sync(config, store, backend, on_progress=say)


def _sync_with_progress(config: Config, store: Store, backend: Backend) -> SyncOutcome:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    from biotui.sync.engine import sync

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"Syncing with {backend.server}", total=None)

        def advance(step: SyncProgress) -> None:
            progress.update(task, description=step.line)

        return sync(config, store, backend, on_progress=advance)
