"""The ``export_dir`` setting: where the app's ``e`` saves articles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.config import load_config
from biotui.errors import ConfigError
from biotui.paths import export_folder


def test_export_dir_is_absolute_relative_to_the_config_file(
    make_config: Callable[[str], Path], tmp_path: Path
) -> None:
    config = load_config(make_config('[settings]\nexport_dir = "kept/articles"\n'))
    assert config.settings.export_dir == tmp_path / "kept" / "articles"
    assert export_folder(config.settings.export_dir) == tmp_path / "kept" / "articles"


def test_export_dir_expands_the_home_folder(make_config: Callable[[str], Path]) -> None:
    config = load_config(make_config('[settings]\nexport_dir = "~/Clippings"\n'))
    assert config.settings.export_dir == Path.home() / "Clippings"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("3", "must be a folder's path, not an integer"),
        ('""', "must be a folder's path: one line of text, not empty"),
        ('"a\\nb"', "must be a folder's path: one line of text, not empty"),
    ],
)
def test_a_bad_export_dir_is_a_configuration_error(
    make_config: Callable[[str], Path], value: str, problem: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(make_config(f"[settings]\nexport_dir = {value}\n"))
    assert caught.value.problems == [f"feeds.toml: settings.export_dir: {problem}"]


def test_by_default_the_documents_folder_or_else_the_current_one(
    make_config: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(make_config(""))
    assert config.settings.export_dir is None
    documents = tmp_path / "Documents"
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(documents))
    assert export_folder(None) == Path.cwd()  # no documents folder here
    documents.mkdir()
    assert export_folder(None) == documents
