"""Feeds merged into ``feeds.toml`` with tomlkit, keeping its comments and layout.

The merge is text in, text out; :func:`write_atomically` puts the result in place so that a
reader never sees a half-written file. :func:`add_to_config` is the whole write of one new
feed, shared by ``biotui add`` and the app's add dialog.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Whitespace

from biotui.config import load_config
from biotui.errors import ConfigError
from biotui.feedlist import ImportedFeed, url_key
from biotui.paths import APP_NAME, CONFIG_FILE, default_config_path


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The configuration's new text, one line per feed, and how many were added or tagged."""

    text: str
    lines: tuple[str, ...]
    added: int
    tagged: int
    unchanged: int


@dataclass
class _Pending:
    name: str
    url: str
    tags: list[str]
    note: str


def _collect(feeds: Iterable[ImportedFeed], extra_tags: Iterable[str]) -> dict[str, _Pending]:
    """One entry per URL (loosely compared), the union of its tags, in the list's order."""
    extra = list(extra_tags)
    pending: dict[str, _Pending] = {}
    for feed in feeds:
        key = url_key(feed.url)
        tags = [*feed.tags, *extra]
        if key in pending:
            known = pending[key].tags
            known.extend(tag for tag in tags if tag not in known)
        else:
            pending[key] = _Pending(feed.name, feed.url, list(dict.fromkeys(tags)), feed.note)
    return pending


def merge_feeds(text: str, feeds: Iterable[ImportedFeed], extra_tags: Iterable[str]) -> MergeResult:
    """Add ``feeds`` to the configuration ``text``; a URL already there only gains tags."""
    doc = tomlkit.parse(text)
    table_list: Any = doc.get("feeds")
    existing = table_list is not None
    if table_list is None:
        table_list = tomlkit.aot()
        doc.append("feeds", table_list)
    names: set[str] = set()
    by_key: dict[str, Any] = {}
    for table in table_list:
        names.add(str(table.get("name", "")).strip())
        url = table.get("url")
        if isinstance(url, str):
            by_key.setdefault(url_key(url), table)
    lines: list[str] = []
    added = tagged = unchanged = 0
    for key, feed in _collect(feeds, extra_tags).items():
        table = by_key.get(key)
        if table is not None:
            name = str(table.get("name", "")).strip()
            have = [str(tag) for tag in table.get("tags", [])]
            new = [tag for tag in feed.tags if tag not in have]
            if not new:
                unchanged += 1
                lines.append(f"already there: {name}")
                continue
            if "tags" in table:
                table["tags"].extend(new)
            else:
                table["tags"] = new
            tagged += 1
            lines.append(f"tagged: {name} (+{', '.join(new)})")
            continue
        name = _unique_name(feed.name, names)
        names.add(name)
        entry = tomlkit.table()
        entry["name"] = name
        entry["url"] = feed.url
        if feed.tags:
            entry["tags"] = feed.tags
        if existing:
            _end_with_blank_line(table_list)
            entry.add(tomlkit.nl())  # a blank line before whatever follows, as above it
        table_list.append(entry)
        by_key[key] = entry
        added += 1
        shown = f" [{', '.join(feed.tags)}]" if feed.tags else ""
        note = f" — {feed.note}" if feed.note else ""
        lines.append(f"added: {name} {feed.url}{shown}{note}")
    return MergeResult(tomlkit.dumps(doc), tuple(lines), added, tagged, unchanged)


def _unique_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    number = 2
    while f"{name} ({number})" in taken:
        number += 1
    return f"{name} ({number})"


def rebase_paths(text: str, base: Path) -> str:
    """Return the configuration ``text`` with each relative feed ``path`` made absolute
    against ``base``, so that a copy kept elsewhere still reaches the same files."""
    doc = tomlkit.parse(text)
    for table in doc.get("feeds", []):
        path = table.get("path")
        if isinstance(path, str) and not Path(path).expanduser().is_absolute():
            table["path"] = str(base / path)
    return tomlkit.dumps(doc)


def write_atomically(path: Path, text: str, check: Callable[[Path], object] | None = None) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``.

    ``check`` reads the temporary file first and raises to stop the rename. Raises what
    writing or ``check`` raised; the temporary file is removed when anything fails.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if check is not None:
            check(Path(temporary))
        with contextlib.suppress(OSError):
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def unique_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``… when another feed already has it (as import
    names a clash)."""
    return _unique_name(name, set(taken))


def drop_feed(text: str, name: str) -> str | None:
    """The configuration ``text`` without the ``[[feeds]]`` table named ``name``, or None
    when no feed has that name. The rest is kept as written: the comment lines above the
    removed table go with it, those above the next table stay with that table."""
    doc = tomlkit.parse(text)
    table_list: Any = doc.get("feeds")
    if table_list is None:
        return None
    for index, table in enumerate(table_list):
        if str(table.get("name", "")).strip() != name:
            continue
        # tomlkit keeps the lines above a table header at the end of the table before it
        following = _take_trailing(table)
        before = table_list[index - 1] if index > 0 else _table_before(doc, table_list)
        if before is not None:
            _take_trailing(before)
            before.value.body.extend(following)
        del table_list[index]
        if not len(table_list):
            del doc["feeds"]
        return tomlkit.dumps(doc)
    return None


def _take_trailing(table: Any) -> list[Any]:
    """Remove and return the comment and blank lines that end ``table``'s body."""
    body = table.value.body
    end = len(body)
    while end and body[end - 1][0] is None:
        end -= 1
    trailing = body[end:]
    del body[end:]
    return list(trailing)


def _table_before(doc: Any, item: Any) -> Any:
    """The table written just before ``item`` at the top of ``doc``, or None."""
    previous = None
    for _, value in doc.body:
        if value is item:
            return previous if isinstance(previous, tomlkit.items.Table) else None
        previous = value
    return None


@dataclass(frozen=True, slots=True)
class ConfigAdded:
    """Where a feed was written, the merge's lines, and whether the built-in configuration
    was first copied there."""

    target: Path
    lines: tuple[str, ...]
    copied: bool


class ConfigWriteError(Exception):
    """The configuration could not be read or written; the message is one line."""


def is_built_in(config_path: Path) -> bool:
    """True when ``config_path`` is the configuration shipped with biotui (never written)."""
    return config_path.resolve() == default_config_path().resolve()


def user_config_path() -> Path:
    """The configuration file in the user's configuration folder."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE


def read_for_edit(config_path: Path, *, built_in: bool) -> tuple[str, Path]:
    """The text of the configuration at ``config_path`` and where an edit of it is written:
    the file itself, or for the ``built_in`` one (never written) a copy in the user's folder,
    its relative paths rebased so that they still reach the bundled files. Raises
    :class:`ConfigWriteError` when the file cannot be read."""
    try:
        text = config_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigWriteError(f"{config_path}: cannot read: {exc}") from None
    if not built_in:
        return text, config_path
    return rebase_paths(text, config_path.parent), user_config_path()


def write_config(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` atomically, once it is known to load; raises
    :class:`ConfigWriteError` (nothing written) otherwise."""
    try:
        write_atomically(target, text, check=load_config)
    except ConfigError as exc:
        message = f"the new configuration would not load: {exc.problems[0]}"
        raise ConfigWriteError(message) from None
    except OSError as exc:
        raise ConfigWriteError(f"{target}: cannot write: {exc.strerror or exc}") from None


def _end_with_blank_line(table_list: Any) -> None:
    """Give the last table of ``table_list`` a blank line at its end (a file written by hand
    often has none), so that a table appended after it stands apart."""
    body = table_list[-1].value.body if len(table_list) else []
    if body and not isinstance(body[-1][1], Whitespace):
        table_list[-1].add(tomlkit.nl())


def add_to_config(config_path: Path, feed: ImportedFeed, *, built_in: bool) -> ConfigAdded:
    """Write ``feed`` into the configuration at ``config_path`` (see :func:`read_for_edit`).
    Raises :class:`ConfigWriteError`; nothing is written then."""
    text, target = read_for_edit(config_path, built_in=built_in)
    result = merge_feeds(text, [feed], [])
    write_config(target, result.text)
    return ConfigAdded(target, result.lines, built_in)


def set_setting(text: str, key: str, value: str) -> str:
    """The configuration ``text`` with ``key = value`` in its ``[settings]`` table (added at
    the end when there is none); everything else as written."""
    doc = tomlkit.parse(text)
    settings: Any = doc.get("settings")
    if settings is None:
        settings = tomlkit.table()
        doc.add(tomlkit.nl())
        doc.add("settings", settings)
    settings[key] = value
    return tomlkit.dumps(doc)
