"""Load and validate ``feeds.toml``, reporting every problem at once with its place."""

from __future__ import annotations

import glob
import re
import tomllib
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from biotui import feedkinds
from biotui.durations import parse_duration
from biotui.errors import ConfigError
from biotui.keysconfig import parse_keys
from biotui.model import Config, Feed, SavedSearch, Settings
from biotui.mutesconfig import parse_mutes
from biotui.plaintext import clean_text, type_name
from biotui.syncconfig import parse_sync

_SETTINGS_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "timeout": ((int, float), "a number of seconds"),
    "concurrency": ((int,), "an integer"),
    "refresh_on_start": ((bool,), "true or false"),
    "instant_start": ((bool,), "true or false"),
    "refresh_every": ((str,), 'a duration such as "30m", or "off"'),
    "export_dir": ((str,), "a folder's path"),
    "theme": ((str,), 'a theme name such as "textual-dark"'),
    "clinicaltrials_api": ((str,), "a URL"),
    "eutils_api": ((str,), "a URL"),
    "ncbi_email": ((str,), "an e-mail address"),
    "keep_days": ((int,), "a whole number of days"),
}
_FEED_KEYS = {
    "name",
    "url",
    "path",
    "tags",
    "refresh_every",
    "timeout",
    "user_agent",
    "username",
    "password_command",
    "full_text",
    "trials",
    "pubmed",
    "api_key_command",
}
_SEARCH_KEYS = {"name", "query", "notify"}
_TOP_KEYS = {"settings", "feeds", "searches", "mute", "keys", "sync"}
_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def load_config(path: Path) -> Config:
    """Read and validate the configuration at ``path``.

    Raises ConfigError listing every problem, each prefixed with the file name and place.
    """
    label = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError([f"{path}: no such configuration file"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError([f"{label}: not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{label}: {_toml_error(str(exc))}"]) from None
    return _validate(data, path)


def _toml_error(message: str) -> str:
    """Turn tomllib's message into 'line L, column C: what' form."""
    match = _TOML_PLACE.search(message)
    if not match:
        return f"TOML syntax error: {message}"
    what = message[: match.start()]
    return f"line {match[1]}, column {match[2]}: {what[:1].lower()}{what[1:]}"


class _Problems:
    """Collects problems, each prefixed with the configuration file name."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.items: list[str] = []

    def add(self, place: str, what: str) -> None:
        # Keys and names come from the file: never let them carry escape sequences out.
        self.items.append(clean_text(f"{self.label}: {place}: {what}"))


def _validate(data: dict[str, Any], path: Path) -> Config:
    problems = _Problems(path.name)
    for key in data:
        if key not in _TOP_KEYS:
            problems.add(key, f"unknown key (expected one of {', '.join(sorted(_TOP_KEYS))})")
    settings = _settings(data.get("settings", {}), problems, path.parent)
    feeds = _feeds(data.get("feeds", []), path.parent, problems)
    searches = _searches(data.get("searches", []), problems)
    mutes = parse_mutes(data.get("mute", []), problems.add)
    keys = parse_keys(data.get("keys", {}), problems.add)
    sync = parse_sync(data.get("sync"), problems.add)
    if problems.items:
        raise ConfigError(problems.items)
    return Config(
        path=path,
        settings=settings,
        feeds=feeds,
        searches=searches,
        mutes=mutes,
        keys=keys,
        sync=sync,
    )


def _settings(table: Any, problems: _Problems, base: Path) -> Settings:
    if not isinstance(table, dict):
        problems.add("settings", f"must be a table, not {type_name(table)}")
        return Settings()
    values: dict[str, Any] = {}
    for key, value in table.items():
        place = f"settings.{key}"
        if key not in _SETTINGS_TYPES:
            problems.add(place, f"unknown key (expected one of {', '.join(_SETTINGS_TYPES)})")
            continue
        types, wanted = _SETTINGS_TYPES[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            problems.add(place, f"must be {wanted}, not {type_name(value)}")
            continue
        checked: Any = value
        if key == "refresh_every":
            _duration_into(values, key, value, place, problems)
        elif key == "export_dir":
            _folder_into(values, key, checked, base, place, problems)
        elif key in feedkinds.API_SETTINGS or key == "ncbi_email":
            checked = feedkinds.check_setting(key, checked, partial(problems.add, place))
            values.update({key: checked} if checked is not None else {})
        elif key == "keep_days" and checked < 1:
            problems.add(place, "must be at least 1 (leave it out to keep every article)")
        elif key in ("timeout", "concurrency") and checked <= 0:
            problems.add(place, "must be greater than 0")
        elif key == "concurrency" and checked > 256:
            problems.add(place, "must be at most 256")
        else:
            values[key] = float(checked) if key == "timeout" else checked
    return Settings(**values)


def _feeds(items: Any, base: Path, problems: _Problems) -> tuple[Feed, ...]:
    if not isinstance(items, list):
        problems.add("feeds", "must be an array of tables ([[feeds]])")
        return ()
    feeds: list[Feed] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        place = f"feeds[{number}]"
        if not isinstance(item, dict):
            problems.add(place, f"must be a table, not {type_name(item)}")
            continue
        name = item.get("name")
        if isinstance(name, str) and name.strip():
            place = f'{place} "{name}"'
            if name.strip() in seen:
                problems.add(place, f"duplicate name (also feeds[{seen[name.strip()]}])")
                continue
            seen[name.strip()] = number
        feed = _feed(item, place, base, problems)
        if feed is not None:
            feeds.append(feed)
    return tuple(feeds)


def _feed(item: dict[str, Any], place: str, base: Path, problems: _Problems) -> Feed | None:
    before = len(problems.items)
    for key in item:
        if key not in _FEED_KEYS:
            problems.add(
                place, f"unknown key '{key}' (expected one of {', '.join(sorted(_FEED_KEYS))})"
            )
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(place, "needs a 'name' (a non-empty string)")
    elif clean_text(name) != name.strip():
        problems.add(place, "'name' must be one line of text without control characters")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        problems.add(place, "'tags' must be an array of strings")
    url, path = item.get("url"), item.get("path")
    kind = feedkinds.feed_kind(item, lambda what: problems.add(place, what))
    searches = feedkinds.search_options(item, kind or "", lambda what: problems.add(place, what))
    if kind is None or kind in feedkinds.SEARCH_KINDS:
        pass
    elif url is not None:
        _check_url(url, place, problems)
    elif not isinstance(path, str) or not path.strip():
        problems.add(place, "'path' must be a non-empty string")
    else:
        path = _resolve_path(path, base)
        if not _is_glob(path) and not Path(path).exists():
            problems.add(place, f"path does not exist: {path}")
    options = _feed_options(item, place, problems)
    options.update(_feed_credentials(item, place, problems))
    if len(problems.items) > before:
        return None
    assert isinstance(name, str)
    options.update(searches)
    return Feed(name=name.strip(), url=url, path=path, tags=tuple(tags), **options)


def _duration_into(
    values: dict[str, Any], key: str, value: Any, place: str, problems: _Problems
) -> None:
    """Store ``value`` as seconds under ``key``, or add why it is not a duration."""
    try:
        values[key] = parse_duration(value)
    except ValueError as exc:
        problems.add(place, f"{exc}, not {value!r}")


def _folder_into(
    values: dict[str, Any], key: str, value: str, base: Path, place: str, problems: _Problems
) -> None:
    """Store ``value`` as an absolute path (``~`` expanded, relative to the configuration's
    folder), or add why it is not a folder's path. The folder need not exist yet."""
    if not value.strip() or clean_text(value) != value.strip():
        problems.add(place, "must be a folder's path: one line of text, not empty")
        return
    folder = Path(value.strip()).expanduser()
    values[key] = folder if folder.is_absolute() else (base / folder).absolute()


def _feed_options(item: dict[str, Any], place: str, problems: _Problems) -> dict[str, Any]:
    """A feed's own refresh settings (``refresh_every``, ``timeout``, ``user_agent``,
    ``full_text``)."""
    options: dict[str, Any] = {}
    every = item.get("refresh_every")
    if every is not None:
        if isinstance(every, str):
            _duration_into(options, "refresh_every", every, f"{place}: 'refresh_every'", problems)
        else:
            problems.add(place, f"'refresh_every' must be a duration, not {type_name(every)}")
    timeout = item.get("timeout")
    if timeout is not None:
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool):
            problems.add(place, f"'timeout' must be a number of seconds, not {type_name(timeout)}")
        elif timeout <= 0:
            problems.add(place, "'timeout' must be greater than 0")
        else:
            options["timeout"] = float(timeout)
    agent = item.get("user_agent")
    if agent is not None:
        if not isinstance(agent, str) or not agent.strip():
            problems.add(place, "'user_agent' must be a non-empty string")
        elif clean_text(agent) != agent.strip():
            problems.add(place, "'user_agent' must be one line of text without control characters")
        else:
            options["user_agent"] = agent.strip()
    full_text = item.get("full_text")
    if full_text is not None:
        if isinstance(full_text, bool) and full_text and item.get("url") is None:
            problems.add(place, "'full_text' is only for a 'url' feed (its articles' pages)")
        elif isinstance(full_text, bool):
            options["full_text"] = full_text
        else:
            problems.add(place, f"'full_text' must be true or false, not {type_name(full_text)}")
    return options


def _feed_credentials(item: dict[str, Any], place: str, problems: _Problems) -> dict[str, Any]:
    """A feed's HTTP basic auth: ``username`` and ``password_command``, both or neither."""
    username, command = item.get("username"), item.get("password_command")
    if username is None and command is None:
        return {}
    before = len(problems.items)
    if username is not None and (not isinstance(username, str) or not username.strip()):
        problems.add(place, "'username' must be a non-empty string")
    elif isinstance(username, str) and (clean_text(username) != username or ":" in username):
        problems.add(place, "'username' must be one line of text without ':' or control characters")
    if command is not None and (not isinstance(command, str) or not command.strip()):
        problems.add(place, "'password_command' must be a non-empty string (a shell command)")
    if (username is None) != (command is None):
        missing = "password_command" if command is None else "username"
        problems.add(place, f"'username' and 'password_command' go together: add '{missing}'")
    elif item.get("url") is None:
        problems.add(place, "'username' and 'password_command' are only for a 'url' feed")
    if len(problems.items) > before:
        return {}
    return {"username": username, "password_command": command}


def _check_url(url: Any, place: str, problems: _Problems) -> None:
    if not isinstance(url, str):
        problems.add(place, f"'url' must be a string, not {type_name(url)}")
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        shown = f"'{parts.scheme}'" if parts.scheme else "no scheme"
        problems.add(place, f"'url' must be http or https, not {shown}: {url}")
    elif not parts.hostname:
        problems.add(place, f"'url' has no host: {url}")


def _is_glob(path: str) -> bool:
    return glob.has_magic(path)


def _resolve_path(path: str, base: Path) -> str:
    candidate = Path(path).expanduser()
    if not candidate.is_absolute():
        candidate = base / candidate
    return str(candidate.resolve()) if not _is_glob(str(candidate)) else str(candidate)


def _searches(items: Any, problems: _Problems) -> tuple[SavedSearch, ...]:
    if not isinstance(items, list):
        problems.add("searches", "must be an array of tables ([[searches]])")
        return ()
    searches: list[SavedSearch] = []
    names: set[str] = set()
    for number, item in enumerate(items, start=1):
        place = f"searches[{number}]"
        if not isinstance(item, dict):
            problems.add(place, f"must be a table, not {type_name(item)}")
            continue
        for key in item:
            if key not in _SEARCH_KEYS:
                problems.add(place, f"unknown key '{key}' (expected name, query, notify)")
        name, query = item.get("name"), item.get("query")
        notify = item.get("notify", False)
        if not isinstance(notify, bool):
            problems.add(place, f"'notify' must be true or false, not {type_name(notify)}")
        if not isinstance(name, str) or not name.strip():
            problems.add(place, "needs a 'name' (a non-empty string)")
        elif name in names:
            problems.add(place, f'duplicate name "{name}"')
        if not isinstance(query, str) or not query.strip():
            problems.add(place, "needs a 'query' (a non-empty string)")
        if isinstance(name, str) and isinstance(query, str) and name.strip() and query.strip():
            names.add(name)
            searches.append(SavedSearch(name.strip(), query, notify=notify is True))
    return tuple(searches)
