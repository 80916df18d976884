"""A biotui process keeps one C allocator arena (glibc only)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only")
def test_one_arena_is_taken_by_glibc() -> None:
    # In a process of its own: the limit stays for the process's life.
    code = "from biotui.cli.allocator import one_arena; print(one_arena())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr
