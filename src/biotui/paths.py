"""Where biotui finds its configuration and keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "biotui"
CONFIG_ENV = "BIOTUI_CONFIG"
DATA_DIR_ENV = "BIOTUI_DATA_DIR"
CONFIG_FILE = "feeds.toml"


def default_config_path() -> Path:
    """Return the configuration shipped with biotui.

    An installed wheel carries it as package data (``biotui/data/feeds.toml``); a source
    checkout run in place uses the repository's own ``feeds.toml``.
    """
    packaged = Path(__file__).resolve().parent / "data" / CONFIG_FILE
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / CONFIG_FILE


def config_candidates(cli_value: str | None) -> list[tuple[str, Path]]:
    """List the places a configuration may come from, in lookup order, with their origin."""
    candidates: list[tuple[str, Path]] = []
    if cli_value:
        candidates.append(("--config", Path(cli_value).expanduser()))
    env_value = os.environ.get(CONFIG_ENV)
    if env_value:
        candidates.append((f"${CONFIG_ENV}", Path(env_value).expanduser()))
    candidates.append(("current directory", Path.cwd() / CONFIG_FILE))
    import platformdirs

    candidates.append(
        ("user config dir", Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE)
    )
    candidates.append(("built-in default", default_config_path()))
    return candidates


def find_config(cli_value: str | None) -> tuple[Path, str]:
    """Return the configuration file to use and where it came from.

    A file named explicitly (``--config`` or ``$BIOTUI_CONFIG``) is returned even when it does
    not exist, so that loading it reports the problem instead of silently falling back.
    """
    if cli_value:
        return Path(cli_value).expanduser(), "--config"
    for origin, path in config_candidates(cli_value):
        if origin.startswith(("--", "$")) or path.is_file():
            return path, origin
    return default_config_path(), "built-in default"


def find_data_dir(cli_value: str | None) -> Path:
    """Return the data dir: ``--data-dir``, else ``$BIOTUI_DATA_DIR``, else the user data dir."""
    if cli_value:
        return Path(cli_value).expanduser()
    env_value = os.environ.get(DATA_DIR_ENV)
    if env_value:
        return Path(env_value).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))


def export_folder(chosen: Path | None) -> Path:
    """Where exported articles go: ``chosen`` (the ``export_dir`` setting) when set, else the
    user's documents folder, else (when that does not exist) the current folder."""
    if chosen is not None:
        return chosen
    import platformdirs

    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.cwd()
