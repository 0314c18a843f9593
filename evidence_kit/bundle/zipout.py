"""The bundle's zip, written entry by entry on a thread of its own, hashed while it is written.

Entries are stored (not compressed: evidence is mostly PNG and already compressed), all with
one fixed timestamp, under one top-level folder; the central directory lists them sorted by
name. Every local header is complete (sizes and CRC, no data descriptors), as every unzip tool
expects.

Four threads share the work, so both cores are busy: the caller reads the vault (opens its
sealed files); the writer hashes each entry with SHA-256 (refusing vault content that no longer
hashes to what was stored) and writes it; a lane behind it hashes the same chunks with SHA-512
(the slowest of the hashes: 0.7 GB/s here, SHA-256 1.7 GB/s); a follower hashes the zip itself
(its SHA-256 for the `.sha256` file) from the page cache, region by region, as each entry is
finished and can no longer change. Memory stays at a few chunks: every queue is bounded.
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
from typing import TYPE_CHECKING, Any

from evidence_kit.errors import Cancelled, EvidenceKitError, VaultCorrupted
from evidence_kit.fsutil import open_private
from evidence_kit.model import CancelFlag, never_cancel

if TYPE_CHECKING:
    from evidence_kit.bundle.transport import EncryptedSink

_STOP = object()
BLOCK = 1 << 20


class _Follower:
    """SHA-256 of a file being written, read back up to each offset it is told is final."""

    def __init__(self, path: Path) -> None:
        self.digest = hashlib.sha256()
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._done = 0
        self._targets: queue.Queue[int | None] = queue.Queue()
        self._failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name="bundle-zip-hash", daemon=True)
        self._thread.start()

    def advance(self, offset: int) -> None:
        self._targets.put(offset)

    def _run(self) -> None:
        try:
            while (target := self._targets.get()) is not None:
                while self._done < target:
                    block = os.pread(self._fd, min(BLOCK, target - self._done), self._done)
                    if not block:
                        raise OSError("the bundle was cut short while it was written")
                    self.digest.update(block)
                    self._done += len(block)
        except BaseException as exc:  # reported by `finish`
            self._failure.append(exc)
            while self._targets.get() is not None:
                pass

    def finish(self, size: int) -> str:
        self._targets.put(size)
        self._targets.put(None)
        self._thread.join()
        os.close(self._fd)
        if self._failure:
            raise self._failure[0]
        return self.digest.hexdigest()

    def abort(self) -> None:
        self._targets.put(None)
        self._thread.join()
        with contextlib.suppress(OSError):
            os.close(self._fd)


class _Sha512Lane:
    """SHA-512 of each entry's chunks on a thread of its own, behind the writer."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}
        self._jobs: queue.Queue[tuple[Any, bytes | None, str | None] | None] = queue.Queue(16)
        self._thread = threading.Thread(target=self._run, name="bundle-zip-sha512", daemon=True)
        self._thread.start()

    def update(self, hasher: Any, chunk: bytes) -> None:
        self._jobs.put((hasher, chunk, None))

    def done(self, hasher: Any, name: str) -> None:
        self._jobs.put((hasher, None, name))

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                hasher, chunk, name = job
                if chunk is not None:
                    hasher.update(chunk)
                elif name is not None:
                    self.found[name] = hasher.hexdigest()
            finally:
                self._jobs.task_done()

    def join(self) -> None:
        self._jobs.join()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()


class BundleZip:
    """Writes `EVB-<id>/...` entries into `path`; `digests[name]` is (sha256, sha512, size)."""

    def __init__(
        self, path: Path, top: str, stamp: datetime, sink: EncryptedSink | None = None
    ) -> None:
        self.top = top
        self.stamp = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute,
                      stamp.second - stamp.second % 2)  # fmt: skip
        # Created owner-only from the first byte: a half-written bundle is readable by no one else.
        # With a `sink` (transport encryption) the zip goes into it as a stream: it is never on
        # disk in the clear, and its entries carry data descriptors (no seeking back).
        self.sink = sink
        self.handle: Any = open_private(path) if sink is None else sink
        self.zip = zipfile.ZipFile(
            self.handle,  # type: ignore[call-overload]
            "w",
            compression=zipfile.ZIP_STORED,
            allowZip64=True,
        )
        self.follower = _Follower(path) if sink is None else None
        self.digests: dict[str, tuple[str, str, int]] = {}  # complete after `flush()`
        self._written: dict[str, tuple[str, int]] = {}  # name -> (sha256, size), from the writer
        self._lane = _Sha512Lane()
        self._queue: queue.Queue[object] = queue.Queue(maxsize=8)
        self._failure: list[BaseException] = []
        self._writer = threading.Thread(target=self._run, name="bundle-zip-write", daemon=True)
        self._writer.start()

    # -- the caller's side -----------------------------------------------------------------

    def add_bytes(self, name: str, data: bytes) -> tuple[str, str, int]:
        """A small entry; its hashes are returned at once (computed here)."""
        result = (hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest(), len(data))
        self._put(("entry", name, len(data), result[0], [data]))
        return result

    def add_stream(
        self,
        name: str,
        chunks: Iterable[bytes],
        *,
        size: int | None = None,
        on_chunk: Callable[[int], None] | None = None,
        cancel: CancelFlag = never_cancel,
        expect_sha256: str | None = None,
    ) -> None:
        """Queue one entry from `chunks`; its hashes are in `digests` after `flush()`.

        With `expect_sha256`, the writer refuses the entry (`VaultCorrupted`, raised at the
        caller's next call) unless what it wrote hashes to it: the vault's content is then read
        without hashing it a second time on the caller's thread.
        """
        self._put(("open", name, size, expect_sha256))
        for chunk in chunks:
            if cancel():
                raise Cancelled()
            self._put(("data", chunk))
            if on_chunk is not None:
                on_chunk(len(chunk))
        self._put(("close", name))

    def flush(self) -> None:
        """Wait until every queued entry is written; raise what went wrong in the writer."""
        self._queue.join()
        self._lane.join()
        self._raise()
        for name, (sha256, size) in self._written.items():
            self.digests[name] = (sha256, self._lane.found[name], size)

    def close(self) -> str:
        """Finish the zip; return its SHA-256."""
        self._put(_STOP)
        self._writer.join()
        self._lane.stop()
        self._raise()
        self.zip.filelist.sort(key=lambda info: info.filename)
        self.zip.close()
        if self.sink is not None:
            return self.sink.close()
        assert self.follower is not None
        self.handle.flush()
        os.fsync(self.handle.fileno())
        size = self.handle.tell()
        self.handle.close()
        return self.follower.finish(size)

    def abort(self) -> None:
        if self._writer.is_alive():
            if not self._failure:
                self._failure.append(Cancelled())  # the writer skips whatever is still queued
            self._queue.put(_STOP)
            self._writer.join()
        self._lane.stop()
        if self.sink is not None:
            self.sink.abort()  # first: what the zip still writes on closing goes nowhere
        with contextlib.suppress(
            OSError, ValueError, zipfile.BadZipFile, RuntimeError, EvidenceKitError
        ):
            self.zip.close()
        with contextlib.suppress(OSError):
            self.handle.close()
        if self.follower is not None:
            self.follower.abort()

    def _advance(self) -> None:
        if self.follower is not None:
            self.follower.advance(self.handle.tell())

    def _put(self, message: object) -> None:
        self._raise()
        self._queue.put(message)

    def _raise(self) -> None:
        if self._failure:
            raise self._failure[0]

    # -- the writer thread -----------------------------------------------------------------

    def _info(self, name: str, size: int | None) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.top}/{name}", date_time=self.stamp)  # type: ignore[arg-type]
        info.compress_type = zipfile.ZIP_STORED
        info.create_system = 3
        info.external_attr = (0o100644 << 16) | 0
        if size is not None:
            info.file_size = size
        return info

    def _run(self) -> None:
        entry = None
        sha256: Any = None
        sha512 = hashlib.sha512()
        verified: str | None = None
        written = 0
        while True:
            message: Any = self._queue.get()
            try:
                if message is _STOP:
                    return
                if self._failure:
                    continue
                kind = message[0]
                if kind == "entry":
                    _, name, size, _, blocks = message
                    with self.zip.open(self._info(name, size), "w") as handle:
                        for block in blocks:
                            handle.write(block)
                    self._advance()
                elif kind == "open":
                    _, name, size, verified = message
                    big = size is None or size > 0x7FFF0000
                    entry = self.zip.open(self._info(name, size), "w", force_zip64=big)
                    sha256 = hashlib.sha256()
                    sha512 = hashlib.sha512()
                    written = 0
                elif kind == "data":
                    chunk = message[1]
                    self._lane.update(sha512, chunk)
                    sha256.update(chunk)
                    assert entry is not None
                    entry.write(chunk)
                    written += len(chunk)
                elif kind == "close":
                    assert entry is not None
                    entry.close()
                    entry = None
                    digest = sha256.hexdigest()
                    if verified is not None and (
                        digest != verified or (size is not None and written != size)
                    ):
                        raise VaultCorrupted(
                            f"The content {verified[:12]}… no longer hashes to what was stored."
                        )
                    self._written[message[1]] = (digest, written)
                    self._lane.done(sha512, message[1])
                    self._advance()
            except BaseException as exc:  # handed to the caller at its next call
                self._failure.append(exc)
            finally:
                self._queue.task_done()
