"""Quicker thread switches while threads that mostly run outside Python's lock work together.

SQLite, hashlib, zlib and file I/O let go of the interpreter's lock while they work, but a thread
that wants it back waits for the holder's switch interval (5 ms by default) when the holder runs
Python — the PDF's layout, the import's parser. With several such hand-overs per 1 MiB chunk,
a thread feeding the other core spends most of its time waiting. While at least one user holds
`quick_switches`, the interval is `INTERVAL`; the previous one is restored after the last.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator

INTERVAL = 0.0005  # seconds

_lock = threading.Lock()
_users = [0]
_saved = [sys.getswitchinterval()]


def begin() -> None:
    with _lock:
        if not _users[0]:
            _saved[0] = sys.getswitchinterval()
            sys.setswitchinterval(INTERVAL)
        _users[0] += 1


def end() -> None:
    with _lock:
        _users[0] -= 1
        if not _users[0]:
            sys.setswitchinterval(_saved[0])


@contextlib.contextmanager
def quick_switches() -> Iterator[None]:
    begin()
    try:
        yield
    finally:
        end()
