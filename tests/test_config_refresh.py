"""Configuration of refreshing by itself: ``refresh_every`` and a feed's own settings."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.config import load_config
from biotui.durations import format_duration, parse_duration
from biotui.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("45s", 45), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), (" 2H ", 7200)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_off_is_never() -> None:
    assert parse_duration("off") == math.inf
    assert format_duration(math.inf) == "off"


@pytest.mark.parametrize("text", ["", "30", "m", "soon", "-5m", "5 minutes", "0m", "1x"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_format_duration() -> None:
    assert format_duration(40) == "40s"
    assert format_duration(1800) == "30m"
    assert format_duration(7500) == "2h 5m"
    assert format_duration(90061) == "1d 1h"


def test_defaults_and_values(make_config: Callable[[str], Path]) -> None:
    path = make_config(
        """
[settings]
refresh_every = "2h"

[[feeds]]
name = "A"
url = "https://a.example/feed"

[[feeds]]
name = "B"
url = "https://b.example/feed"
refresh_every = "off"
timeout = 5
user_agent = "Mozilla/5.0 (biotui)"

[[feeds]]
name = "C"
url = "https://c.example/feed"
refresh_every = "15m"
"""
    )
    config = load_config(path)
    assert config.settings.refresh_every == 7200
    a, b, c = config.feeds
    assert (a.refresh_every, a.timeout, a.user_agent) == (None, None, None)
    assert (b.refresh_every, b.timeout, b.user_agent) == (math.inf, 5.0, "Mozilla/5.0 (biotui)")
    assert c.refresh_every == 900


def test_default_is_thirty_minutes(make_config: Callable[[str], Path]) -> None:
    config = load_config(make_config('[[feeds]]\nname = "A"\nurl = "http://a.example/"\n'))
    assert config.settings.refresh_every == 1800


def test_bad_values_name_their_place(make_config: Callable[[str], Path]) -> None:
    path = make_config(
        """
[settings]
refresh_every = "soon"

[[feeds]]
name = "A"
url = "https://a.example/feed"
refresh_every = 30
timeout = 0
user_agent = ""

[[feeds]]
name = "B"
url = "https://b.example/feed"
refresh_every = "0s"
timeout = "long"
user_agent = "two\\nlines"
"""
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    wanted = 'must be a duration such as "45s", "30m", "2h", "1d", or "off"'
    assert caught.value.problems == [
        f"feeds.toml: settings.refresh_every: {wanted}, not 'soon'",
        "feeds.toml: feeds[1] \"A\": 'refresh_every' must be a duration, not an integer",
        "feeds.toml: feeds[1] \"A\": 'timeout' must be greater than 0",
        "feeds.toml: feeds[1] \"A\": 'user_agent' must be a non-empty string",
        "feeds.toml: feeds[2] \"B\": 'refresh_every': must be longer than 0 "
        "(write \"off\" to never refresh by itself), not '0s'",
        "feeds.toml: feeds[2] \"B\": 'timeout' must be a number of seconds, not a string",
        "feeds.toml: feeds[2] \"B\": 'user_agent' must be one line of text without control "
        "characters",
    ]


def test_settings_refresh_every_must_be_a_string(make_config: Callable[[str], Path]) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(make_config("[settings]\nrefresh_every = 30\n"))
    assert caught.value.problems == [
        'feeds.toml: settings.refresh_every: must be a duration such as "30m", or "off", '
        "not an integer"
    ]
