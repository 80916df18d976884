"""Saving an article's Markdown file into a folder (the app's ``e``): under a new name, never
over another file, and whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

from biotui.articlefile import article_markdown, file_name
from biotui.model import Article

MAX_TRIES = 1000
"""Names tried (``Title.md``, ``Title (2).md``…) before giving up."""
_NO_HARD_LINKS = (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK)


def save_article(article: Article, folder: Path) -> Path:
    """Write ``article`` as Markdown into ``folder`` (which must exist) and return its path.

    The file is written to a temporary name in ``folder`` first and then linked to its own
    name, which fails instead of replacing a file that is there: a name already taken gets a
    number, and no other file is ever overwritten or left half written. Raises
    :class:`OSError` when the folder is missing or cannot be written.
    """
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(folder))
    # Not mkstemp: its file is private (0600), and the saved file should be like any other
    # file the person makes (0666 less the umask).
    temporary = str(folder / f".biotui-{secrets.token_hex(8)}.md.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(article_markdown(article))
            stream.flush()
            os.fsync(stream.fileno())
        for number in range(1, MAX_TRIES + 1):
            target = folder / file_name(article, number)
            with contextlib.suppress(FileExistsError):
                _place(temporary, target)
                return target
        raise FileExistsError(errno.EEXIST, "every name is taken", str(folder))
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _place(temporary: str, target: Path) -> None:
    """Give the written file ``target``'s name unless a file has it (FileExistsError)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here (FAT, some network shares): claim the name, then replace the
        # empty file just claimed with the written one in one rename.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        os.replace(temporary, target)
