"""One local feed's changed files, read in one go: what a refresh asks of a parser process.

A file whose size and modification time match the last refresh is not read again. Everything
here is plain data that pickles cheaply: the refresh may run it in a worker process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from biotui.errors import SourceError
from biotui.model import Article, FileSignature
from biotui.plaintext import clean_text
from biotui.sources.local import iter_files, read_file


@dataclass(slots=True)
class LocalRead:
    """What reading a local feed gave: articles, the signatures of the files read, warnings."""

    articles: list[Article] = field(default_factory=list)
    files: list[FileSignature] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_changed_files(spec: str, feed: str, known: dict[str, FileSignature]) -> LocalRead:
    """Read the files of local feed ``feed`` (path ``spec``) that changed since ``known``.

    A file that cannot be read becomes a warning naming it; the others are still read.
    Raises :class:`SourceError` (one line, naming the path) when ``spec`` itself is unusable.
    """
    read = LocalRead()
    try:
        for path in iter_files(spec):
            _read_one(path, feed, known, read)
    except OSError as exc:
        raise SourceError(f"{spec}: {exc.strerror or exc}") from None
    return read


def _read_one(path: Path, feed: str, known: dict[str, FileSignature], read: LocalRead) -> None:
    try:
        info = os.stat(path)
    except OSError as exc:
        reason = clean_text(exc.strerror or str(exc))
        read.warnings.append(f"skipped {clean_text(str(path))}: cannot read: {reason}")
        return
    signature = FileSignature(str(path), info.st_size, info.st_mtime_ns)
    if known.get(signature.path) == signature:
        return
    notes: list[str] = []
    try:
        articles = read_file(Path(path), feed, warnings=notes)
    except SourceError as exc:
        read.warnings.append(f"skipped {exc}")
        return
    read.warnings.extend(f"{path}: {note}" for note in notes)
    read.articles.extend(articles)
    read.files.append(signature)
