"""A whole download as one tree of files: a folder, a file, a zip, or the zips of a multi-part
download joined. Nothing is extracted: files are opened where they are (a folder's file, a zip
member through `SafeZip`).

- `Tree.folder(path)` walks a folder without following links (a link or a special file is
  listed as skipped, never read); `Tree.single(path)` is one file, whose neighbours in its folder
  can still be looked up by relative path (a Telegram `result.json` names `photos/…` beside it);
  `Tree.zips([paths])` joins zips: the same path in two parts must be the same file (same size
  and CRC), else they are two different downloads and are refused.
- `listing(entries, digests)` is the stable text form of a folder: one line per file,
  ``<sha256>\\t<size>\\t<path>``, sorted by path, with ``\\``, tab and line breaks escaped.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from evidence_kit.bundle.format.zipsafe import IMPORT_LIMITS
from evidence_kit.bundle.format.zipsafe import Entry as ZipEntry
from evidence_kit.errors import ImportFailed, InputFileError, input_error
from evidence_kit.importers.zipsafe import SafeZip, unsafe_name
from evidence_kit.vault.store import CHUNK, read_chunks

MAX_MEMBERS = IMPORT_LIMITS.max_entries
MAX_TOTAL = IMPORT_LIMITS.max_total

LISTING_HEADER = "Evidence Kit folder listing v1"


@dataclass(frozen=True)
class Entry:
    """One file of a download. `part` is the zip it is in (None for a folder or a lone file)."""

    path: str  # relative, POSIX separators
    size: int
    part: str | None = None
    crc: int | None = None

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def parent(self) -> str:
        parent = str(PurePosixPath(self.path).parent)
        return "" if parent == "." else parent


@dataclass(frozen=True)
class Skipped:
    path: str
    size: int | None
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "size": self.size, "reason": self.reason}


class Tree:
    """The files of one download by relative path, and how to read each one."""

    def __init__(self, kind: str, name: str, base: Path | None = None) -> None:
        self.kind = kind  # "folder", "file", "zip" or "zips"
        self.name = name  # what the person gave, for messages
        self.base = base  # the folder (or a lone file's folder) files are read from
        self.entries: dict[str, Entry] = {}
        self.skipped: list[Skipped] = []
        self.archives: dict[str, SafeZip] = {}
        self.paths: list[Path] = []  # the files given (the zips, or the lone file)
        self._members: dict[tuple[str, str], ZipEntry] = {}
        self._neighbours: dict[str, Entry] = {}  # files beside a lone file, found when named

    # -- making one ---------------------------------------------------------------------------

    @classmethod
    def folder(cls, path: Path) -> Tree:
        path = Path(path)
        tree = cls("folder", path.name or str(path), path)
        total = 0
        for root, dirs, files in os.walk(path, followlinks=False, onerror=_walk_error(path)):
            dirs.sort()
            for name in [*sorted(files), *[d for d in dirs if os.path.islink(Path(root, d))]]:
                full = Path(root, name)
                rel = full.relative_to(path).as_posix()
                try:
                    info = os.lstat(full)
                except OSError as exc:
                    tree.skipped.append(Skipped(rel, None, f"cannot be read ({exc.strerror})"))
                    continue
                if stat.S_ISLNK(info.st_mode):
                    tree.skipped.append(Skipped(rel, None, "a link; links are not followed"))
                elif not stat.S_ISREG(info.st_mode):
                    tree.skipped.append(Skipped(rel, None, "not an ordinary file"))
                else:
                    tree.entries[rel] = Entry(rel, info.st_size)
                    total += info.st_size
                if len(tree.entries) > MAX_MEMBERS:
                    raise ImportFailed(
                        f"{path} holds more than {MAX_MEMBERS:,} files: too many to import as "
                        "one download.",
                        hint="Import the export's own folder, not a folder around it.",
                    )
            dirs[:] = [d for d in dirs if not os.path.islink(Path(root, d))]
        if total > MAX_TOTAL:
            raise ImportFailed(
                f"{path} holds {total / 1024**3:.1f} GiB of files, more than the "
                f"{MAX_TOTAL / 1024**3:.0f} GiB one import can take.",
                hint="Import the export's own folder, not a folder around it.",
            )
        return tree

    @classmethod
    def single(cls, path: Path) -> Tree:
        path = Path(path)
        tree = cls("file", path.name, path.parent)
        tree.paths = [path]
        tree.entries[path.name] = Entry(path.name, path.stat().st_size)
        return tree

    @classmethod
    def zips(cls, paths: Iterable[Path]) -> Tree:
        paths = [Path(p) for p in paths]
        tree = cls("zip" if len(paths) == 1 else "zips", paths[0].name)
        tree.paths = paths
        try:
            for path in paths:
                archive = SafeZip(path)
                tree.archives[path.name] = archive
                for info in archive.members():
                    tree._add_member(path, info)
        except BaseException:
            tree.close()
            raise
        return tree

    def _add_member(self, path: Path, info: ZipEntry) -> None:
        rel = info.filename.replace("\\", "/")
        while rel.startswith("./"):
            rel = rel[2:]
        if unsafe_name(rel):  # SafeZip has refused these already; never trust one path
            raise ImportFailed(f"{path} contains an unsafe file name ({info.filename}).")
        entry = Entry(rel, info.file_size, path.name, info.crc)
        known = self.entries.get(rel)
        if known is not None:
            if (known.size, known.crc) != (entry.size, entry.crc):
                raise ImportFailed(
                    f"{known.part} and {path.name} both hold {rel}, with different contents: "
                    "they look like two different downloads.",
                    hint="Import them one at a time.",
                )
            return  # the same file in two parts: read it once
        self.entries[rel] = entry
        self._members[(path.name, rel)] = info

    # -- reading ------------------------------------------------------------------------------

    def close(self) -> None:
        for archive in self.archives.values():
            archive.close()

    def __enter__(self) -> Tree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, rel: str) -> Entry | None:
        """The entry at `rel` (`./` and backslashes allowed); a lone file's neighbours too."""
        rel = rel.replace("\\", "/")
        while rel.startswith("./"):
            rel = rel[2:]
        found = self.entries.get(rel) or self._neighbours.get(rel)
        if found is not None or self.kind != "file" or not rel or unsafe_name(rel):
            return found
        return self._neighbour(rel)

    def _neighbour(self, rel: str) -> Entry | None:
        assert self.base is not None
        full = self.base / rel
        try:
            info = os.lstat(full)
            inside = full.resolve().is_relative_to(self.base.resolve())
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(info.st_mode) or not inside:
            return None
        entry = self._neighbours[rel] = Entry(rel, info.st_size)
        return entry

    def open(self, entry: Entry) -> IO[bytes]:
        if entry.part is not None:
            return self.archives[entry.part].open(self._members[(entry.part, entry.path)])
        assert self.base is not None
        full = self.base / entry.path
        try:
            return open(full, "rb")
        except OSError as exc:
            raise input_error(full, exc) from exc

    def stream(self, entry: Entry) -> Iterator[bytes]:
        if entry.part is not None:
            yield from self.archives[entry.part].stream(self._members[(entry.part, entry.path)])
            return
        with self.open(entry) as handle:
            try:
                yield from read_chunks(handle, CHUNK)
            except OSError as exc:
                raise InputFileError(
                    f"Cannot read {entry.path} in {self.name}: {exc.strerror}."
                ) from exc

    def head(self, entry: Entry, size: int = 64 * 1024) -> bytes:
        """The first bytes of a file, to sniff its format (UTF-16 text given as UTF-8)."""
        with self.open(entry) as handle:
            try:
                head = handle.read(size)
            except (OSError, zipfile.BadZipFile, EOFError) as exc:
                raise ImportFailed(f"Cannot read {entry.path} in {self.name}: {exc}.") from exc
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return head[: len(head) // 2 * 2].decode("utf-16", "replace").encode("utf-8")
        return head

    def under(self, folder: str) -> list[Entry]:
        prefix = folder.rstrip("/") + "/" if folder else ""
        return [entry for path, entry in self.entries.items() if path.startswith(prefix)]


def _walk_error(root: Path):  # type: ignore[no-untyped-def]
    def fail(exc: OSError) -> None:
        raise InputFileError(f"Cannot read the folder {exc.filename or root}: {exc.strerror}.")

    return fail


def escape_path(path: str) -> str:
    """A path on one line: backslash, tab, CR and LF escaped; bytes that are not UTF-8 as \\xNN."""
    out = path.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else c for c in out)


def listing(title: str, rows: Iterable[tuple[str, int, str]]) -> bytes:
    """The stable text form of a folder: `rows` are (path, size, sha256)."""
    ordered = sorted(rows, key=lambda row: row[0].encode("utf-8", "surrogateescape"))
    lines = [
        LISTING_HEADER,
        f"folder: {escape_path(title)}",
        f"files: {len(ordered)}",
        f"bytes: {sum(size for _, size, _ in ordered)}",
        "sha256\tsize\tpath",
        *(f"{sha}\t{size}\t{escape_path(path)}" for path, size, sha in ordered),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
