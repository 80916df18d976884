"""Fixtures of the ``biotui serve`` tests: a store holding the bundled clippings and a
running server over it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_helpers import REPO_NEWS, Served, start_server, stop_server


@pytest.fixture(scope="module")
def clippings_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A configuration (no refresh on start) and a store holding the bundled clippings."""
    folder = tmp_path_factory.mktemp("served")
    config = folder / "feeds.toml"
    config.write_text(
        "[settings]\nrefresh_on_start = false\n\n"
        f'[[feeds]]\nname = "Clippings"\npath = "{REPO_NEWS}"\n',
        encoding="utf-8",
    )
    data = folder / "data"
    base = [sys.executable, "-m", "biotui", "--config", str(config), "--data-dir", str(data)]
    subprocess.run([*base, "refresh"], check=True, capture_output=True)
    return config, data


@pytest.fixture(scope="module")
def served(clippings_store: tuple[Path, Path]) -> Iterator[Served]:
    """A running ``biotui serve`` over the clippings, for the module's tests (each closes the
    tabs it opens); stopped at the end."""
    server = start_server(*clippings_store)
    yield server
    stop_server(server.process)
