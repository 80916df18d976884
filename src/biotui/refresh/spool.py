"""A fetched body on its way to a parser process: a spool file, created at its first byte.

The fetching threads write a feed's or a page's body here as it arrives (never whole in
memory); the worker that reads it gets the file's path, and the file is deleted once read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from biotui.errors import SourceError

__all__ = ["Download", "spool_error"]


class Download:
    """One body written to a new file of the refresh's spool folder (``spool_file()`` names
    it, and raises OSError once the refresh is over); ``what`` it is names it in errors."""

    def __init__(self, spool_file: Callable[[], Path], what: str = "feed") -> None:
        self._spool_file = spool_file
        self._what = what
        self.path: Path | None = None
        self._file: BinaryIO | None = None

    def write(self, data: bytes) -> int:
        """Append ``data`` to the file; SourceError, saying why, when the spool cannot."""
        try:
            if self._file is None:
                self.path = self._spool_file()
                self._file = self.path.open("wb")
            return self._file.write(data)
        except OSError as exc:  # the temporary folder is full or gone
            raise SourceError(spool_error(exc, self._what)) from None

    def close(self) -> None:
        """Close the file; it stays until :meth:`delete`."""
        if self._file is not None:
            self._file.close()

    def delete(self) -> None:
        """Close and delete the file."""
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def spool_error(exc: OSError, what: str = "feed") -> str:
    """Why a downloaded ``what`` could not be kept, in one line."""
    return f"cannot keep the downloaded {what}: {exc.strerror or exc}"
