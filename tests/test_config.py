"""Configuration loading: lookup order, validation messages, path resolution."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.config import load_config
from biotui.errors import ConfigError
from biotui.paths import default_config_path, find_config, find_data_dir


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def test_full_config_loads(make_config: Callable[[str], Path], tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    path = make_config(
        """
[settings]
timeout = 5
concurrency = 4
refresh_on_start = false
instant_start = false

[[feeds]]
name = "Dive"
url = "https://example.org/feed.xml"
tags = ["industry"]

[[feeds]]
name = "Clippings"
path = "news/"

[[searches]]
name = "CAR-T in lupus"
query = "CAR-T lupus"
"""
    )
    config = load_config(path)
    assert config.settings.timeout == 5.0
    assert config.settings.concurrency == 4
    assert config.settings.refresh_on_start is False
    assert config.settings.instant_start is False
    assert [feed.name for feed in config.feeds] == ["Dive", "Clippings"]
    assert config.feeds[0].url == "https://example.org/feed.xml"
    assert config.feeds[0].tags == ("industry",)
    assert config.feeds[1].path == str((tmp_path / "news").resolve())
    assert config.searches[0].query == "CAR-T lupus"


def test_defaults_when_settings_absent(make_config: Callable[[str], Path]) -> None:
    config = load_config(make_config('[[feeds]]\nname = "A"\nurl = "http://a.example/"\n'))
    assert config.settings.timeout == 20.0
    assert config.settings.concurrency == 16
    assert config.settings.refresh_on_start is True
    assert config.settings.instant_start is True


def test_every_problem_is_reported_with_its_place(make_config: Callable[[str], Path]) -> None:
    path = make_config(
        """
colour = "blue"
[settings]
timeout = "soon"
concurrency = 0
[[feeds]]
name = "A"
url = "ftp://files.example/feed"
[[feeds]]
name = "B"
url = "https://b.example/"
path = "x/"
[[feeds]]
url = "https://c.example/"
[[feeds]]
name = "A"
url = "https://d.example/"
[[feeds]]
name = "E"
path = "does-not-exist/"
[[feeds]]
name = "F"
url = "https://f.example/"
colour = "red"
"""
    )
    problems = problems_of(path)
    missing = path.parent.resolve() / "does-not-exist"
    assert problems == [
        "feeds.toml: colour: unknown key (expected one of feeds, keys, mute, searches, settings,"
        " sync)",
        "feeds.toml: settings.timeout: must be a number of seconds, not a string",
        "feeds.toml: settings.concurrency: must be greater than 0",
        "feeds.toml: feeds[1] \"A\": 'url' must be http or https, not 'ftp': ftp://files.example/feed",
        "feeds.toml: feeds[2] \"B\": needs exactly one of 'url' or 'path'",
        "feeds.toml: feeds[3]: needs a 'name' (a non-empty string)",
        'feeds.toml: feeds[4] "A": duplicate name (also feeds[1])',
        f'feeds.toml: feeds[5] "E": path does not exist: {missing}',
        "feeds.toml: feeds[6] \"F\": unknown key 'colour' (expected one of "
        "api_key_command, full_text, name, password_command, path, pubmed, refresh_every, tags, "
        "timeout, trials, url, user_agent, username)",
    ]


def test_neither_url_nor_path(make_config: Callable[[str], Path]) -> None:
    problems = problems_of(make_config('[[feeds]]\nname = "A"\n'))
    assert problems == ["feeds.toml: feeds[1] \"A\": needs exactly one of 'url' or 'path'"]


def test_toml_syntax_error_gives_line_and_column(make_config: Callable[[str], Path]) -> None:
    problems = problems_of(make_config('[[feeds]]\nname = "A"\nurl = \n'))
    assert len(problems) == 1
    assert problems[0].startswith("feeds.toml: line 3, column 7: ")


def test_wrong_types(make_config: Callable[[str], Path]) -> None:
    problems = problems_of(
        make_config('feeds = "all"\n[settings]\nrefresh_on_start = "yes"\nconcurrency = 2.5\n')
    )
    assert problems == [
        "feeds.toml: settings.refresh_on_start: must be true or false, not a string",
        "feeds.toml: settings.concurrency: must be an integer, not a number",
        "feeds.toml: feeds: must be an array of tables ([[feeds]])",
    ]


def test_glob_path_is_accepted_even_without_matches(make_config: Callable[[str], Path]) -> None:
    config = load_config(make_config('[[feeds]]\nname = "G"\npath = "clips/*.txt"\n'))
    assert config.feeds[0].path is not None
    assert config.feeds[0].path.endswith("clips/*.txt")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "nope.toml")
    assert problems == [f"{tmp_path / 'nope.toml'}: no such configuration file"]


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    explicit = tmp_path / "explicit.toml"
    from_env = tmp_path / "env.toml"
    assert find_config(str(explicit)) == (explicit, "--config")
    monkeypatch.setenv("BIOTUI_CONFIG", str(from_env))
    assert find_config(None) == (from_env, "$BIOTUI_CONFIG")
    monkeypatch.delenv("BIOTUI_CONFIG")
    assert find_config(None) == (default_config_path(), "built-in default")
    local = Path.cwd() / "feeds.toml"
    local.write_text("", encoding="utf-8")
    assert find_config(None) == (local, "current directory")


def test_user_config_dir_comes_before_the_default(tmp_path: Path) -> None:
    import platformdirs

    user = Path(platformdirs.user_config_dir("biotui")) / "feeds.toml"
    user.parent.mkdir(parents=True)
    user.write_text("", encoding="utf-8")
    assert find_config(None) == (user, "user config dir")


def test_data_dir_lookup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_data_dir(str(tmp_path / "a")) == tmp_path / "a"
    monkeypatch.setenv("BIOTUI_DATA_DIR", str(tmp_path / "b"))
    assert find_data_dir(None) == tmp_path / "b"
    monkeypatch.delenv("BIOTUI_DATA_DIR")
    assert "biotui" in str(find_data_dir(None))


def test_shipped_default_config_is_valid() -> None:
    config = load_config(default_config_path())
    names = [feed.name for feed in config.feeds]
    assert "Clippings" in names
    assert all(feed.url is None or feed.url.startswith("https://") for feed in config.feeds)


def test_control_characters_in_names_and_keys(make_config: Callable[[str], Path]) -> None:
    problems = problems_of(
        make_config(
            '[[feeds]]\nname = "Evil\\u001b[2J"\nurl = "https://e.example/"\n"k\\u009b" = 1\n'
        )
    )
    assert all("\x1b" not in problem and "\x9b" not in problem for problem in problems)
    assert any("without control characters" in problem for problem in problems)


def test_mute_rules_load_named_by_their_query_by_default(
    make_config: Callable[[str], Path],
) -> None:
    config = load_config(
        make_config(
            '[[mute]]\nquery = "sponsored OR webinar"\n\n'
            '[[mute]]\nname = "STAT podcasts"\nquery = "feed:STAT title:podcast"\n'
        )
    )
    assert [(rule.name, rule.query) for rule in config.mutes] == [
        ("sponsored OR webinar", "sponsored OR webinar"),
        ("STAT podcasts", "feed:STAT title:podcast"),
    ]


def test_every_mute_problem_is_reported_with_its_place(
    make_config: Callable[[str], Path],
) -> None:
    path = make_config(
        '[[mute]]\nquery = "lupus AND"\n'
        '[[mute]]\nname = 7\nquery = "ads"\n'
        '[[mute]]\nname = "Ads"\nquery = "   "\n'
        '[[mute]]\nname = "Ads"\nquery = "ads"\n'
        '[[mute]]\nname = "Ads"\nquery = "more ads"\n'
        '[[mute]]\nquery = ["ads"]\n'
    )
    assert problems_of(path) == [
        "feeds.toml: mute[1]: 'query' 'lupus AND': 'AND' needs a term on both sides",
        "feeds.toml: mute[2]: 'name' must be a string, not an integer",
        "feeds.toml: mute[3]: 'query' must not be blank (it would mute nothing)",
        'feeds.toml: mute[5]: duplicate name "Ads" (also mute[4])',
        "feeds.toml: mute[6]: 'query' must be a string, not an array",
    ]
