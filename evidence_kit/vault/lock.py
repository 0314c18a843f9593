"""One writer at a time: an OS lock on `vault/.lock`, released by the OS when the process dies.

The file holds the holder's pid so a second program can say who has the vault. A lock left by
a process that died is not held by anyone any more, so it is simply taken over.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from evidence_kit.errors import VaultInUse

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class VaultLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / ".lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            pid = _read_pid(fd)
            os.close(fd)
            raise VaultInUse(pid)
        # Windows locks byte 0, so the pid goes after it.
        os.lseek(fd, 0, os.SEEK_SET)
        if os.name != "nt":
            os.ftruncate(fd, 0)
        os.write(fd, f" {os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 64).decode("ascii", "replace")
        return int(text.split()[0])
    except (OSError, ValueError, IndexError):
        return None
