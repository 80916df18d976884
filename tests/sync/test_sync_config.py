"""``[sync]`` in feeds.toml: the values a sync runs with, and every problem with its place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from biotui.config import load_config
from biotui.errors import ConfigError
from biotui.model import SyncConfig

Write = Callable[[str], Path]


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def test_a_sync_table_is_read_with_its_defaults(make_config: Write) -> None:
    config = load_config(
        make_config(
            '[sync]\nkind = "fever"\nurl = "https://rss.example/api/fever.php"\n'
            'username = "ana@example.org"\npassword_command = "pass show rss"\n'
        )
    )
    assert config.sync == SyncConfig(
        kind="fever",
        url="https://rss.example/api/fever.php",
        username="ana@example.org",
        password_command="pass show rss",
    )
    assert config.sync.history_days == 30
    assert config.sync.account == "fever https://rss.example/api/fever.php ana@example.org"


def test_greader_takes_an_app_id_and_key_and_a_history(make_config: Write) -> None:
    config = load_config(
        make_config(
            '[sync]\nkind = "greader"\nurl = "https://www.inoreader.com"\nusername = "ana"\n'
            'app_id = "1000"\napp_key = "abc"\nhistory_days = 7\n'
        )
    )
    assert config.sync is not None
    assert (config.sync.app_id, config.sync.app_key, config.sync.history_days) == (
        "1000",
        "abc",
        7,
    )
    assert config.sync.password_command is None  # then BIOTUI_SYNC_PASSWORD


def test_no_sync_table_means_no_sync(make_config: Write) -> None:
    assert load_config(make_config("")).sync is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('kind = "ttrss"', "feeds.toml: sync.kind: must be 'greader' or 'fever', not 'ttrss'"),
        ("kind = 3", "feeds.toml: sync.kind: must be 'greader' or 'fever', not an integer"),
        ('url = "ftp://host/x"', "feeds.toml: sync.url: must be http or https, not 'ftp'"),
        ("url = 7", "feeds.toml: sync.url: must be a string, not an integer"),
        ('url = "https:///api"', "feeds.toml: sync.url: has no host"),
        ('username = ""', "feeds.toml: sync.username: must not be empty"),
        ("password_command = []", "feeds.toml: sync.password_command: must be a string, not an"),
        ("history_days = 0", "feeds.toml: sync.history_days: must be greater than 0"),
        ('history_days = "30"', "feeds.toml: sync.history_days: must be a whole number of days"),
        ("history_days = true", "feeds.toml: sync.history_days: must be a whole number of days"),
        ('app_id = "1"', "feeds.toml: sync.app_key: 'app_id' and 'app_key' go together"),
        ('password = "x"', "feeds.toml: sync.password: unknown key (expected one of kind, url,"),
    ],
)
def test_each_problem_is_reported_with_its_place(
    make_config: Write, body: str, expected: str
) -> None:
    base = {"kind": '"greader"', "url": '"https://rss.example/api"', "username": '"ana"'}
    key = body.split(" = ")[0]
    lines = [f"{name} = {value}" for name, value in base.items() if name != key]
    found = problems(make_config("[sync]\n" + "\n".join([*lines, body]) + "\n"))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_missing_keys_and_a_table_of_the_wrong_type(make_config: Write) -> None:
    assert problems(make_config("[sync]\n")) == [
        "feeds.toml: sync: needs a 'kind' ('greader' or 'fever')",
        "feeds.toml: sync: needs a 'url' (the server's API address)",
        "feeds.toml: sync: needs a 'username' (a non-empty string)",
    ]
    assert problems(make_config('sync = "greader"\n')) == [
        "feeds.toml: sync: must be a table, not a string"
    ]


def test_app_keys_are_for_greader_only(make_config: Write) -> None:
    found = problems(
        make_config(
            '[sync]\nkind = "fever"\nurl = "https://h.example/fever/"\nusername = "a"\n'
            'app_id = "1"\napp_key = "2"\n'
        )
    )
    assert found == ["feeds.toml: sync.app_id: is for kind = 'greader' only (Inoreader)"]


def test_a_url_with_credentials_is_refused_without_repeating_them(make_config: Write) -> None:
    found = problems(
        make_config(
            '[sync]\nkind = "fever"\nurl = "https://ana:hunter2@h.example/"\nusername = "a"\n'
        )
    )
    assert found == [
        "feeds.toml: sync.url: must not hold credentials (use 'username' and 'password_command')"
    ]
    assert "hunter2" not in "".join(found)
