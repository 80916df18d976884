"""Local files: walk a file, folder or glob, and read each file with the reader its type needs.

Saved feeds (``.xml .rss .atom .rdf``, JSON Feed ``.json``) are read like fetched ones;
``.txt`` files are clippings, ``.md``/``.markdown`` Markdown and ``.html``/``.htm`` saved pages.
A text file that holds an RSS, Atom or RSS 1.0 document (by its root element) is read as a
feed whatever its extension.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from pathlib import Path

from biotui.errors import SourceError
from biotui.model import Article
from biotui.sanitize import clean_text
from biotui.sources.clipping import parse_clipping
from biotui.sources.feed import FEED_ROOTS, looks_like_json, parse_feed, root_element
from biotui.sources.markdown import parse_markdown
from biotui.sources.webpage import parse_webpage

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Files larger than this are refused (the same cap as a fetched feed's body)."""

FEED_EXTENSIONS = frozenset({".xml", ".rss", ".atom", ".rdf", ".json"})
TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
EXTENSIONS = FEED_EXTENSIONS | TEXT_EXTENSIONS
"""The extensions read when walking a folder; other files there are skipped silently."""

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else cp1252.

    Bytes that cp1252 leaves undefined make it fall back to Latin-1, which decodes anything;
    either way no letter is lost (Latin-1 ``M\\xfcnchen`` is ``München``).
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def looks_binary(data: bytes) -> bool:
    """Tell whether ``data`` is binary rather than text.

    Binary means a NUL byte in the first 8 KiB with no UTF-16/32 byte order mark to explain it.
    """
    if any(data.startswith(bom) for bom, codec in _BOMS if codec != "utf-8"):
        return False
    return b"\x00" in data[:8192]


def _is_glob(spec: str) -> bool:
    return any(char in spec for char in "*?[")


def _hidden(name: str) -> bool:
    return name.startswith(".")


def iter_files(spec: str) -> Iterator[Path]:
    """Yield the files ``spec`` names: a file, a folder (recursively) or a glob pattern.

    Folders are walked depth first in sorted name order, skipping hidden files and folders and
    files of unknown type; symlinked folders are followed once (no loops). A glob that matches
    nothing yields nothing. Raises :class:`SourceError` when a plain path does not exist.
    """
    path = Path(spec).expanduser()
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from _walk(path, set())
    elif _is_glob(spec):
        visited: set[Path] = set()
        for match in sorted(glob.glob(os.path.expanduser(spec), recursive=True)):
            found = Path(match)
            if found.is_file() and found.suffix.lower() in EXTENSIONS:
                yield found
            elif found.is_dir():
                yield from _walk(found, visited)
    else:
        raise SourceError(f"{spec}: no such file or folder")


def _walk(folder: Path, visited: set[Path]) -> Iterator[Path]:
    try:
        real = folder.resolve()
        if real in visited:
            return
        visited.add(real)
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if _hidden(entry.name):
            continue
        try:
            if entry.is_dir():
                yield from _walk(Path(entry.path), visited)
            elif entry.is_file() and Path(entry.name).suffix.lower() in EXTENSIONS:
                yield Path(entry.path)
        except OSError:
            continue


def sniff(data: bytes) -> str:
    """Say what ``data`` holds by its content: ``"feed"``, ``"json"`` or ``""`` (unknown)."""
    if looks_like_json(data):
        return "json"
    return "feed" if root_element(data).lower() in FEED_ROOTS else ""


def read_file(path: Path, feed: str, *, warnings: list[str] | None = None) -> list[Article]:
    """Read the articles in the local file ``path`` for feed ``feed``.

    Feed files give one article per entry (guid from the entry); other files give one article
    whose guid is the file's resolved path and whose link is its ``file://`` URI. Warnings
    about a feed file are appended to ``warnings`` when given. Raises :class:`SourceError`
    ``"<file>: <why>"`` for a file that cannot be read or is of an unsupported type.
    """
    name = clean_text(str(path))
    try:
        return _read(path, feed, warnings if warnings is not None else [])
    except SourceError as exc:
        raise SourceError(f"{name}: {exc}") from None
    except OSError as exc:
        raise SourceError(f"{name}: cannot read: {clean_text(exc.strerror or str(exc))}") from None
    except Exception as exc:  # a reader's bug on one odd file must not stop a refresh
        reason = clean_text(f"{type(exc).__name__}: {exc}")[:200]
        raise SourceError(f"{name}: could not be read ({reason})") from exc


def _read(path: Path, feed: str, warnings: list[str]) -> list[Article]:
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise SourceError(f"unsupported file type {suffix or '(no extension)'!r}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SourceError(f"file too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    data = path.read_bytes()
    if suffix in FEED_EXTENSIONS or sniff(data) == "feed":
        result = parse_feed(data, feed)
        warnings.extend(result.warnings)
        return result.articles
    if looks_binary(data):
        raise SourceError("binary content, not text")
    real = path.resolve()
    text, guid, link = decode_text(data), str(real), real.as_uri()
    if suffix in (".html", ".htm"):
        return [parse_webpage(text, feed=feed, guid=guid, link=link)]
    if suffix in (".md", ".markdown"):
        return [parse_markdown(text, feed=feed, guid=guid, link=link)]
    return [parse_clipping(text, feed=feed, guid=guid, link=link)]
