"""[keys] and the theme: configuration errors with their place, and the keymap they make."""

from __future__ import annotations

from pathlib import Path

import pytest

from biotui.app.keymap import UNBOUND, build_keymap, check_config, keys_in_force, public_actions
from biotui.app.screens.help import key_rows
from biotui.cli import main
from biotui.config import load_config
from biotui.errors import ConfigError
from biotui.model import KeyEntry


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    """The problems ``load_config`` then the app's check find in ``text``."""
    try:
        check_config(load_config(write(tmp_path, text)))
    except ConfigError as exc:
        return exc.problems
    return []


def test_keys_load_in_the_files_order(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, '[keys]\nmark_all_read = "ctrl+a"\nnext = ["j", "down", "j"]\n')
    )
    assert config.keys == (KeyEntry("mark_all_read", ("ctrl+a",)), KeyEntry("next", ("j", "down")))
    check_config(config)  # valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('keys = "j"', "feeds.toml: keys: must be a table"),
        ("[keys]\nnext = 3", "feeds.toml: keys.next: must be a key"),
        ("[keys]\nnext = []", "feeds.toml: keys.next: must be a key"),
        ('[keys]\nnext = "j,k"', "feeds.toml: keys.next: 'j,k' is not a key name"),
        ('[keys]\nfly = "z"', "feeds.toml: keys.fly: unknown action (expected one of next, "),
        ('[keys]\nnext = "bananas"', "feeds.toml: keys.next: 'bananas' is not a key name"),
        ('[keys]\nnext = "latin_small_letter_a"', "feeds.toml: keys.next: 'latin_small_letter_a'"),
        ('[keys]\nnext = "cmd+j"', "feeds.toml: keys.next: 'cmd+j' has an unknown modifier 'cmd'"),
        (
            '[keys]\nrefresh = "z"\nquit = ["x", "z"]',
            "feeds.toml: keys.quit: 'z' is already given to refresh",
        ),
        (
            '[keys]\nhelp = "?"\nquit = "question_mark"',
            "feeds.toml: keys.quit: 'question_mark' is already given to help",
        ),
        (
            '[settings]\ntheme = "neon"',
            "feeds.toml: settings.theme: unknown theme 'neon' (expected one of ansi-dark, ",
        ),
        ("[settings]\ntheme = 3", "feeds.toml: settings.theme: must be a theme name"),
    ],
)
def test_bad_keys_and_themes_are_one_line_errors_with_their_place(
    tmp_path: Path, text: str, expected: str
) -> None:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found
    assert "\n" not in found[0]


def test_an_unknown_theme_lists_every_valid_one(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, '[settings]\ntheme = "neon"')
    for name in ("textual-dark", "nord", "gruvbox", "dracula", "solarized-light"):
        assert name in problem


def test_the_cli_reports_a_bad_key_before_starting_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write(tmp_path, '[keys]\nnext = "bananas"\n')
    status = main(["--config", str(config), "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("biotui: feeds.toml: keys.next: 'bananas' is not a key name")
    assert len(err.strip().splitlines()) == 1


def test_every_binding_of_the_app_has_a_public_name() -> None:
    """A binding that a person could press is rebindable: it carries an id."""
    from textual.binding import Binding

    from biotui.app.keymap import binding_owners

    for owner in binding_owners():
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding) and binding.id, (owner.__name__, binding)
    names = set(public_actions())
    assert {"next", "previous", "filter", "toggle_panel", "order", "open_link"} <= names
    assert {"toggle_read", "toggle_star", "mark_all_read", "undo", "refresh"} <= names
    assert {"add_feed", "remove_feed", "help", "quit"} <= names


def test_a_key_given_elsewhere_leaves_its_default_action() -> None:
    keymap = build_keymap([KeyEntry("mark_all_read", ("a",)), KeyEntry("open_link", ("j",))])
    assert keymap["mark_all_read"] == "a"
    assert keymap["add_feed"] == UNBOUND  # "a" was its only key
    assert keymap["next"] == "down"  # it keeps its other key
    keys = keys_in_force(keymap)
    assert keys["add_feed"] == () and keys["next"] == ("down",) and keys["refresh"] == ("r",)


def test_the_help_lists_the_keys_in_force() -> None:
    keys = keys_in_force(build_keymap([KeyEntry("mark_all_read", ("ctrl+a",))]))
    rows = {name: key for key, _, name in key_rows(keys)}
    assert rows["mark_all_read"] == "ctrl+a"
    assert rows["next"] == "j / ↓"
    assert rows["help"] == "?"


def test_the_readme_documents_every_public_name() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Themes and keys") :]
    for name in public_actions():
        assert f"`{name}`" in section, name
