"""Shared fixtures: every test runs with its own config and data dirs, never the user's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Point every lookup biotui makes (config, data, cwd) at fresh temporary folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.delenv("BIOTUI_CONFIG", raising=False)
    monkeypatch.delenv("BIOTUI_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    yield


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh, empty data directory."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[[str], Path]:
    """Return a function that writes its argument as a feeds.toml and returns the file's path."""

    def write(body: str) -> Path:
        path = tmp_path / "feeds.toml"
        path.write_text(body, encoding="utf-8")
        return path

    return write
