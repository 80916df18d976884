"""Fixtures for the app tests: a real Store on a tmp dir, a quiet config, and ``open_app``,
the one way the tests open the app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from app_helpers import OpenApp, watch_messages
from textual.pilot import Pilot

from biotui.app.app import BiotuiApp
from biotui.app.delays import NO_DELAYS
from biotui.model import Config, Settings
from biotui.store import Store

START_TIMEOUT = 60.0
"""Seconds the app may take to show its first headlines before a test fails (a hang guard,
not a timing assertion)."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store in a temporary folder."""
    opened = Store(tmp_path / "data" / "biotui.db")
    yield opened
    opened.close()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A config with no feeds and no refresh on start."""
    return Config(path=tmp_path / "feeds.toml", settings=Settings(refresh_on_start=False))


@pytest.fixture
def open_app(store: Store, config: Config) -> OpenApp:
    """``async with open_app(size=(w, h), ...) as pilot:`` runs the app headless until its
    first headlines (or why there are none) are on screen (workers may still run: call
    ``settle`` or ``until`` for what they bring).

    ``config`` and ``store`` default to the fixtures; ``notifications`` turns toasts on;
    other keywords go to :class:`BiotuiApp`. Delays are zero unless ``delays`` says
    otherwise, so tests wait on events, never on timers.
    """

    @asynccontextmanager
    async def opened(
        *,
        size: tuple[int, int] = (80, 24),
        config: Config = config,
        store: Store = store,
        notifications: bool = False,
        **options: Any,
    ) -> AsyncIterator[Pilot[None]]:
        started = asyncio.Event()
        callback = options.pop("on_started", None)

        def on_started() -> None:
            started.set()
            if callback is not None:
                callback()

        options.setdefault("delays", NO_DELAYS)
        app = BiotuiApp(config, store, on_started=on_started, **options)
        hook = watch_messages(app)
        async with app.run_test(size=size, notifications=notifications, message_hook=hook) as pilot:
            await asyncio.wait_for(started.wait(), START_TIMEOUT)
            await pilot.pause()
            yield pilot

    return opened
