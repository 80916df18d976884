"""Fixtures for the sync tests: a store, a configuration with ``[sync]``, a fake server, and a
real Fever server (Coldsweat, from coldsweat.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from biotui.model import Config, SyncConfig
from biotui.store import Store
from sync.fake_backend import FakeBackend

from .coldsweat import coldsweat_server, coldsweat_site

__all__ = ["coldsweat_server", "coldsweat_site", "config", "server", "store"]

SYNC = SyncConfig(kind="greader", url="https://fake.example/api", username="me")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(path=tmp_path / "feeds.toml", sync=SYNC)


@pytest.fixture
def server() -> FakeBackend:
    backend = FakeBackend()
    backend.add_feed("feed/1", "Endpoints News", "https://endpts.example/feed", tags=["biotech"])
    backend.add_feed("feed/2", "STAT", "https://stat.example/feed")
    return backend
