"""Quicker thread switches while threads that mostly run outside Python's lock work together.

SQLite, hashlib, zlib and file I/O let go of the interpreter's lock while they work, but a thread
that wants it back waits for the holder's switch interval (5 ms by default) when the holder runs
Python — the PDF's layout, the import's parser. With several such hand-overs per 1 MiB chunk,
a thread feeding the other core spends most of its time waiting. Between a user's `begin` and
its `end` the interval is `INTERVAL`; the previous one is restored when the last user ends.
"""

from __future__ import annotations

import sys
import threading

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
