"""Reading a bundle safely, from its zip or an unpacked folder, without extracting anything.

`open_bundle` gives a `Source`: the files under the one top-level folder `EVB-<id>/` by relative
name, and what was unsafe about the container (absolute paths, `..`, links, duplicate names,
encrypted entries, too many entries, sizes or compression ratios beyond the limits).
"""

from __future__ import annotations

import contextlib
import os
import stat
import struct
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

CHUNK = 1 << 20
MAX_ENTRIES = 200_000
MAX_TOTAL = 1 << 40  # 1 TiB unpacked
MAX_RATIO = 200  # unpacked / packed, for compressed entries over 1 MiB
MAX_SMALL = 64 << 20  # the most `read()` returns (tag files, item.json, the custody log)


class TooLarge(ValueError):
    pass


@dataclass
class Source:
    """The files of one bundle. `names` maps "bag/..." (relative to the top folder) to size."""

    label: str
    top: str
    names: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    is_zip: bool = False

    def scan(self) -> None:
        raise NotImplementedError

    def chunks(self, name: str) -> Iterator[bytes]:
        raise NotImplementedError

    def read(self, name: str, limit: int = MAX_SMALL) -> bytes:
        if self.names.get(name, 0) > limit:
            raise TooLarge(f"{name} is larger than {limit} bytes")
        return b"".join(self.chunks(name))

    def close(self) -> None:
        return None


class ZipSource(Source):
    def __init__(self, path: Path) -> None:
        super().__init__(label=str(path), top="", is_zip=True)
        self.path = path
        self._local = threading.local()
        self._opened: list[zipfile.ZipFile] = []
        self._lock = threading.Lock()
        self._members: dict[str, zipfile.ZipInfo] = {}
        self._file: int | None = None

    def _zip(self) -> zipfile.ZipFile:
        archive = getattr(self._local, "zip", None)
        if archive is None:
            archive = zipfile.ZipFile(self.path)
            self._local.zip = archive
            with self._lock:
                self._opened.append(archive)
        return archive

    def scan(self) -> None:
        infos = self._zip().infolist()
        if len(infos) > MAX_ENTRIES:
            self.problems.append(f"it has {len(infos)} entries (the limit is {MAX_ENTRIES})")
            return
        seen: set[str] = set()
        folded: set[str] = set()
        tops: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            problem = _name_problem(name)
            if problem:
                self.problems.append(f"entry {name!r} {problem}")
                continue
            if name in seen:
                self.problems.append(f"entry {name!r} appears twice")
            elif name.casefold() in folded:
                self.problems.append(f"entry {name!r} differs from another only in letter case")
            seen.add(name)
            folded.add(name.casefold())
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                self.problems.append(f"entry {name!r} is a symbolic link")
                continue
            if info.flag_bits & 0x1:
                self.problems.append(f"entry {name!r} is encrypted")
                continue
            total += info.file_size
            if (
                info.compress_type != zipfile.ZIP_STORED
                and info.file_size > CHUNK
                and info.file_size > MAX_RATIO * max(1, info.compress_size)
            ):
                self.problems.append(f"entry {name!r} expands more than {MAX_RATIO} times")
            parts = PurePosixPath(name).parts
            tops.add(parts[0])
            if info.is_dir():
                continue
            if len(parts) < 2:
                continue
            self._members["/".join(parts[1:])] = info
        if total > MAX_TOTAL:
            self.problems.append(f"it would unpack to {total} bytes (the limit is {MAX_TOTAL})")
        if len(tops) != 1:
            self.problems.append(
                f"it must hold exactly one top-level folder, not {len(tops)}: "
                + ", ".join(sorted(tops)[:5])
            )
        self.top = sorted(tops)[0] if tops else ""
        for inner, info in self._members.items():
            if PurePosixPath(info.filename).parts[0] == self.top:
                self.names[inner] = info.file_size

    def chunks(self, name: str) -> Iterator[bytes]:
        info = self._members[name]
        if info.compress_type != zipfile.ZIP_STORED or not hasattr(os, "pread"):
            with self._zip().open(info) as handle:
                while block := handle.read(CHUNK):
                    yield block
            return
        # Stored entries are read straight from the file with pread (no shared file position,
        # so threads do not queue on one lock), after checking the local header names the same
        # file as the central directory. Their SHA-256 and SHA-512 are checked; CRC-32 adds nothing.
        fd = self._fd()
        header = os.pread(fd, 30, info.header_offset)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"entry {info.filename!r} has no local header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        local_name = os.pread(fd, name_len, info.header_offset + 30)
        if (
            local_name.decode("utf-8", "replace") != info.filename
            and local_name.decode("cp437", "replace") != info.filename
        ):
            raise zipfile.BadZipFile(f"entry {info.filename!r} is named differently inside")
        offset = info.header_offset + 30 + name_len + extra_len
        left = info.file_size
        while left > 0:
            block = os.pread(fd, min(CHUNK, left), offset)
            if not block:
                raise zipfile.BadZipFile(f"entry {info.filename!r} is cut short")
            offset += len(block)
            left -= len(block)
            yield block

    def _fd(self) -> int:
        with self._lock:
            if self._file is None:
                self._file = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            return self._file

    def close(self) -> None:
        for archive in self._opened:
            with contextlib.suppress(OSError):
                archive.close()
        if self._file is not None:
            with contextlib.suppress(OSError):
                os.close(self._file)


class FolderSource(Source):
    def __init__(self, root: Path) -> None:
        super().__init__(label=str(root), top=root.name)
        self.root = root

    def scan(self) -> None:
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            base = Path(folder)
            for name in [*dirs, *files]:
                path = base / name
                relative = path.relative_to(self.root).as_posix()
                if path.is_symlink():
                    self.problems.append(f"{relative} is a symbolic link")
                    with contextlib.suppress(ValueError):
                        dirs.remove(name)
                elif name in files:
                    if not path.is_file():
                        self.problems.append(f"{relative} is not a regular file")
                        continue
                    self.names[relative] = path.stat().st_size
            if len(self.names) > MAX_ENTRIES:
                self.problems.append(f"it holds more than {MAX_ENTRIES} files")
                return

    def chunks(self, name: str) -> Iterator[bytes]:
        with open(self.root / name, "rb") as handle:
            while block := handle.read(CHUNK):
                yield block


def _name_problem(name: str) -> str | None:
    if not name:
        return "has no name"
    if "\x00" in name or any(ord(ch) < 32 for ch in name):
        return "has control characters in its name"
    if name.startswith("/") or name.startswith("\\") or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    if "\\" in name:
        return "uses backslashes in its path"
    if any(part == ".." for part in name.split("/")):
        return "climbs out of its folder with '..'"
    if any(part == "." for part in name.split("/")[:-1]) or "//" in name:
        return "has an odd path"
    return None


def open_bundle(path: Path) -> Source:
    """A `Source` for a zip or a folder (the `EVB-<id>` folder, or one that holds only it)."""
    path = Path(path)
    if path.is_dir():
        root = path
        if not (root / "bag").is_dir():
            inner = [child for child in root.iterdir() if child.is_dir() and not child.is_symlink()]
            if len(inner) == 1 and (inner[0] / "bag").is_dir():
                root = inner[0]
        source: Source = FolderSource(root)
        source.scan()
        return source
    zipped = ZipSource(path)
    zipped.scan()
    return zipped
