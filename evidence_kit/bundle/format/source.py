"""A bundle's files, from its zip or an unpacked folder, read without extracting anything.

`open_bundle(path)` gives a `Source`: the files under the one top-level folder `EVB-<id>/` by
relative name (`names`: name -> size), and what was unsafe about the container (`problems`).
Every reader of a bundle — `verify`, the GUI's verify window, `receive` — goes through here, so
they all see the same files that were checked.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evidence_kit.bundle.format.zipsafe import (
    CHUNK,
    VERIFY_LIMITS,
    Entry,
    TooLarge,
    UnsafeZip,
    ZipReader,
    fold,
    name_problem,
)

MAX_SMALL = 64 << 20  # the most `read()` returns (tag files, item.json, the custody log)


class NotABundle(ValueError):
    """The path is neither an ordinary file nor a folder (a FIFO, a device…)."""


@dataclass
class Source:
    """The files of one bundle. `names` maps "bag/…" (relative to the top folder) to size."""

    label: str
    top: str
    names: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    is_zip: bool = False

    def chunks(self, name: str) -> Iterator[bytes]:
        raise NotImplementedError

    def read(self, name: str, limit: int = MAX_SMALL) -> bytes:
        """A whole (small) file; `TooLarge` beyond `limit`, `KeyError` if there is no such file."""
        if self.names[name] > limit:
            raise TooLarge(f"{name} is larger than {limit} bytes")
        return b"".join(self.chunks(name))

    def close(self) -> None:
        return None

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ZipSource(Source):
    def __init__(self, path: Path) -> None:
        super().__init__(label=str(path), top="", is_zip=True)
        self.reader = ZipReader(path, VERIFY_LIMITS)
        self.problems.extend(self.reader.problems)
        self._members: dict[str, Entry] = {}
        tops = {entry.filename.split("/")[0] for entry in self.reader.entries}
        if len(tops) != 1:
            self.problems.append(
                f"it must hold exactly one top-level folder, not {len(tops)}: "
                + ", ".join(sorted(tops)[:5])
            )
        self.top = sorted(tops)[0] if tops else ""
        for entry in self.reader.entries:
            parts = entry.filename.split("/", 1)
            if entry.is_dir() or len(parts) < 2 or parts[0] != self.top:
                if not entry.is_dir() and len(parts) < 2:
                    self.problems.append(f"entry {entry.filename!r} is outside the bundle's folder")
                continue
            self._members[parts[1]] = entry
            self.names[parts[1]] = entry.file_size

    def stored_entries(self) -> dict[str, Entry]:
        """The stored (uncompressed) entries by name: their bytes lie in the file as they are."""
        return {name: e for name, e in self._members.items() if e.method == 0}

    def chunks(self, name: str) -> Iterator[bytes]:
        # Stored entries are checked by their SHA-256 and SHA-512; CRC-32 adds nothing there.
        entry = self._members[name]
        return self.reader.chunks(entry, check_crc=entry.method != 0)

    def close(self) -> None:
        self.reader.close()


class FolderSource(Source):
    def __init__(self, root: Path) -> None:
        super().__init__(label=str(root), top=root.name)
        self.root = root
        folded: dict[str, str] = {}
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            base = Path(folder)
            for name in sorted([*dirs, *files]):
                path = base / name
                relative = path.relative_to(self.root).as_posix()
                problem = name_problem(relative)
                twin = folded.setdefault(fold(relative), relative)
                if problem:
                    self.problems.append(f"{relative!r} {problem}")
                elif twin != relative:
                    self.problems.append(f"{relative!r} and {twin!r} are the same name elsewhere")
                info = os.lstat(path)
                if stat.S_ISLNK(info.st_mode):
                    self.problems.append(f"{relative} is a symbolic link")
                    if name in dirs:
                        dirs.remove(name)
                elif name in files:
                    if not stat.S_ISREG(info.st_mode):
                        self.problems.append(f"{relative} is not an ordinary file")
                    elif not problem:
                        self.names[relative] = info.st_size
            if len(self.names) > VERIFY_LIMITS.max_entries:
                self.problems.append(f"it holds more than {VERIFY_LIMITS.max_entries} files")
                return

    def chunks(self, name: str) -> Iterator[bytes]:
        if name not in self.names:
            raise KeyError(name)
        with open(self.root / name, "rb") as handle:
            while block := handle.read(CHUNK):
                yield block


def open_bundle(path: Path) -> Source:
    """A `Source` for a zip or a folder (the `EVB-<id>` folder, or one that holds only it —
    as Windows' "Extract all" makes). Raises `NotABundle` for anything else, `UnsafeZip` for a
    file that cannot be read as a zip at all."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise NotABundle(f"{path} cannot be read ({exc.strerror})") from exc
    if stat.S_ISDIR(info.st_mode):
        root = path
        if not (root / "bag").is_dir():
            inner = [child for child in root.iterdir() if child.is_dir() and not child.is_symlink()]
            if len(inner) == 1 and (inner[0] / "bag").is_dir():
                root = inner[0]
        return FolderSource(root)
    if not stat.S_ISREG(info.st_mode):
        raise NotABundle(f"{path} is neither a file nor a folder")
    return ZipSource(path)


__all__ = ["MAX_SMALL", "NotABundle", "Source", "TooLarge", "UnsafeZip", "open_bundle"]
