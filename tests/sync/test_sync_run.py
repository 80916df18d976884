"""``run_sync``: one sync for a refresh, its failures an outcome's line like any other."""

from __future__ import annotations

import socket
from pathlib import Path

from biotui.model import Config, SyncConfig
from biotui.store import Store
from biotui.sync.run import run_sync


def test_without_sync_nothing_runs(tmp_path: Path, store: Store) -> None:
    assert run_sync(Config(path=tmp_path / "feeds.toml"), store, tmp_path) is None


def test_a_server_that_cannot_be_reached_is_the_outcomes_one_line(
    tmp_path: Path, store: Store
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings = SyncConfig(
        kind="fever",
        url=f"http://127.0.0.1:{port}/fever/",
        username="me@example.org",
        password_command="echo a-long-password",
    )
    outcome = run_sync(Config(path=tmp_path / "feeds.toml", sync=settings), store, tmp_path)
    assert outcome is not None and outcome.error is not None
    assert outcome.error.startswith(f"http://127.0.0.1:{port}/fever/: cannot connect")
    assert "a-long-password" not in outcome.summary + outcome.error
