"""Reading a bundle's files for `verify`: one small member (None when it cannot be read), or many
hashed with SHA-256 and SHA-512 on worker threads (hashlib releases the GIL).

A zip is read once, front to back: each block feeds the zip's own SHA-256 (for its .sha256 file)
and the SHA-256 and SHA-512 of the stored entry it belongs to, on two threads (one does every
SHA-512, the other both SHA-256s: about the same work). Entries that are compressed (a bundle
zipped again by another tool) are read through the zip-safety reader instead.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from evidence_kit.bundle.format import layout
from evidence_kit.bundle.format.source import Source, ZipSource
from evidence_kit.errors import Cancelled
from evidence_kit.model import CancelFlag, Progress

BLOCK = 1 << 20
SPLIT = 32 << 20  # files larger than this are hashed with SHA-256 and SHA-512 on two threads
WHOLE = "\0whole zip"  # the key of the zip's own hash (no file in a bundle has this name)
READ_ERRORS = (OSError, ValueError, EOFError, KeyError)  # UnsafeZip and TooLarge are ValueErrors


def read_member(source: Source, name: str) -> bytes | None:
    if name not in source.names:
        return None
    try:
        return source.read(name)
    except READ_ERRORS:
        return None


def _whole_file(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            yield block


def _one_pass(
    source: ZipSource, names: list[str], progress: Progress, cancel: CancelFlag, whole: bool
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Hashes of the stored entries among `names` (and of the whole file, under WHOLE) from one
    sequential read; returns them with the names left for the per-entry path."""
    entries = source.stored_entries()
    regions = sorted(
        (entries[n].data_offset, entries[n].compress_size, n) for n in names if n in entries
    )
    rest = [n for n in names if n not in entries]
    fd = source.reader.fd
    size = os.fstat(fd).st_size
    hashers: dict[str, dict[str, Any]] = {n: {a: hashlib.new(a) for a in layout.ALGORITHMS}
                                          for _, _, n in regions}  # fmt: skip
    whole_hash = hashlib.sha256() if whole else None
    lanes: list[queue.Queue[list[tuple[Any, memoryview]] | None]] = [queue.Queue(8), queue.Queue(8)]
    failed: list[BaseException] = []

    def lane(jobs: queue.Queue[list[tuple[Any, memoryview]] | None]) -> None:
        while (batch := jobs.get()) is not None:
            for hasher, piece in batch:
                hasher.update(piece)

    threads = [threading.Thread(target=lane, args=(q,), daemon=True) for q in lanes]
    for thread in threads:
        thread.start()
    try:
        position, index = 0, 0
        end = size if whole else (regions[-1][0] + regions[-1][1] if regions else 0)
        while position < end:
            if cancel():
                raise Cancelled()
            if not whole and index < len(regions) and position < regions[index][0]:
                position = regions[index][0]  # nothing to hash before the next entry's data
            block = os.pread(fd, min(BLOCK, end - position), position)
            if not block:
                break
            view = memoryview(block)
            sha512s: list[tuple[Any, memoryview]] = []
            sha256s: list[tuple[Any, memoryview]] = [(whole_hash, view)] if whole_hash else []
            stop = position + len(block)
            while index < len(regions) and regions[index][0] < stop:
                start, length, name = regions[index]
                low, high = max(start, position), min(start + length, stop)
                if low < high:
                    piece = view[low - position : high - position]
                    sha256s.append((hashers[name]["sha256"], piece))
                    sha512s.append((hashers[name]["sha512"], piece))
                if start + length > stop:
                    break
                index += 1
            lanes[0].put(sha512s)
            lanes[1].put(sha256s)
            position = stop
            progress(position, end)
    except BaseException as exc:
        failed.append(exc)
    finally:
        for q in lanes:
            q.put(None)
        for thread in threads:
            thread.join()
    if failed:
        raise failed[0]
    results = {n: {a: h.hexdigest() for a, h in by.items()} for n, by in hashers.items()}
    if whole_hash is not None and position >= size:
        results[WHOLE] = {"sha256": whole_hash.hexdigest()}
    return results, rest


def hash_all(
    source: Source,
    names: list[str],
    progress: Progress,
    cancel: CancelFlag,
    workers: int,
    whole: Path | None = None,
) -> dict[str, dict[str, str]]:
    """SHA-256 and SHA-512 of the files, on `workers` threads; with `whole`, also the SHA-256 of
    that file (the zip itself), under the key WHOLE. A file that cannot be read is left out."""
    if isinstance(source, ZipSource) and workers > 1:
        found, rest = _one_pass(source, names, progress, cancel, whole is not None)
        found.update(_per_file(source, rest, progress, cancel, workers, None))
        return found
    return _per_file(source, names, progress, cancel, workers, whole)


def _per_file(
    source: Source,
    names: list[str],
    progress: Progress,
    cancel: CancelFlag,
    workers: int,
    whole: Path | None,
) -> dict[str, dict[str, str]]:
    """Each file read on its own (a folder, or a zip's compressed entries)."""
    units: list[tuple[str, tuple[str, ...]]] = []
    sizes = dict(source.names)
    if whole is not None:
        sizes[WHOLE] = whole.stat().st_size
        units.append((WHOLE, ("sha256",)))
    for name in names:
        if name not in source.names:
            continue
        if source.names[name] > SPLIT and workers > 1:
            units += [(name, ("sha512",)), (name, ("sha256",))]
        else:
            units.append((name, layout.ALGORITHMS))
    units.sort(key=lambda unit: -sizes[unit[0]] * (3 if "sha512" in unit[1] else 1))
    total = sum(sizes[n] * len(a) for n, a in units) or 1
    results: dict[str, dict[str, str]] = {}
    lock = threading.Lock()
    done = [0]

    def work(unit: tuple[str, tuple[str, ...]]) -> None:
        name, algorithms = unit
        hashers = [hashlib.new(a) for a in algorithms]
        try:
            blocks = _whole_file(whole) if name == WHOLE and whole else source.chunks(name)
            for block in blocks:
                if cancel():
                    raise Cancelled()
                for hasher in hashers:
                    hasher.update(block)
                with lock:
                    done[0] += len(block) * len(hashers)
                    progress(done[0], total)
        except READ_ERRORS:
            return  # left out of the results: reported as a file that could not be read
        with lock:
            for algorithm, hasher in zip(algorithms, hashers, strict=True):
                results.setdefault(name, {})[algorithm] = hasher.hexdigest()

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for future in [pool.submit(work, unit) for unit in units]:
            future.result()
    return results
