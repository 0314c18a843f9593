"""Reading a zip a person was sent, without trusting it: the importers' face of the one zip-safety
module (`bundle.format.zipsafe`), with the import limits.

Nothing is ever extracted to disk: members are streamed (in bounded blocks) straight into the
vault or into a parser. `SafeZip(path)` checks the whole archive before anything is read and
refuses it with `UnsafeArchive` (a plain sentence naming the file and the problem) if a member
name is unsafe (zip slip), an entry's two headers disagree or a second name field renames it,
there are too many members, the declared sizes add up to too much or one expands too much (a zip
bomb), a member is encrypted or uses a compression other than stored, deflate or bzip2. While
streaming, a member that yields more bytes than it declares is stopped at once (memory stays at
a block whatever the compression) and refused, as is one that is shorter or fails its CRC.

    with SafeZip(path) as archive:
        for info in archive.members(): ...
        for block in archive.stream(info): ...
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import IO

from evidence_kit.bundle.format.zipsafe import (
    IMPORT_LIMITS,
    Entry,
    TooLarge,
    UnsafeZip,
    ZipReader,
    name_problem,
)
from evidence_kit.errors import ImportFailed

BLOCK = 1 << 20


class UnsafeArchive(ImportFailed):
    """The zip file is unsafe to open."""

    hint = "Nothing was kept. If you trust where it came from, keep it as it is with `evidence-kit add`."


def unsafe_name(name: str) -> str | None:
    """Why a member name is unsafe, or None if it is fine (the one name rule)."""
    return name_problem(name)


class _Stream(io.RawIOBase):
    """A member's bytes as a raw binary stream (for reading line by line)."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            block = next(self._blocks, None)
            if block is None:
                return 0
            self._pending = block
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count


class SafeZip:
    def __init__(
        self,
        path: Path,
        *,
        max_members: int = IMPORT_LIMITS.max_entries,
        max_total: int = IMPORT_LIMITS.max_total,
        max_ratio: float = IMPORT_LIMITS.max_ratio,
        ratio_floor: int = IMPORT_LIMITS.ratio_floor,
    ) -> None:
        self.path = Path(path)
        limits = replace(
            IMPORT_LIMITS,
            max_entries=max_members,
            max_total=max_total,
            max_ratio=int(max_ratio),
            ratio_floor=ratio_floor,
        )
        try:
            self.reader = ZipReader(self.path, limits)
        except UnsafeZip as exc:
            raise ImportFailed(f"{self.path} is not a readable zip file ({exc}).") from exc
        except OSError as exc:
            raise ImportFailed(f"{self.path} cannot be read ({exc.strerror}).") from exc
        if self.reader.problems:
            self.reader.close()
            first = self.reader.problems[0]
            if "would expand" in first or "would unpack" in first:
                raise UnsafeArchive(f"{self.path} looks like a zip bomb: {first}; it was refused.")
            raise UnsafeArchive(f"{self.path} was refused as unsafe: {first}.")

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.reader.close()

    def members(self) -> list[Entry]:
        """The files (not folders) in the archive, in directory order."""
        return [entry for entry in self.reader.entries if not entry.is_dir()]

    def open(self, info: Entry) -> IO[bytes]:
        """A buffered binary stream of one member (for line-by-line reading)."""
        return io.BufferedReader(_Stream(self.stream(info)), buffer_size=BLOCK)

    def stream(self, info: Entry, block: int = BLOCK) -> Iterator[bytes]:
        """The bytes of one member in blocks of at most 1 MiB, checked against what it declares."""
        try:
            yield from self.reader.chunks(info)
        except (TooLarge, UnsafeZip) as exc:
            raise UnsafeArchive(f"{self.path}: {exc}; it was refused.") from exc
        except OSError as exc:
            raise ImportFailed(f"{self.path} cannot be read ({exc.strerror}).") from exc
