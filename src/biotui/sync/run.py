"""One sync from start to end for a caller that is not about the sync itself (``biotui
refresh``, the app's refresh): open the ``[sync]`` server's backend, sync, close. A backend
that cannot be opened (no password, an unknown protocol) is the outcome's error line, as any
other sync failure is."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from biotui.errors import BiotuiError
from biotui.model import Config
from biotui.sync.outcome import ProgressCallback, SyncOutcome

if TYPE_CHECKING:
    from biotui.store import Store

__all__ = ["run_sync"]


def run_sync(
    config: Config,
    store: Store,
    data_dir: Path,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> SyncOutcome | None:
    """Sync with the server of ``config.sync``; None when there is no ``[sync]``."""
    if config.sync is None:
        return None
    from biotui.sync.connect import open_backend
    from biotui.sync.engine import sync
    from biotui.sync.transport import server_name

    try:
        backend = open_backend(config.sync, data_dir)
    except BiotuiError as exc:
        return SyncOutcome(server_name(config.sync.url), error=str(exc))
    try:
        return sync(config, store, backend, on_progress=on_progress, cancel=cancel)
    finally:
        backend.close()
