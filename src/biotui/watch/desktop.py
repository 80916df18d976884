"""A desktop notification through ``notify-send``, where it is installed.

It runs without a shell, with the text as plain arguments after ``--`` (a headline
starting with ``-`` is no option). ``notify-send`` reads a subset of markup in the body, so
``&``, ``<`` and ``>`` are escaped there; the summary is plain text by the specification.
Textual has no public way to send the terminal's own notification (OSC 9 or 777), so there
is none: the app says it in its own notification anyway. Any failure is silent: the desktop
notification is an extra, never a reason for an error.
"""

from __future__ import annotations

import shutil
import subprocess

from biotui.plaintext import clean_multiline, clean_text

__all__ = ["TIMEOUT", "desktop_notify", "escape_body"]

TIMEOUT = 5.0
"""Seconds ``notify-send`` may take before it is left."""


def escape_body(text: str) -> str:
    """``text`` as plain text in a notification body: ``&``, ``<`` and ``>`` escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def desktop_notify(summary: str, body: str) -> bool:
    """Show ``summary`` and ``body`` (plain text) as a desktop notification; False when
    ``notify-send`` is not on the PATH or fails."""
    program = shutil.which("notify-send")
    if program is None:
        return False
    args = [program, "--app-name=biotui", "--", clean_text(summary)]
    args.append(escape_body(clean_multiline(body)))
    try:
        done = subprocess.run(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0
