"""The gate of ``biotui serve``: token, Host and Origin, decided before any route runs."""

from __future__ import annotations

import pytest

from biotui.cli.parser import parse_args
from biotui.cli.serve import app_argv, is_loopback
from biotui.serve.guard import Gate, authority, new_token, refusal

GATE = Gate("s3cr3t-token", "127.0.0.1:8000")
GOOD = {"Host": "127.0.0.1:8000"}


def test_the_right_token_host_and_origin_pass() -> None:
    assert refusal(GATE, "/s3cr3t-token/", GOOD) is None
    assert refusal(GATE, "/s3cr3t-token/ws", {**GOOD, "Origin": "http://127.0.0.1:8000"}) is None
    assert refusal(GATE, "/s3cr3t-token/static/js/textual.js", GOOD) is None


@pytest.mark.parametrize(
    ("path", "headers", "reason"),
    [
        ("/", GOOD, "no valid token"),
        ("/ws", GOOD, "no valid token"),
        ("/s3cr3t-toke/", GOOD, "no valid token"),
        ("/s3cr3t-token-and-more/", GOOD, "no valid token"),
        ("/static/s3cr3t-token/", GOOD, "no valid token"),
        ("/s3cr3t-token/", {}, "wrong Host"),
        ("/s3cr3t-token/", {"Host": "127.0.0.1"}, "wrong Host"),
        ("/s3cr3t-token/", {"Host": "localhost:8000"}, "wrong Host"),
        ("/s3cr3t-token/", {"Host": "rebound.example:8000"}, "wrong Host"),
        ("/s3cr3t-token/", {**GOOD, "Origin": "http://evil.example"}, "wrong Origin"),
        ("/s3cr3t-token/", {**GOOD, "Origin": "null"}, "wrong Origin"),
        ("/s3cr3t-token/", {**GOOD, "Origin": "http://127.0.0.1:8001"}, "wrong Origin"),
        ("/s3cr3t-token/", {**GOOD, "Origin": "https://127.0.0.1:8000"}, "wrong Origin"),
    ],
)
def test_everything_else_is_refused(path: str, headers: dict[str, str], reason: str) -> None:
    assert refusal(GATE, path, headers) == reason


def test_tokens_are_long_random_and_fit_a_path() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) >= 40
        assert "/" not in token and "?" not in token and "%" not in token


def test_authority_is_what_a_browser_sends() -> None:
    assert authority("127.0.0.1", 8000) == "127.0.0.1:8000"
    assert authority("LocalHost", 80) == "localhost:80"
    assert authority("::1", 8000) == "[::1]:8000"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_each_tab_runs_biotui_with_the_global_options_given() -> None:
    args = parse_args(["--config", "c/feeds.toml", "--data-dir", "d", "--filter", "-x", "serve"])
    argv = app_argv(args)
    assert argv[1:3] == ("-m", "biotui")
    assert argv[3] == "--config" and argv[4].endswith("/c/feeds.toml") and argv[4][0] == "/"
    assert argv[5] == "--data-dir" and argv[6].endswith("/d") and argv[6][0] == "/"
    assert argv[7] == "--filter=-x"
    assert app_argv(parse_args(["serve"]))[3:] == ()
