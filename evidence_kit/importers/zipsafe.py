"""Reading a zip a person was sent, without trusting it: zip slip, zip bombs, odd members.

Nothing is ever extracted to disk: members are streamed (in bounded blocks) straight into the
vault or into a parser. `SafeZip(path)` checks the whole directory before anything is read and
refuses the archive with `UnsafeArchive` (a plain sentence naming the file and the problem) if

- a member name is absolute, has a drive letter, or climbs out with ``..`` (zip slip);
- there are more than `max_members` members;
- the declared sizes add up to more than `max_total` bytes, or one member expands more than
  `max_ratio` times (above `ratio_floor` bytes, so small text files are not refused);
- a member is encrypted.

While streaming, a member yielding more bytes than it declared is refused too (zipfile itself
stops at the declared size and checks the CRC at the end).

    with SafeZip(path) as archive:
        for info in archive.members(): ...
        for block in archive.stream(info): ...
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO

from evidence_kit.errors import ImportFailed

MAX_MEMBERS = 100_000
MAX_TOTAL = 16 * 1024**3  # 16 GiB: a large chat with media, not an unbounded one
MAX_RATIO = 200  # compressed text reaches ~10x; zero-filled bombs reach 1000x
RATIO_FLOOR = 4 * 1024**2  # ratio only checked for members larger than this
BLOCK = 1 << 20

_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafeArchive(ImportFailed):
    """The zip file is unsafe to open."""

    hint = "Nothing was kept. If you trust where it came from, keep it as it is with `evidence-kit add`."


def unsafe_name(name: str) -> str | None:
    """Why a member name is unsafe (absolute, drive letter, `..`), or None if it is fine."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        return "an absolute path"
    if ".." in PurePosixPath(posix).parts:
        return "a path that climbs out of the archive (..)"
    if "\x00" in name:
        return "a NUL character"
    return None


class SafeZip:
    def __init__(
        self,
        path: Path,
        *,
        max_members: int = MAX_MEMBERS,
        max_total: int = MAX_TOTAL,
        max_ratio: float = MAX_RATIO,
        ratio_floor: int = RATIO_FLOOR,
    ) -> None:
        self.path = Path(path)
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ImportFailed(f"{self.path} is not a readable zip file ({exc}).") from exc
        try:
            self._check(max_members, max_total, max_ratio, ratio_floor)
        except BaseException:
            self.zip.close()
            raise

    def _check(self, max_members: int, max_total: int, max_ratio: float, floor: int) -> None:
        infos = self.zip.infolist()
        if len(infos) > max_members:
            raise UnsafeArchive(
                f"{self.path} holds {len(infos)} files, more than the {max_members} allowed."
            )
        total = 0
        for info in infos:
            why = unsafe_name(info.filename)
            if why:
                raise UnsafeArchive(
                    f"{self.path} contains a file named '{info.filename}' with {why}; "
                    "it was refused as unsafe."
                )
            if info.flag_bits & 0x1:
                raise UnsafeArchive(f"{self.path} contains an encrypted file ({info.filename}).")
            total += info.file_size
            if info.file_size > floor and info.file_size > max_ratio * max(info.compress_size, 1):
                raise UnsafeArchive(
                    f"{self.path} looks like a zip bomb: {info.filename} would expand "
                    f"{info.file_size // max(info.compress_size, 1)} times "
                    f"(the limit is {int(max_ratio)})."
                )
        if total > max_total:
            raise UnsafeArchive(
                f"{self.path} looks like a zip bomb: its files would expand to "
                f"{total / 1024**3:.1f} GiB (the limit is {max_total / 1024**3:.1f} GiB)."
            )

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.zip.close()

    def members(self) -> list[zipfile.ZipInfo]:
        """The files (not folders) in the archive, in directory order."""
        return [info for info in self.zip.infolist() if not info.is_dir()]

    def open(self, info: zipfile.ZipInfo) -> IO[bytes]:
        """A buffered binary stream of one member (for line-by-line reading)."""
        return io.BufferedReader(self.zip.open(info), buffer_size=BLOCK)  # type: ignore[type-var]

    def stream(self, info: zipfile.ZipInfo, block: int = BLOCK) -> Iterator[bytes]:
        """The bytes of one member in blocks of at most `block` bytes, size-checked."""
        seen = 0
        with self.zip.open(info) as member:
            while chunk := member.read(block):
                seen += len(chunk)
                if seen > info.file_size:
                    raise UnsafeArchive(
                        f"{self.path}: {info.filename} holds more bytes than it declares."
                    )
                yield chunk
