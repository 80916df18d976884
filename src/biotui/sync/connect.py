"""The backend ``[sync]`` names, built from the configuration (the one place that imports a
protocol's module), and the password it is given: a function run only when a login needs it.

The password comes from ``password_command`` (run once per process, :mod:`biotui.secrets`),
else from the environment's ``BIOTUI_SYNC_PASSWORD``; it lives in memory only. A Google
Reader session token may be kept in the data folder, one file per account (so that a token
is never sent to another server), readable by its owner only.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from importlib import import_module
from pathlib import Path

from biotui.model import SyncConfig
from biotui.secrets import command_secret
from biotui.sync.backend import Backend, SyncAuthError, SyncError
from biotui.sync.transport import server_name
from biotui.syncconfig import PASSWORD_VARIABLE

__all__ = ["open_backend", "sync_password", "token_file"]


def sync_password(
    settings: SyncConfig, environ: Mapping[str, str] | None = None
) -> Callable[[], str]:
    """The function that gives the sync password when called (SecretError when the command
    fails, SyncAuthError when there is no way to get one), never showing it."""
    env = os.environ if environ is None else environ

    def password() -> str:
        if settings.password_command is not None:
            owner = "[sync]"
            return command_secret(
                settings.password_command, owner=owner, key="password_command"
            ).reveal()
        value = env.get(PASSWORD_VARIABLE, "")
        if value:
            return value
        raise SyncAuthError(
            f"{server_name(settings.url)}: no password: set [sync] password_command in"
            f" feeds.toml or {PASSWORD_VARIABLE} in the environment"
        )

    return password


def token_file(settings: SyncConfig, data_dir: Path) -> Path:
    """Where the Google Reader session token of this account is kept."""
    digest = hashlib.sha256(settings.account.encode()).hexdigest()[:16]
    return Path(data_dir) / f"sync-token-{digest}"


def open_backend(
    settings: SyncConfig | None,
    data_dir: Path,
    *,
    timeout: float = 30.0,
    environ: Mapping[str, str] | None = None,
) -> Backend:
    """The backend of ``settings`` (``[sync]``); SyncError, one line, when there is none or
    its protocol's module cannot be loaded."""
    if settings is None:
        raise SyncError("no [sync] table in feeds.toml: nothing to sync with")
    password = sync_password(settings, environ)
    if settings.kind not in _CLASSES:
        raise SyncError(f"[sync] kind {settings.kind!r} is not a protocol biotui speaks")
    try:  # the protocol's module only: a sync with Fever never loads Google Reader's
        module = import_module(f"biotui.sync.{settings.kind}")
    except ImportError as exc:
        raise SyncError(f"the {settings.kind} protocol is not available: {exc}") from exc
    factory = getattr(module, _CLASSES[settings.kind])
    backend: Backend
    if settings.kind == "greader":
        backend = factory(
            settings.url,
            settings.username,
            password,
            app_id=settings.app_id,
            app_key=settings.app_key,
            token_file=token_file(settings, data_dir),
            timeout=timeout,
        )
    else:
        backend = factory(settings.url, settings.username, password, timeout=timeout)
    return backend


_CLASSES = {"greader": "GReaderBackend", "fever": "FeverBackend"}
"""Each protocol's backend class, in ``biotui.sync.<kind>``."""
