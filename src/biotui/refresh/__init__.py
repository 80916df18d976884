"""Refresh every configured source into the store: fetch, parse, store, record status.

- :mod:`.http`: fetching over HTTP (urllib3), with :mod:`.deadline`, its one deadline;
- :mod:`.outcome`: :class:`FeedOutcome`, what refreshing one feed did;
- :mod:`.tasks`: the typed tasks and results that cross the process boundary;
- :mod:`.worker`: what a parser process runs (it never opens the store);
- :mod:`.pool`: the process pool and its supervisor;
- :mod:`.writer`: the one thread that writes the store during a refresh;
- :mod:`.spool`: the files a body waits in on its way to a worker;
- :mod:`.pages` and :mod:`.page_pool`: an article's page fetched for its full text, and the
  pages of ``full_text`` feeds fetched at the end of a refresh;
- :mod:`.pipeline`: :func:`refresh_all`, tying them together;
- :mod:`.backfill`: the identifiers of articles stored without them, batch after batch (the
  app, ``refresh``, ``group``); :mod:`.enrichment`: which of a refresh's tasks find them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from biotui.refresh.outcome import FeedOutcome, ProgressCallback, StoredCallback

if TYPE_CHECKING:
    from biotui.model import Config, Feed
    from biotui.refresh.page_pool import PageCallback
    from biotui.store import Store

__all__ = ["FeedOutcome", "ProgressCallback", "StoredCallback", "refresh_all"]


def refresh_all(
    config: Config,
    store: Store,
    *,
    feeds: Sequence[Feed] | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    on_stored: StoredCallback | None = None,
    on_page: PageCallback | None = None,
) -> list[FeedOutcome]:
    """Refresh ``feeds`` (default: every configured feed); one outcome per feed finished.

    See :func:`biotui.refresh.pipeline.refresh_all`, imported here on first call: a parser
    process imports this package for :mod:`.worker`, and must load neither the store nor HTTP.
    """
    from biotui.refresh import pipeline

    return pipeline.refresh_all(
        config,
        store,
        feeds=feeds,
        on_progress=on_progress,
        cancel=cancel,
        on_stored=on_stored,
        on_page=on_page,
    )
