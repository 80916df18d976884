"""Local files: walk a file, folder or glob, and read each file with the reader its type needs.

Saved feeds (``.xml .rss .atom .rdf``, JSON Feed ``.json``) are read like fetched ones;
``.txt`` files are clippings, ``.md``/``.markdown`` Markdown and ``.html``/``.htm`` saved pages.
A text file that holds an RSS, Atom or RSS 1.0 document (by its root element) is read as a
feed whatever its extension.

Only regular files are read: a named pipe, a device or a folder named like a file is refused
without being read (opening a pipe that has no writer would wait forever). A feed file larger
than :data:`MAX_FILE_BYTES` is refused; of any other text file only the first
:data:`MAX_TEXT_BYTES` are read, and the article says so in a note.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from biotui.errors import SourceError
from biotui.model import Article
from biotui.plaintext import clean_text
from biotui.sources.clipping import parse_clipping
from biotui.sources.feed import parse_feed
from biotui.sources.markdown import parse_markdown
from biotui.sources.xmlguard import FEED_ROOTS, looks_like_json, root_element

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Feed files larger than this are refused (the same cap as a fetched feed's body)."""

MAX_TEXT_BYTES = 5 * 1024 * 1024
"""Of a clipping, Markdown file or saved page only this many bytes are read: enough for any
article (bodies are cut at 1,000,000 characters, pages at 5,000,000) while memory stays
bounded."""

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


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
"""One well-formed UTF-8 sequence of two to four bytes."""
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_SNIFF_BYTES = 8192


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else cp1252.

    UTF-8 with a few invalid bytes (a damaged file, or one cut in the middle of a character)
    stays UTF-8, each bad byte shown as U+FFFD; UTF-16 without a BOM is recognised when its
    text is mostly ASCII. Otherwise bytes that are not UTF-8 are cp1252, falling back to
    Latin-1 (which decodes anything) for bytes cp1252 leaves undefined; either way no letter
    is lost (Latin-1 ``M\\xfcnchen`` is ``München``).
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_codec(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace")
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _mostly_utf8(data: bytes) -> bool:
    """Whether ``data`` holds more bytes of well-formed UTF-8 sequences than stray high bytes.

    Legacy 8-bit text almost never forms UTF-8 sequences (``é`` in cp1252 is one byte followed
    by a letter), so one such sequence outweighing the stray bytes means damaged UTF-8.
    """
    in_sequences = sum(len(match) for match in _UTF8_SEQUENCE.findall(data))
    stray = len(_HIGH_BYTE.findall(data)) - in_sequences
    return in_sequences > 0 and stray <= in_sequences


def _utf16_codec(data: bytes) -> str | None:
    """The codec of UTF-16 ``data`` without a byte order mark (``utf-16-le``/``-be``), or None.

    Judged on the first 8 KiB: at least half the code units hold a NUL in the same half (ASCII
    text: ``M\\x00ü\\x00``), no code unit is NUL as a whole, and they decode to text without
    controls other than line breaks and tabs.
    """
    head = data[: min(len(data), _SNIFF_BYTES) & ~1]  # whole code units only
    units = len(head) // 2
    if units == 0 or b"\x00" not in head:
        return None
    for codec, high in (("utf-16-le", 1), ("utf-16-be", 0)):
        if head[high::2].count(0) * 2 < units:
            continue
        if any(head[i] == head[i + 1] == 0 for i in range(0, len(head), 2)):
            continue
        if not _CONTROL.search(head.decode(codec, errors="replace")):
            return codec
    return None


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_binary(data: bytes) -> bool:
    """Tell whether ``data`` is binary rather than text.

    Binary means a NUL byte in the first 8 KiB with no UTF-16/32 byte order mark to explain it,
    and not UTF-16 text without a byte order mark either.
    """
    if any(data.startswith(bom) for bom, codec in _BOMS if codec != "utf-8"):
        return False
    return b"\x00" in data[:_SNIFF_BYTES] and _utf16_codec(data) is None


def _is_glob(spec: str) -> bool:
    return any(char in spec for char in "*?[")


def _hidden(name: str) -> bool:
    return name.startswith(".")


def iter_files(spec: str) -> Iterator[Path]:
    """Yield the files ``spec`` names: a file, a folder (recursively) or a glob pattern.

    Folders are walked depth first in sorted name order, skipping hidden files and folders and
    files of unknown type; symlinked folders are followed once (no loops). Every other entry of
    a known type is yielded, even one that cannot be read (a broken link, a named pipe), so
    that reading it reports why. A glob that matches nothing yields nothing. Raises
    :class:`SourceError` when a plain path does not exist.
    """
    path = Path(spec).expanduser()
    if path.is_dir():
        yield from _walk(path, set())
    elif os.path.lexists(path):
        yield path
    elif _is_glob(spec):
        visited: set[Path] = set()
        for match in sorted(glob.glob(os.path.expanduser(spec), recursive=True)):
            found = Path(match)
            if found.is_dir():
                yield from _walk(found, visited)
            elif found.suffix.lower() in EXTENSIONS:
                yield found
    else:
        raise SourceError(f"{spec}: no such file or folder")


def feed_root(spec: str) -> Path:
    """The folder that the paths of ``spec``'s files are taken relative to, for their guids.

    A folder is its own root, a single file's root is its folder, and a glob's is its fixed
    prefix: the folder part before its first wildcard (``news/**/*.md`` -> ``news``). Read
    the same way :func:`iter_files` reads ``spec``; never raises.
    """
    path = Path(spec).expanduser()
    if path.is_dir():
        return path
    if os.path.lexists(path) or not _is_glob(spec):
        return path.parent
    expanded = os.path.expanduser(spec)
    first = min(expanded.index(char) for char in "*?[" if char in expanded)
    return Path(os.path.dirname(expanded[:first]))


def local_guid(path: Path, root: Path | None) -> str:
    """The guid of the local (non-feed) file ``path``: its path relative to ``root`` with
    ``/`` separators (None: its folder, so the file name), so that it stays the same when the
    folder moves or is reached by another path. A file outside ``root`` (reached through a
    link) falls back to its resolved absolute path."""
    base = path.parent if root is None else root
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        pass
    real = path.resolve()
    try:
        return real.relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(real)


def _walk(folder: Path, visited: set[Path]) -> Iterator[Path]:
    try:
        real = folder.resolve()
        if real in visited:
            return
        visited.add(real)
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return
    for entry in entries:
        if _hidden(entry.name):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(Path(entry.path), visited)
        elif Path(entry.name).suffix.lower() in EXTENSIONS:
            yield Path(entry.path)


def sniff(data: bytes) -> str:
    """Say what ``data`` holds by its content: ``"feed"``, ``"json"`` or ``""`` (unknown)."""
    if looks_like_json(data):
        return "json"
    return "feed" if root_element(data).lower() in FEED_ROOTS else ""


def read_file(
    path: Path, feed: str, *, warnings: list[str] | None = None, root: Path | None = None
) -> list[Article]:
    """Read the articles in the local file ``path`` for feed ``feed``.

    Feed files give one article per entry (guid from the entry); other files give one article
    whose guid is the file's path relative to ``root``, the feed's root (see :func:`feed_root`
    and :func:`local_guid`; None: the file's folder), and whose link is the ``file://`` URI of
    where the file is now. Warnings
    about a feed file are appended to ``warnings`` when given. Raises :class:`SourceError`
    ``"<file>: <why>"`` for a file that cannot be read or is of an unsupported type.
    """
    name = clean_text(str(path))
    try:
        return _read(path, feed, warnings if warnings is not None else [], root)
    except SourceError as exc:
        raise SourceError(f"{name}: {exc}") from None
    except OSError as exc:
        raise SourceError(f"{name}: cannot read: {clean_text(exc.strerror or str(exc))}") from None
    except Exception as exc:  # a reader's bug on one odd file must not stop a refresh
        reason = clean_text(f"{type(exc).__name__}: {exc}")[:200]
        raise SourceError(f"{name}: could not be read ({reason})") from exc


def _read(path: Path, feed: str, warnings: list[str], root: Path | None) -> list[Article]:
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise SourceError(f"unsupported file type {suffix or '(no extension)'!r}")
    if suffix in FEED_EXTENSIONS:
        return _read_feed(path, feed, warnings)
    data, size = _read_head(path, MAX_TEXT_BYTES)
    if sniff(data) == "feed":
        return _read_feed(path, feed, warnings) if len(data) < size else _feed(data, feed, warnings)
    if looks_binary(data):
        raise SourceError("binary content, not text")
    cut = len(data) < size
    if cut:
        data = _without_partial_character(data)
    real = path.resolve()
    text, guid, link = decode_text(data), local_guid(path, root), real.as_uri()
    if suffix in (".html", ".htm"):
        from biotui.sources.webpage import parse_webpage  # trafilatura is slow to load

        article = parse_webpage(text, feed=feed, guid=guid, link=link)
    elif suffix in (".md", ".markdown"):
        article = parse_markdown(text, feed=feed, guid=guid, link=link)
    else:
        article = parse_clipping(text, feed=feed, guid=guid, link=link)
    if cut:
        note = f"file cut to its first {MAX_TEXT_BYTES:,} of {size:,} bytes before reading"
        article = dataclasses.replace(article, notes=(note, *article.notes))
    return [article]


def _read_feed(path: Path, feed: str, warnings: list[str]) -> list[Article]:
    data, _ = _read_head(path, MAX_FILE_BYTES, refuse_larger=True)
    return _feed(data, feed, warnings)


def _feed(data: bytes, feed: str, warnings: list[str]) -> list[Article]:
    result = parse_feed(data, feed)
    warnings.extend(result.warnings)
    return result.articles


_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def _read_head(path: Path, limit: int, *, refuse_larger: bool = False) -> tuple[bytes, int]:
    """Return the first ``limit`` bytes of the regular file ``path``, and the file's size.

    The file is opened without blocking and checked before any read: a named pipe with no
    writer, a device or a folder raises :class:`SourceError` at once instead of hanging. With
    ``refuse_larger``, a file larger than ``limit`` raises :class:`SourceError` unread.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "special")
            raise SourceError(f"cannot read: {kind}, not a regular file")
        if refuse_larger and info.st_size > limit:
            raise SourceError(f"file too large ({info.st_size:,} bytes; the limit is {limit:,})")
        file = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with file:
        return file.read(limit), info.st_size


def _without_partial_character(data: bytes) -> bytes:
    """``data`` without a UTF-8 character cut short at its end (left by a cut read)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # the lead byte of the last sequence
            length = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data[:-back] if length > back else data
    return data
