"""Files written durably and privately: the one home for write → fsync → rename, and for
owner-only permissions (folders 0700, files 0600).

Standard library only. On Windows the POSIX modes mean little; files made under the user's
profile are already private to the user there.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and its parents) if needed, and make it owner-only."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, PRIVATE_DIR)


def make_private(path: Path) -> None:
    """Owner-only permissions on an existing file or folder (where the file system keeps them)."""
    if os.name == "posix":
        os.chmod(path, PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)


def open_private(path: Path, *, exclusive: bool = True) -> IO[bytes]:
    """A new file opened for writing, created 0600 from the first byte (never readable by others,
    even for a moment). With `exclusive`, an existing file is an error (`FileExistsError`)."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    flags |= os.O_EXCL if exclusive else os.O_TRUNC
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_FILE)  # the umask cannot widen it, but an old file may be wider
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


@contextlib.contextmanager
def replacing(path: Path, *, suffix: str = ".new") -> Iterator[IO[bytes]]:
    """Write `path` atomically: into `<path><suffix>` (0600), flushed to disk, renamed over
    `path`, and the rename made durable. On any error the new file is removed, `path` untouched."""
    tmp = path.with_name(path.name + suffix)
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    handle = open_private(tmp)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_durably(path: Path, data: bytes, *, suffix: str = ".new") -> None:
    """`data` into `path`, atomically and durably, owner-only."""
    with replacing(path, suffix=suffix) as handle:
        handle.write(data)
