"""Keep the C allocator from holding on to the big buffers that streaming passes through.

Evidence streams in 1 MiB chunks through several threads (hash ahead, zip writer). glibc raises
its mmap threshold after the first such buffer is freed, so later ones come from per-thread heap
arenas and fragment them: peak memory then depends on thread timing (seen: 100 MB alone, 200 MB
on a loaded machine). A fixed threshold keeps every large buffer mmapped and returned at once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3


def steady_allocator() -> None:
    """On Linux with glibc: large blocks always mmapped; two malloc arenas. Elsewhere: nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 256 * 1024)
        libc.mallopt(M_ARENA_MAX, 2)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to tune
        pass
