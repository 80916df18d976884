"""A private feed's credentials: the configuration keys, the ``*_command`` secret contract and
where basic auth may go on a redirect."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from biotui.config import load_config
from biotui.errors import ConfigError
from biotui.refresh.auth import BasicAuth, keeps_credentials
from biotui.secrets import SecretError, command_secret, forget_secrets


@pytest.fixture(autouse=True)
def fresh_secrets() -> Iterator[None]:
    forget_secrets()
    yield
    forget_secrets()


def test_credentials_are_read(make_config: Callable[[str], Path]) -> None:
    path = make_config(
        """
[[feeds]]
name = "Lab"
url = "https://lab.example/feed"
username = "reader"
password_command = "pass show feeds/example"

[[feeds]]
name = "Open"
url = "https://open.example/feed"
"""
    )
    lab, open_ = load_config(path).feeds
    assert (lab.username, lab.password_command) == ("reader", "pass show feeds/example")
    assert (open_.username, open_.password_command) == (None, None)


def test_credentials_go_together_and_name_their_place(make_config: Callable[[str], Path]) -> None:
    path = make_config(
        """
[[feeds]]
name = "A"
url = "https://a.example/feed"
username = "reader"

[[feeds]]
name = "B"
url = "https://b.example/feed"
password_command = "pass show b"

[[feeds]]
name = "C"
path = "."
username = "reader"
password_command = "pass show c"

[[feeds]]
name = "D"
url = "https://d.example/feed"
username = 3
password_command = ""
"""
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        "feeds.toml: feeds[1] \"A\": 'username' and 'password_command' go together: "
        "add 'password_command'",
        "feeds.toml: feeds[2] \"B\": 'username' and 'password_command' go together: add 'username'",
        "feeds.toml: feeds[3] \"C\": 'username' and 'password_command' are only for a 'url' feed",
        "feeds.toml: feeds[4] \"D\": 'username' must be a non-empty string",
        "feeds.toml: feeds[4] \"D\": 'password_command' must be a non-empty string "
        "(a shell command)",
    ]


def test_first_line_is_the_secret_and_its_repr_hides_it() -> None:
    secret = command_secret("printf 'hunter2\\nsecond line\\n'", owner='feed "A"', key="k")
    assert secret.reveal() == "hunter2"
    assert "hunter2" not in repr(secret) and "hunter2" not in str(secret)
    auth = BasicAuth("reader", secret)
    assert "hunter2" not in repr(auth)
    assert auth.headers() == {"Authorization": "Basic cmVhZGVyOmh1bnRlcjI="}


def test_a_command_runs_once_however_many_threads_ask(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    command = f"echo run >> '{runs}'; sleep 0.2; echo pw"
    got: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: got.append(command_secret(command, owner="o", key="k").reveal())
        )
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == ["pw"] * 6
    assert command_secret(command, owner="o", key="k").reveal() == "pw"
    assert runs.read_text().splitlines() == ["run"]


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("echo leaked-output; echo leaked-err >&2; exit 3", "failed (exit status 3)"),
        ("true", "printed nothing on its first line (exit status 0)"),
        ("printf '\\nleaked-output\\n'", "printed nothing on its first line (exit status 0)"),
        ("no-such-command-biotui-test", "failed (exit status 127)"),
    ],
)
def test_a_failing_command_is_one_line_without_its_output(command: str, reason: str) -> None:
    with pytest.raises(SecretError) as caught:
        command_secret(command, owner='feed "Lab"', key="password_command")
    assert str(caught.value) == f'password_command of feed "Lab" {reason}'
    assert "leaked" not in str(caught.value)


def test_a_failure_is_remembered_too(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    command = f"echo run >> '{runs}'; exit 1"
    for owner in ("feed A", "feed B"):
        with pytest.raises(SecretError, match=owner):
            command_secret(command, owner=owner, key="password_command")
    assert runs.read_text().splitlines() == ["run"]


def test_a_command_that_hangs_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("biotui.secrets.COMMAND_TIMEOUT", 0.3)
    with pytest.raises(SecretError) as caught:
        command_secret("sleep 30 & sleep 30", owner="feed X", key="password_command")
    assert str(caught.value) == "password_command of feed X timed out after 0.3 s"


@pytest.mark.parametrize(
    ("current", "target", "kept"),
    [
        ("https://lab.example/feed", "https://lab.example/new", True),
        ("https://lab.example/feed", "https://LAB.example:443/new", True),
        ("https://lab.example/feed", "http://lab.example/feed", False),
        ("https://lab.example/feed", "https://other.example/feed", False),
        ("https://lab.example/feed", "https://lab.example:8443/feed", False),
        ("https://lab.example/feed", "https://sub.lab.example/feed", False),
    ],
)
def test_where_credentials_may_go(current: str, target: str, kept: bool) -> None:
    assert keeps_credentials("https://lab.example/feed", current, target) is kept


def test_an_http_feed_keeps_them_on_its_upgrade_to_https_only() -> None:
    feed = "http://lab.example/feed"
    assert keeps_credentials(feed, feed, "https://lab.example/feed")
    assert not keeps_credentials(feed, "https://lab.example/feed", "http://lab.example/feed")
    assert not keeps_credentials(feed, feed, "https://other.example/feed")
    assert not keeps_credentials(
        "http://lab.example:8080/f", "http://lab.example:8080/f", "https://lab.example/f"
    )
