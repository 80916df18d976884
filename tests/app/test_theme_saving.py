"""A theme chosen in the app, written into feeds.toml."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from biotui.app.theme_saving import save_theme
from biotui.config import load_config
from biotui.configwrite import ConfigWriteError, set_setting
from biotui.paths import default_config_path


def test_set_setting_keeps_the_rest_and_adds_a_missing_table() -> None:
    text = "# mine\n[settings]\ntimeout = 5  # short\n\n[[feeds]]\nname = 'A'\nurl = 'https://a.example/'\n"
    changed = set_setting(text, "theme", "nord")
    assert changed == text.replace(
        "timeout = 5  # short\n", 'timeout = 5  # short\ntheme = "nord"\n'
    )
    assert set_setting(changed, "theme", "dracula") == changed.replace("nord", "dracula")
    bare = "[[feeds]]\nname = 'A'\nurl = 'https://a.example/'\n"
    added = set_setting(bare, "theme", "nord")
    assert added.startswith(bare) and added.endswith('[settings]\ntheme = "nord"\n')


def test_the_built_in_configuration_is_copied_first() -> None:
    default = default_config_path()
    before = default.read_bytes()
    saved = save_theme(default, "gruvbox")
    user_config = Path(os.environ["XDG_CONFIG_HOME"]) / "biotui" / "feeds.toml"
    assert saved.copied and saved.config.path == user_config
    assert default.read_bytes() == before
    assert load_config(user_config).settings.theme == "gruvbox"
    assert "# biotui's configuration" in user_config.read_text(encoding="utf-8")
    again = save_theme(user_config, "nord")
    assert not again.copied and again.config.settings.theme == "nord"


def test_a_configuration_that_cannot_be_read_is_one_line_and_stays(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_bytes(b"[settings]\n# caf\xe9\n")
    with pytest.raises(ConfigWriteError) as caught:
        save_theme(path, "nord")
    assert str(caught.value).startswith(f"{path}: cannot read") and "\n" not in str(caught.value)
    assert path.read_bytes() == b"[settings]\n# caf\xe9\n"
