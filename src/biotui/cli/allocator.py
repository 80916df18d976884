"""The C allocator of a ``biotui`` process: one arena for all its threads.

glibc gives a thread that allocates while another does an arena of its own, and keeps what
is freed in an arena for that arena. The app runs each query in a new thread, and a refresh
receives parsed feeds in a thread per parser process, so what the arenas keep adds up to much
of the process's size. With one arena (``mallopt(M_ARENA_MAX, 1)``, glibc's documented
tuning) each thread reuses what the others freed. Another C library is left alone.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["one_arena"]

M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the most arenas (``malloc.h``)."""


def one_arena() -> bool:
    """Limit the process to one arena before its threads start; True when glibc took it."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, 1))
