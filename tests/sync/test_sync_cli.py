"""``biotui sync`` and ``biotui feeds`` as a user runs them, with the in-memory server standing
in for the protocol module ``[sync]`` names."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from biotui.cli import main
from sync.fake_backend import FakeBackend

CONFIG = """
[[feeds]]
name = "My STAT"
url = "https://stat.example/feed"
tags = ["policy"]

[sync]
kind = "greader"
url = "https://fake.example/api"
username = "me"
password_command = "echo s3cret-pass"
"""


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeBackend:
    """The fake server, built by ``biotui sync`` as ``GReaderBackend`` would be."""
    backend = FakeBackend()
    backend.add_feed("feed/1", "Endpoints News", "https://endpts.example/feed", tags=["biotech"])
    backend.add_feed("feed/2", "STAT", "https://stat.example/feed")
    backend.add_item("a", "feed/1", title="Merck buys a biotech")
    backend.add_item("b", "feed/2", title="FDA approves a gene therapy", starred=True)
    built: list[dict[str, Any]] = []

    def factory(url: str, username: str, password: Any, **options: Any) -> FakeBackend:
        built.append({"url": url, "username": username, **options})
        assert password() == "s3cret-pass"  # the command's first line, asked for when needed
        return backend

    monkeypatch.setitem(
        sys.modules, "biotui.sync.greader", types.SimpleNamespace(GReaderBackend=factory)
    )
    backend.built = built  # type: ignore[attr-defined]
    return backend


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str, config: str = CONFIG):
    path = tmp_path / "feeds.toml"
    path.write_text(config, encoding="utf-8")
    status = main(["--config", str(path), "--data-dir", str(tmp_path / "data"), *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_sync_stores_the_servers_articles_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: FakeBackend
) -> None:
    status, out, err = run(tmp_path, capsys, "sync")
    assert status == 0, err
    assert out == (
        "fake.example: 2 feeds, 2 new articles, 0 updated, 0 marks sent, 0 marks taken\n"
    )
    assert "Syncing items: 1 pages, 2 items, 2 new" in err.splitlines()
    assert server.calls[-1] == "close"
    assert server.built[0]["token_file"].parent == tmp_path / "data"  # type: ignore[attr-defined]
    _, listed, _ = run(tmp_path, capsys, "list")
    assert "Merck buys a biotech" in listed and "FDA approves a gene therapy" in listed
    _, feeds, _ = run(tmp_path, capsys, "feeds", "--json")
    records = {r["name"]: r for r in map(json.loads, feeds.splitlines())}
    assert records["My STAT"]["synced"] and records["My STAT"]["articles"] == 1
    assert records["Endpoints News"]["synced"] and records["Endpoints News"]["tags"] == ["biotech"]
    assert records["Endpoints News"]["location"] == "https://endpts.example/feed"
    _, text, _ = run(tmp_path, capsys, "feeds")
    assert text.startswith("My STAT: 1 articles, 1 unread, synced 2")
    everything = out + err + listed + feeds + text
    everything += "".join(p.read_bytes().decode("latin-1") for p in (tmp_path / "data").iterdir())
    assert "s3cret" not in everything


def test_a_failed_sync_is_one_line_and_exit_1_and_the_next_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], server: FakeBackend
) -> None:
    server.page_size = 1
    server.fail_at_page = 2
    status, out, err = run(tmp_path, capsys, "sync")
    assert status == 1
    assert err.splitlines()[-1] == "biotui: fake.example: HTTP 503: service unavailable"
    assert "Traceback" not in err and out.endswith(
        "1 new articles, 0 updated, 0 marks sent, 0 marks taken (stopped)\n"
    )
    status, out, _ = run(tmp_path, capsys, "sync")
    assert status == 0 and "1 new articles" in out
    assert server.served == ["a", "b"]


def test_sync_without_a_sync_table_says_how_to_add_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        tmp_path, capsys, "sync", config='[[feeds]]\nname = "X"\nurl = "https://x.example/"\n'
    )
    assert status == 2 and out == ""
    assert err.startswith("biotui: no [sync] table in ") and "Sync with a server" in err
    assert len(err.splitlines()) == 1


def test_sync_without_a_password_says_where_to_put_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BIOTUI_SYNC_PASSWORD", raising=False)

    def factory(url: str, username: str, password: Any, **options: Any) -> FakeBackend:
        backend = FakeBackend()
        backend.login = lambda: (password(), None)[1]  # type: ignore[method-assign]
        return backend

    monkeypatch.setitem(
        sys.modules, "biotui.sync.greader", types.SimpleNamespace(GReaderBackend=factory)
    )
    config = CONFIG.replace('password_command = "echo s3cret-pass"\n', "")
    status, _, err = run(tmp_path, capsys, "sync", config=config)
    assert status == 1
    assert err.splitlines()[-1] == (
        "biotui: https://fake.example/api: no password: set [sync] password_command in"
        " feeds.toml or BIOTUI_SYNC_PASSWORD in the environment"
    )


def test_on_a_terminal_a_progress_bar_runs_on_standard_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    server: FakeBackend,
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, out, err = run(tmp_path, capsys, "sync")
    assert status == 0 and out.startswith("fake.example: 2 feeds, 2 new articles")
    assert "Syncing items: 1 pages, 2 items, 2 new\n" not in err  # a bar, not plain lines
