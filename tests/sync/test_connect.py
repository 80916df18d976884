"""The backend built from ``[sync]`` and its password: only their errors here (the protocols'
modules are tested with their servers)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from biotui.secrets import SecretError, forget_secrets
from biotui.sync.backend import SyncAuthError, SyncError
from biotui.sync.connect import open_backend, sync_password, token_file
from sync.conftest import SYNC


def test_no_sync_table_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(SyncError, match=r"^no \[sync\] table in feeds.toml"):
        open_backend(None, tmp_path)


def test_the_password_comes_from_the_environment_when_no_command_gives_it() -> None:
    assert sync_password(SYNC, {"BIOTUI_SYNC_PASSWORD": "s3cret"})() == "s3cret"
    with pytest.raises(SyncAuthError) as caught:
        sync_password(SYNC, {})()
    assert str(caught.value) == (
        "https://fake.example/api: no password: set [sync] password_command in feeds.toml"
        " or BIOTUI_SYNC_PASSWORD in the environment"
    )


def test_the_password_command_runs_when_asked_and_its_failure_hides_its_output() -> None:
    forget_secrets()
    settings = replace(SYNC, password_command="echo hunter2-sync")
    password = sync_password(settings, {"BIOTUI_SYNC_PASSWORD": "not this"})
    assert password() == "hunter2-sync"
    failing = replace(SYNC, password_command="echo leaked-secret; exit 3")
    with pytest.raises(SecretError) as caught:
        sync_password(failing, {})()
    assert str(caught.value) == "password_command of [sync] failed (exit status 3)"
    forget_secrets()


def test_each_account_keeps_its_own_token_file(tmp_path: Path) -> None:
    other = replace(SYNC, url="https://other.example/api")
    assert token_file(SYNC, tmp_path).parent == tmp_path
    assert token_file(SYNC, tmp_path) != token_file(other, tmp_path)
    assert "fake.example" not in token_file(SYNC, tmp_path).name


def test_a_protocol_module_that_cannot_be_loaded_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "biotui.sync.fever", None)  # as if missing
    with pytest.raises(SyncError, match=r"^the fever protocol is not available: "):
        open_backend(replace(SYNC, kind="fever"), tmp_path)
    with pytest.raises(SyncError, match=r"^\[sync\] kind 'ttrss' is not a protocol"):
        open_backend(replace(SYNC, kind="ttrss"), tmp_path)
