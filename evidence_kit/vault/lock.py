"""One writer at a time: an OS lock on `vault/.lock`, released by the OS when the process dies.

The file holds the holder's pid, program and start time so a second program can say who has
the vault. A lock left by a process that died is not held by anyone any more, so it is simply
taken over.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from evidence_kit.clock import SystemClock
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
    """`holder` says who has the vault ("evidence-kit add", "the Evidence Kit window"): a second
    program names it in its error, with the pid and since when."""

    def __init__(self, folder: Path, holder: str | None = None) -> None:
        self.path = folder / ".lock"
        self.holder = holder or _program()
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if not _try_lock(fd):
                info = _read_holder(fd)
                raise VaultInUse(info.get("pid"), info.get("holder"), info.get("since"))
        except BaseException:
            os.close(fd)
            raise
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        since = SystemClock().now().astimezone().strftime("%Y-%m-%d %H:%M")
        line = json.dumps({"pid": os.getpid(), "holder": self.holder, "since": since})
        # Windows locks byte 0, so the record goes after it. One write, then the old tail is cut:
        # a reader never sees an empty file while the holder is alive, only the old or new line.
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f" {line}\n".encode())
        if os.name != "nt":
            os.ftruncate(fd, os.lseek(fd, 0, os.SEEK_CUR))
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


def _program() -> str | None:
    """`evidence-kit` or `evidence-kit-gui` when that is what runs; None for anything else."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return name if name.startswith("evidence-kit") else None


def _read_holder(fd: int, attempts: int = 20) -> dict[str, Any]:
    """What the holder wrote. It takes the lock a moment before it writes, so wait a little."""
    for attempt in range(attempts):
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            text = os.read(fd, 4096).decode("utf-8", "replace").strip()
            first = text.splitlines()[0] if text else ""
            if first.startswith("{"):
                info = json.loads(first)
                if isinstance(info, dict) and isinstance(info.get("pid"), int):
                    return info
            elif first.split() and first.split()[0].isdigit():  # written by an older version
                return {"pid": int(first.split()[0])}
        except (OSError, ValueError):
            pass
        if attempt + 1 < attempts:
            time.sleep(0.05)
    return {}
