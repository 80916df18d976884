"""Fixtures for the store tests: a fresh store and an article factory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from biotui.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store in a temporary data dir, closed after the test."""
    with Store.open(tmp_path / "data") as opened:
        yield opened
