"""The ``[sync]`` table of feeds.toml read into a :class:`~biotui.model.SyncConfig`, every
problem reported with its place (``sync.url``) like the other sections.

The password is not part of the table: ``password_command`` names the shell command that
prints it (run only when a sync needs it, see :mod:`biotui.secrets`), or the environment's
:data:`PASSWORD_VARIABLE` gives it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from biotui.keysconfig import Report
from biotui.model import SyncConfig
from biotui.plaintext import clean_text, type_name

__all__ = ["KINDS", "PASSWORD_VARIABLE", "parse_sync"]

KINDS = ("greader", "fever")
"""The protocols biotui syncs with: the Google Reader API and Fever."""
PASSWORD_VARIABLE = "BIOTUI_SYNC_PASSWORD"
"""The environment variable that gives the sync password when no ``password_command`` does."""

_KEYS = ("kind", "url", "username", "password_command", "app_id", "app_key", "history_days")


def parse_sync(table: Any, report: Report) -> SyncConfig | None:
    """The ``[sync]`` table (None when absent or malformed; each problem to ``report``)."""
    if table is None:
        return None
    if not isinstance(table, dict):
        report("sync", f"must be a table, not {type_name(table)}")
        return None
    problems: list[str] = []

    def add(key: str, what: str) -> None:
        problems.append(what)
        report(f"sync.{key}" if key else "sync", what)

    for key in table:
        if key not in _KEYS:
            add(key, f"unknown key (expected one of {', '.join(_KEYS)})")
    kind = table.get("kind")
    if kind is None:
        add("", f"needs a 'kind' ({' or '.join(repr(k) for k in KINDS)})")
    elif kind not in KINDS:
        add("kind", f"must be {' or '.join(repr(k) for k in KINDS)}, not {_shown(kind)}")
    url = _url(table.get("url"), add)
    username = _line(table, "username", add, required=True)
    command = _line(table, "password_command", add, required=False)
    app_id = _line(table, "app_id", add, required=False)
    app_key = _line(table, "app_key", add, required=False)
    if (app_id or app_key) and kind == "fever":
        add("app_id" if app_id else "app_key", "is for kind = 'greader' only (Inoreader)")
    elif bool(app_id) != bool(app_key):
        add("app_key" if app_id else "app_id", "'app_id' and 'app_key' go together")
    days = table.get("history_days", 30)
    if not isinstance(days, int) or isinstance(days, bool):
        add("history_days", f"must be a whole number of days, not {type_name(days)}")
    elif days <= 0:
        add("history_days", "must be greater than 0")
    if problems:
        return None
    assert isinstance(kind, str) and url is not None and username is not None
    return SyncConfig(
        kind=kind,
        url=url,
        username=username,
        password_command=command,
        app_id=app_id or "",
        app_key=app_key or "",
        history_days=days,
    )


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else type_name(value)


def _url(url: Any, add: Report) -> str | None:
    if url is None:
        add("", "needs a 'url' (the server's API address)")
        return None
    if not isinstance(url, str):
        add("url", f"must be a string, not {type_name(url)}")
        return None
    text: str = url.strip()
    try:
        parts = urlsplit(text)
        credentials = parts.username is not None or parts.password is not None
    except ValueError:
        add("url", "is not a URL")
        return None
    if credentials:  # never repeated in a message
        add("url", "must not hold credentials (use 'username' and 'password_command')")
    elif clean_text(text) != text:
        add("url", "must be one line of text without control characters")
    elif parts.scheme not in ("http", "https"):
        shown = f"'{parts.scheme}'" if parts.scheme else "no scheme"
        add("url", f"must be http or https, not {shown}: {text}")
    elif not parts.hostname:
        add("url", f"has no host: {text}")
    else:
        return text
    return None


def _line(table: dict[str, Any], key: str, add: Report, *, required: bool) -> str | None:
    """``table[key]`` as one non-empty line of text, or None (absent, or reported)."""
    value = table.get(key)
    if value is None:
        if required:
            add("", f"needs a '{key}' (a non-empty string)")
        return None
    if not isinstance(value, str):
        add(key, f"must be a string, not {type_name(value)}")
    elif not value.strip():
        add(key, "must not be empty")
    elif clean_text(value) != value.strip():
        add(key, "must be one line of text without control characters")
    else:
        return str(value).strip()
    return None
