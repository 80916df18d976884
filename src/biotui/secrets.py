"""Secrets read from a ``*_command`` of the configuration (``password_command``, ...).

A command is run by the shell when its secret is first needed, at most once per process for
each command string (whatever it gave, a secret or a failure, is kept for the process), with
no terminal: standard input and standard error are closed off, so that a command cannot write
over the app's screen. Its first output line is the secret. The secret lives only in this
process's memory: it is never written to disk, and neither its repr nor any error shows it or
the command's output.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from dataclasses import dataclass, field

from biotui.errors import BiotuiError
from biotui.plaintext import clean_text

COMMAND_TIMEOUT = 30.0
"""Seconds a command may run before it is stopped and counts as failed."""


class SecretError(BiotuiError):
    """A secret's command failed; the one-line message names who needed it and how it failed,
    never what the command printed."""


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret value; its repr and str hide it, :meth:`reveal` gives it."""

    _value: str = field(repr=False)

    def reveal(self) -> str:
        """The secret itself, for the one place that sends it."""
        return self._value


@dataclass(frozen=True, slots=True)
class _Failure:
    """Why a command gave no secret, in words that hold nothing it printed."""

    reason: str


class _Cache:
    """Each command string's outcome; one lock per command, so that threads asking for the
    same command wait for its one run while other commands run at the same time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._outcomes: dict[str, Secret | _Failure] = {}

    def get(self, command: str) -> Secret | _Failure:
        with self._lock:
            lock = self._locks.setdefault(command, threading.Lock())
        with lock:
            outcome = self._outcomes.get(command)
            if outcome is None:
                outcome = self._outcomes[command] = _run(command)
            return outcome

    def clear(self) -> None:
        with self._lock:
            self._locks.clear()
            self._outcomes.clear()


_CACHE = _Cache()


def command_secret(command: str, *, owner: str, key: str) -> Secret:
    """The secret printed by ``command`` (run now if this process has not run it yet).

    ``owner`` and ``key`` name who needs it for the error (e.g. ``feed "Lab"`` and
    ``password_command``). Raises SecretError, one line, when the command fails.
    """
    outcome = _CACHE.get(command)
    if isinstance(outcome, _Failure):
        raise SecretError(clean_text(f"{key} of {owner} {outcome.reason}"))
    return outcome


def forget_secrets() -> None:
    """Forget every command's outcome: the next request runs its command again."""
    _CACHE.clear()


def _run(command: str) -> Secret | _Failure:
    """Run ``command`` through the shell and take its first output line."""
    try:
        process = subprocess.Popen(
            command,
            shell=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return _Failure(f"cannot start: {exc.strerror or type(exc).__name__}")
    try:
        output, _ = process.communicate(timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill(process)
        return _Failure(f"timed out after {COMMAND_TIMEOUT:g} s")
    if process.returncode != 0:
        return _Failure(f"failed (exit status {process.returncode})")
    lines = output.decode("utf-8", errors="replace").splitlines()
    if not lines or not lines[0]:
        return _Failure("printed nothing on its first line (exit status 0)")
    return Secret(lines[0])


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Stop the command and everything it started (its own session), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # gone already, or no process groups here
        process.kill()
    process.communicate()
