"""What kind of file system a folder is on, for what it cannot do: a 4 GiB file on FAT32,
owner-only permissions on FAT and exFAT. Standard library only; None where it cannot be told."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FAT32_LIMIT = (4 << 30) - 1  # the largest file FAT32 can hold
# File systems that keep no Unix permissions: every file shows the mount's own mode.
NO_PERMISSIONS = frozenset({"vfat", "msdos", "fat", "fat12", "fat16", "fat32", "exfat", "fuseblk"})
FILE_LIMITS = {"vfat": FAT32_LIMIT, "msdos": FAT32_LIMIT, "fat": FAT32_LIMIT, "fat32": FAT32_LIMIT}


@dataclass(frozen=True)
class FileSystem:
    kind: str | None  # "ext4", "vfat", "exfat", "ntfs", "apfs", … (lower case) or None if unknown

    @property
    def max_file_size(self) -> int | None:
        return FILE_LIMITS.get(self.kind or "")

    @property
    def keeps_permissions(self) -> bool:
        return (self.kind or "") not in NO_PERMISSIONS

    @property
    def label(self) -> str:
        return {"vfat": "FAT32", "msdos": "FAT", "exfat": "exFAT", "fuseblk": "NTFS or exFAT"}.get(
            self.kind or "", self.kind or "unknown"
        )


def existing_ancestor(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def filesystem(path: Path) -> FileSystem:
    """The file system holding `path` (or, if it does not exist yet, its nearest existing parent)."""
    where = existing_ancestor(path).resolve()
    try:
        if sys.platform.startswith("linux"):
            return FileSystem(_linux(where))
        if sys.platform == "darwin":
            return FileSystem(_mac(where))
        if sys.platform == "win32":
            return FileSystem(_windows(where))
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    return FileSystem(None)


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _longest_mount(where: Path, mounts: list[tuple[str, str]]) -> str | None:
    best: tuple[int, str] | None = None
    text = str(where)
    for point, kind in mounts:
        inside = text == point or text.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), kind.lower())
    return best[1] if best else None


def _linux(where: Path) -> str | None:
    mounts = []
    with open("/proc/self/mountinfo", encoding="utf-8") as handle:
        for line in handle:
            left, _, right = line.partition(" - ")
            fields = left.split()
            if len(fields) >= 5 and right:
                mounts.append((_unescape(fields[4]), right.split()[0]))
    return _longest_mount(where, mounts)


def _mac(where: Path) -> str | None:
    # "/dev/disk2s1 on /Volumes/USB STICK (msdos, local, nodev, nosuid, noowners)"
    out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=10).stdout
    mounts = []
    for line in out.splitlines():
        match = re.match(r"^.+? on (.+) \(([^,)]+)", line)
        if match:
            mounts.append((match.group(1), match.group(2)))
    return _longest_mount(where, mounts)


def _windows(where: Path) -> str | None:  # pragma: no cover - exercised on Windows only
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    volume = ctypes.create_unicode_buffer(261)
    if not kernel.GetVolumePathNameW(str(where), volume, 261):
        return None
    name = ctypes.create_unicode_buffer(261)
    if not kernel.GetVolumeInformationW(volume.value, None, 0, None, None, None, name, 261):
        return None
    return {"fat32": "vfat", "fat": "msdos"}.get(name.value.lower(), name.value.lower())
