"""A theme chosen in the app written into ``[settings]`` of the configuration in use.

The write keeps the file's comments and layout and is atomic (``configwrite``); the
built-in configuration is first copied to the user's folder, as ``biotui add`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from biotui.config import load_config
from biotui.configwrite import (
    ConfigWriteError,
    is_built_in,
    read_for_edit,
    set_setting,
    write_config,
)
from biotui.errors import BiotuiError
from biotui.model import Config


@dataclass(frozen=True, slots=True)
class ThemeSaved:
    """The configuration as written, and whether it was first copied from the built-in one."""

    config: Config
    copied: bool


def save_theme(config_path: Path, theme: str) -> ThemeSaved:
    """Write ``theme = "<theme>"`` into the configuration at ``config_path`` and read it back.
    Raises :class:`ConfigWriteError` (one line) when it cannot be written or read."""
    built_in = is_built_in(config_path)
    text, target = read_for_edit(config_path, built_in=built_in)
    write_config(target, set_setting(text, "theme", theme))
    try:
        return ThemeSaved(load_config(target), built_in)
    except BiotuiError as exc:
        raise ConfigWriteError(str(exc).splitlines()[0]) from None
