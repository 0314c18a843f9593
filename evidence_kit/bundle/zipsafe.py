"""Reading a bundle safely, from its zip or an unpacked folder, without extracting anything.

`open_bundle` gives a `Source`: the files under the one top-level folder `EVB-<id>/` by relative
name, and what was unsafe about the container (absolute paths, `..`, links, duplicate names,
encrypted entries, too many entries, sizes or compression ratios beyond the limits).
"""

from __future__ import annotations

import contextlib
import os
import stat
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
        with self._zip().open(info) as handle:
            while block := handle.read(CHUNK):
                yield block

    def close(self) -> None:
        for archive in self._opened:
            with contextlib.suppress(OSError):
                archive.close()


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
