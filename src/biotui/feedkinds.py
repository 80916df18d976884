"""The kinds of feed a ``[[feeds]]`` entry can be, and the checks of their keys.

A feed is exactly one of: ``url`` (a feed on the web), ``path`` (local files), ``trials`` (a
ClinicalTrials.gov search) or ``pubmed`` (a PubMed search). :mod:`biotui.config` reports what
these checks find with the entry's place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from biotui.plaintext import clean_text

KINDS = ("url", "path", "trials", "pubmed")
"""The keys that say what a feed is; an entry has exactly one."""
SEARCH_KINDS = ("trials", "pubmed")
API_SETTINGS = ("clinicaltrials_api", "eutils_api")
"""Settings holding a service's base URL (tests point them to a local server)."""

Problem = Callable[[str], None]
"""Adds one problem (the caller prefixes the entry's place)."""


def feed_kind(item: dict[str, Any], problem: Problem) -> str | None:
    """The one kind key ``item`` has, or None after a problem saying why there is not one."""
    present = [kind for kind in KINDS if item.get(kind) is not None]
    if len(present) == 1:
        return present[0]
    if not present or present == ["url", "path"]:
        problem("needs exactly one of 'url' or 'path'")
    else:
        problem(f"has {' and '.join(repr(k) for k in present)}: a feed is only one of them")
    return None


def search_options(item: dict[str, Any], kind: str, problem: Problem) -> dict[str, Any]:
    """A ``trials`` or ``pubmed`` feed's query and ``api_key_command`` (pubmed only), as
    :class:`~biotui.model.Feed` keywords; a key of the wrong type is a problem."""
    options: dict[str, Any] = {}
    query = item.get(kind)
    if kind in SEARCH_KINDS:
        if not isinstance(query, str) or not query.strip():
            problem(f"'{kind}' must be a non-empty string (a search)")
        elif clean_text(query) != query.strip():
            problem(f"'{kind}' must be one line of text without control characters")
        else:
            options[kind] = query.strip()
    command = item.get("api_key_command")
    if command is not None:
        if kind != "pubmed":
            problem("'api_key_command' is only for a 'pubmed' feed (NCBI's API key)")
        elif not isinstance(command, str) or not command.strip():
            problem("'api_key_command' must be a non-empty string (a shell command)")
        else:
            options["api_key_command"] = command
    return options


def check_setting(key: str, value: str, problem: Problem) -> str | None:
    """A base URL setting or ``ncbi_email``, checked."""
    return check_email(value, problem) if key == "ncbi_email" else check_api_url(value, problem)


def check_api_url(value: str, problem: Problem) -> str | None:
    """``value`` without a trailing slash when it is an http(s) URL with a host."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problem(f"must be an http or https URL, not {value!r}")
        return None
    return value.strip().rstrip("/")


def check_email(value: str, problem: Problem) -> str | None:
    """``value`` when it looks like one e-mail address (for NCBI's ``email`` parameter)."""
    address = value.strip()
    if clean_text(address) != address or " " in address or "@" not in address.strip("@"):
        problem(f"must be an e-mail address, not {value!r}")
        return None
    return address
