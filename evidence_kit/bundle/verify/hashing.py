"""Reading a bundle's files for `verify`: one small member (None when it cannot be read), or many
hashed with SHA-256 and SHA-512 on worker threads (hashlib releases the GIL)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from evidence_kit.bundle.format import layout
from evidence_kit.bundle.format.source import Source
from evidence_kit.errors import Cancelled
from evidence_kit.model import CancelFlag, Progress

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
