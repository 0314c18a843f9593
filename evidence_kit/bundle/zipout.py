"""The bundle's zip, written entry by entry, hashing (SHA-256 and SHA-512) while it writes.

Entries are stored (not compressed: evidence is mostly PNG and already compressed), all with
one fixed timestamp, under one top-level folder; the central directory lists them sorted by
name. Memory stays at a few chunks: a second thread hashes and writes while the caller reads
the next chunk (hashlib, zlib.crc32 and file writes release the GIL).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import threading
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import IO

from evidence_kit.errors import Cancelled
from evidence_kit.fsutil import open_private
from evidence_kit.model import CancelFlag, never_cancel

_DONE = object()


class BundleZip:
    """Writes `EVB-<id>/...` entries into `path`; `digests[name]` holds (sha256, sha512, size)."""

    def __init__(self, path: Path, top: str, stamp: datetime) -> None:
        self.top = top
        self.stamp = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute,
                      stamp.second - stamp.second % 2)  # fmt: skip
        # Created owner-only from the first byte: a half-written bundle is readable by no one else.
        self.handle = open_private(path)
        self.zip = zipfile.ZipFile(
            self.handle, "w", compression=zipfile.ZIP_STORED, allowZip64=True
        )
        self.digests: dict[str, tuple[str, str, int]] = {}

    def _info(self, name: str, size: int | None) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.top}/{name}", date_time=self.stamp)  # type: ignore[arg-type]
        info.compress_type = zipfile.ZIP_STORED
        info.create_system = 3
        info.external_attr = (0o100644 << 16) | 0
        if size is not None:
            info.file_size = size
        return info

    def add_bytes(self, name: str, data: bytes) -> tuple[str, str, int]:
        return self.add_stream(name, [data], size=len(data))

    def add_stream(
        self,
        name: str,
        chunks: Iterable[bytes],
        *,
        size: int | None = None,
        on_chunk: Callable[[int], None] | None = None,
        cancel: CancelFlag = never_cancel,
        verified_sha256: str | None = None,
    ) -> tuple[str, str, int]:
        """Write one entry from `chunks`; return (sha256, sha512, size) of what was written.

        `on_chunk(len)` is called after each chunk is handed over (for progress). With
        `verified_sha256`, the chunks come from a reader that raises unless they hash to it (the
        vault's `content()`), so SHA-256 is not computed twice.
        """
        info = self._info(name, size)
        big = size is None or size > 0x7FFF0000
        with self.zip.open(info, "w", force_zip64=big) as handle:
            result = _pipe(chunks, handle, on_chunk, cancel, verified_sha256)
        self.digests[name] = result
        return result

    def close(self) -> None:
        self.zip.filelist.sort(key=lambda info: info.filename)
        self.zip.close()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()

    def abort(self) -> None:
        with contextlib.suppress(OSError, ValueError, zipfile.BadZipFile, RuntimeError):
            self.zip.close()
        with contextlib.suppress(OSError):
            self.handle.close()


def _pipe(
    chunks: Iterable[bytes],
    handle: IO[bytes],
    on_chunk: Callable[[int], None] | None,
    cancel: CancelFlag,
    verified_sha256: str | None = None,
) -> tuple[str, str, int]:
    """Hash and write on a second thread while this one produces the next chunk."""
    sha256 = None if verified_sha256 else hashlib.sha256()
    sha512 = hashlib.sha512()
    pending: queue.Queue[object] = queue.Queue(maxsize=4)
    failure: list[BaseException] = []
    size = 0

    def consume() -> None:
        while True:
            chunk = pending.get()
            if chunk is _DONE:
                return
            if failure:
                continue
            assert isinstance(chunk, bytes | bytearray | memoryview)
            try:
                if sha256 is not None:
                    sha256.update(chunk)
                sha512.update(chunk)
                handle.write(chunk)
            except BaseException as exc:
                failure.append(exc)

    worker = threading.Thread(target=consume, daemon=True)
    worker.start()
    try:
        for chunk in chunks:
            if cancel():
                raise Cancelled()
            if failure:
                break
            pending.put(chunk)
            size += len(chunk)
            if on_chunk is not None:
                on_chunk(len(chunk))
    finally:
        pending.put(_DONE)
        worker.join()
    if failure:
        raise failure[0]
    digest = sha256.hexdigest() if sha256 is not None else str(verified_sha256)
    return digest, sha512.hexdigest(), size
