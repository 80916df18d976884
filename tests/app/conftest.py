"""Fixtures for the app tests: a real Store on a tmp dir and a quiet config."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from biotui.app.app import BiotuiApp
from biotui.model import Config, Settings
from biotui.store import Store


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
def make_app(store: Store, config: Config) -> Callable[..., BiotuiApp]:
    """Build the app over the test store (``initial_filter`` may be passed)."""

    def build(initial_filter: str = "") -> BiotuiApp:
        return BiotuiApp(config, store, initial_filter=initial_filter)

    return build
