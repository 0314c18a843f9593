"""Reading a zip nobody should trust, for `verify` and for `import`: one name rule, two sets of
limits, and every entry read in bounded memory whatever its compression.

`ZipReader(path, limits)` reads the central directory (with `zipfile`, which knows the format
well) and then checks the container itself, entry by entry, against the local headers that an
unzip tool really extracts from:

- a name that is unsafe (absolute, a drive letter, backslashes, `..`, control characters);
- local and central headers that disagree (name, method, flags, CRC, sizes), or an Info-ZIP
  Unicode Path field (0x7075) that gives another name than the header — `unzip` would extract a
  different file from the one that was checked;
- a compression method outside the limits (a bundle is stored or deflate; an import may also be
  bzip2), encryption, entries that overlap or hide bytes between them (strict limits only);
- more entries, more bytes in all, or a higher compression ratio than the limits allow.

Reading never trusts a declared size: decompression stops at the declared size plus a small
margin and fails (`TooLarge`), memory stays at about one chunk for every method, and a shorter
entry fails too. `problems` lists what was wrong, in plain words; importers refuse at the first.
"""

from __future__ import annotations

import bz2
import contextlib
import os
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

CHUNK = 1 << 20
MARGIN = 64 * 1024  # bytes a decompressor may produce past the declared size before we stop it
STORED, DEFLATED, BZIP2 = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2
METHOD_NAMES = {STORED: "stored", DEFLATED: "deflate", BZIP2: "bzip2", 14: "lzma", 93: "zstandard"}
UNICODE_PATH = 0x7075
ZIP64 = 0x0001
# Extra fields that say nothing about a name (zip64 sizes, times, owners).
HARMLESS_EXTRAS = frozenset({ZIP64, 0x000A, 0x000D, 0x5455, 0x5855, 0x7855, 0x7875})


class TooLarge(ValueError):
    """An entry is larger than it may be (its declared size, or a limit)."""


class UnsafeZip(ValueError):
    """The container cannot be read safely (the message says why)."""


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_total: int  # bytes, unpacked, in all
    max_ratio: int  # unpacked / packed, for entries larger than `ratio_floor`
    ratio_floor: int
    methods: frozenset[int]
    strict: bool  # also refuse unknown extra fields, overlapping or hidden bytes, a comment


VERIFY_LIMITS = Limits(
    max_entries=200_000,
    max_total=1 << 40,  # 1 TiB unpacked
    max_ratio=200,
    ratio_floor=1 << 20,
    methods=frozenset({STORED, DEFLATED}),
    strict=True,
)
IMPORT_LIMITS = Limits(
    max_entries=100_000,
    max_total=16 << 30,  # a large chat with media, not an unbounded one
    max_ratio=200,  # compressed text reaches ~10x; zero-filled bombs reach 1000x
    ratio_floor=4 << 20,
    methods=frozenset({STORED, DEFLATED, BZIP2}),
    strict=False,
)


def name_problem(name: str) -> str | None:
    """The one name rule: why an entry's name is unsafe to extract, or None."""
    if not name:
        return "has no name"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        return "has control characters in its name"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "is an absolute path"
    if "\\" in name:
        return "uses backslashes in its path"
    if ".." in name.split("/"):
        return "climbs out of its folder with '..'"
    if "." in name.split("/")[:-1] or "//" in name:
        return "has an odd path ('.' or '//')"
    return None


def _q(name: str) -> str:
    """A name in quotes; with its control characters as codes where it has any."""
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 or 0x202A <= ord(ch) <= 0x202E
           or 0x2066 <= ord(ch) <= 0x2069 for ch in name):  # fmt: skip
        return repr(name)
    return f"'{name}'"


def fold(name: str) -> str:
    """What two names look like to a file system that ignores case and Unicode normalisation."""
    return unicodedata.normalize("NFC", name).casefold()


@dataclass(frozen=True)
class Entry:
    """One entry, as both its headers agree it is."""

    filename: str
    method: int
    crc: int
    compress_size: int
    file_size: int
    header_offset: int
    data_offset: int
    mode: int

    def is_dir(self) -> bool:
        return self.filename.endswith("/")


def _extras(raw: bytes) -> list[tuple[int, bytes]] | None:
    fields = []
    at = 0
    while at + 4 <= len(raw):
        kind, size = struct.unpack_from("<HH", raw, at)
        if at + 4 + size > len(raw):
            return None
        fields.append((kind, raw[at + 4 : at + 4 + size]))
        at += 4 + size
    return fields if at == len(raw) else None


def _zip64_sizes(fields: list[tuple[int, bytes]], size: int, packed: int) -> tuple[int, int]:
    """The real (size, packed) of a local header whose 32-bit fields say 0xFFFFFFFF."""
    data = next((value for kind, value in fields if kind == ZIP64), b"")
    values = list(struct.unpack_from(f"<{len(data) // 8}Q", data)) if len(data) >= 8 else []
    if size == 0xFFFFFFFF and values:
        size = values.pop(0)
    if packed == 0xFFFFFFFF and values:
        packed = values.pop(0)
    return size, packed


class ZipReader:
    """A zip opened for reading without trust. Check `problems` before reading anything."""

    def __init__(self, path: os.PathLike[str] | str, limits: Limits) -> None:
        self.path = os.fspath(path)
        self.limits = limits
        self.problems: list[str] = []
        self.entries: list[Entry] = []
        info = os.stat(self.path)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeZip("it is not an ordinary file")
        self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            with zipfile.ZipFile(self.path) as archive:
                infos = archive.infolist()
                start_dir = int(getattr(archive, "start_dir", info.st_size))
                comment = archive.comment
            self._scan(infos, start_dir, comment)
        except (zipfile.BadZipFile, ValueError, EOFError, struct.error, NotImplementedError) as exc:
            self.close()
            raise UnsafeZip(f"it cannot be read as a zip file ({exc})") from exc
        except BaseException:
            self.close()
            raise

    # -- checking the container ------------------------------------------------------------

    def _scan(self, infos: list[zipfile.ZipInfo], start_dir: int, comment: bytes) -> None:
        limits = self.limits
        if len(infos) > limits.max_entries:
            self.problems.append(
                f"it holds {len(infos)} entries, more than the {limits.max_entries} allowed"
            )
            return
        if comment and limits.strict:
            self.problems.append("it carries a zip comment (Evidence Kit writes none)")
        seen: dict[str, str] = {}
        total = 0
        spans = [self._span(info) for info in infos] if limits.strict else []
        for info in infos:
            entry = self._entry(info)
            if entry is None:
                continue
            key = fold(entry.filename.rstrip("/"))
            if key in seen:
                twin = seen[key]
                self.problems.append(
                    f"entry {_q(entry.filename)} appears twice"
                    if twin == entry.filename
                    else f"entry {_q(entry.filename)} and {_q(twin)} are the same name to Windows or macOS"
                )
                continue
            seen[key] = entry.filename
            total += entry.file_size
            self.entries.append(entry)
        if total > limits.max_total:
            self.problems.append(
                f"it would unpack to {total} bytes, more than the {limits.max_total} allowed"
            )
        if limits.strict:
            self._check_spans(spans, start_dir)

    def _entry(self, info: zipfile.ZipInfo) -> Entry | None:
        name = info.filename
        problem = name_problem(name)
        if problem:
            self.problems.append(f"entry {_q(name)} {problem}")
            return None
        if info.flag_bits & 0x1:
            self.problems.append(f"entry {_q(name)} is encrypted")
            return None
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            self.problems.append(f"entry {_q(name)} is a symbolic link")
            return None
        if info.compress_type not in self.limits.methods:
            method = METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            self.problems.append(
                f"entry {_q(name)} uses {method} compression, which is not allowed here"
            )
            return None
        if (
            info.compress_type != STORED
            and info.file_size > self.limits.ratio_floor
            and info.file_size > self.limits.max_ratio * max(1, info.compress_size)
        ):
            self.problems.append(
                f"entry {_q(name)} would expand {info.file_size // max(1, info.compress_size)} "
                f"times (the limit is {self.limits.max_ratio})"
            )
            return None
        central = _extras(info.extra)
        if central is None:
            self.problems.append(f"entry {_q(name)} has a damaged extra field")
            return None
        data_offset = self._check_local(info, central)
        if data_offset is None:
            return None
        return Entry(
            name, info.compress_type, info.CRC, info.compress_size, info.file_size,
            info.header_offset, data_offset, mode,
        )  # fmt: skip

    def _check_local(self, info: zipfile.ZipInfo, central: list[tuple[int, bytes]]) -> int | None:
        """Compare the local header with the central one; return where the data starts."""
        name = info.filename
        header = os.pread(self._fd, 30, info.header_offset)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            self.problems.append(f"entry {_q(name)} has no local header where the directory says")
            return None
        (_, _, flags, method, _, _, crc, packed, size, name_len, extra_len) = struct.unpack(
            "<4sHHHHHIIIHH", header
        )
        raw_name = os.pread(self._fd, name_len, info.header_offset + 30)
        local_extra = os.pread(self._fd, extra_len, info.header_offset + 30 + name_len)
        central_raw = name.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace")
        mismatch = []
        if raw_name != central_raw:
            mismatch.append("name")
        if method != info.compress_type:
            mismatch.append("compression")
        if (flags ^ info.flag_bits) & ~0x8 & 0xFFFF:
            mismatch.append("flags")
        local_fields = _extras(local_extra)
        if local_fields is None:
            self.problems.append(f"entry {_q(name)} has a damaged extra field in its local header")
            return None
        if not flags & 0x8:  # sizes and CRC are in the local header (no data descriptor)
            size, packed = _zip64_sizes(local_fields, size, packed)
            if crc != info.CRC:
                mismatch.append("CRC")
            if size != info.file_size or packed != info.compress_size:
                mismatch.append("size")
        if mismatch:
            self.problems.append(
                f"entry {_q(name)}: its local header and the zip's directory disagree on its "
                + " and ".join(mismatch)
            )
            return None
        for kind, value in [*central, *local_fields]:
            if kind == UNICODE_PATH:
                other = value[5:].decode("utf-8", "replace") if len(value) > 5 else ""
                if other != name:
                    self.problems.append(
                        f"entry {_q(name)} carries a second name ({_q(other)}) that some unzip tools "
                        "would use instead"
                    )
                    return None
            elif self.limits.strict and kind not in HARMLESS_EXTRAS:
                self.problems.append(
                    f"entry {_q(name)} has an extra field (0x{kind:04x}) that Evidence Kit does not "
                    "write and cannot vouch for"
                )
                return None
        return info.header_offset + 30 + name_len + extra_len

    def _span(self, info: zipfile.ZipInfo) -> tuple[int, int, str]:
        """Where an entry lies in the file: (start of its local header, end of its data, name)."""
        header = os.pread(self._fd, 30, info.header_offset)
        lengths = struct.unpack("<HH", header[26:30]) if len(header) == 30 else (0, 0)
        end = info.header_offset + 30 + sum(lengths) + info.compress_size
        return info.header_offset, end, info.filename

    def _check_spans(self, spans: list[tuple[int, int, str]], start_dir: int) -> None:
        """Entries may not overlap, and no bytes may hide between them."""
        position = 0
        for start, end, name in sorted(spans):
            if start < position:
                self.problems.append(f"entry {_q(name)} overlaps the entry before it")
            elif start > position + 24:  # a data descriptor takes up to 24 bytes
                self.problems.append(
                    f"{start - position} bytes before entry {_q(name)} belong to no entry"
                )
            position = max(position, end)
        if start_dir < position:
            self.problems.append("the zip's directory overlaps the last entry")
        elif start_dir > position + 24:
            self.problems.append(
                f"{start_dir - position} bytes after the last entry belong to no entry"
            )

    # -- reading ---------------------------------------------------------------------------

    def chunks(self, entry: Entry, *, check_crc: bool = True) -> Iterator[bytes]:
        """The entry's bytes in blocks of at most `CHUNK`, never more than it declares.

        Raises `TooLarge` if it expands past its declared size (plus `MARGIN`, where the
        decompression is stopped), `UnsafeZip` if it is shorter or its CRC is wrong.
        """
        crc = 0
        produced = 0
        for block in self._decompressed(entry):
            produced += len(block)
            if produced > entry.file_size:
                raise TooLarge(f"entry {_q(entry.filename)} holds more bytes than it declares")
            if check_crc:
                crc = zlib.crc32(block, crc)
            yield block
        if produced != entry.file_size:
            raise UnsafeZip(f"entry {_q(entry.filename)} is shorter than it declares")
        if check_crc and crc != entry.crc:
            raise UnsafeZip(f"entry {_q(entry.filename)} is damaged (its CRC does not match)")

    def _packed(self, entry: Entry) -> Iterator[bytes]:
        offset, left = entry.data_offset, entry.compress_size
        while left > 0:
            block = os.pread(self._fd, min(CHUNK, left), offset)
            if not block:
                raise UnsafeZip(f"entry {_q(entry.filename)} is cut short")
            offset += len(block)
            left -= len(block)
            yield block

    def _decompressed(self, entry: Entry) -> Iterator[bytes]:
        if entry.method == STORED:
            yield from self._packed(entry)
            return
        budget = entry.file_size + MARGIN
        produced = 0
        if entry.method == DEFLATED:
            inflate = zlib.decompressobj(-15)
            for block in self._packed(entry):
                data = block
                while data:
                    out = inflate.decompress(data, CHUNK)
                    data = inflate.unconsumed_tail
                    produced += len(out)
                    if produced > budget:
                        raise TooLarge(
                            f"entry {_q(entry.filename)} expands beyond its declared size"
                        )
                    if out:
                        yield out
            tail = inflate.flush()
            if tail:
                yield tail
            return
        if entry.method == BZIP2:
            unbzip = bz2.BZ2Decompressor()
            for block in self._packed(entry):
                data = block
                while not unbzip.eof:
                    out = unbzip.decompress(data, CHUNK)
                    data = b""
                    produced += len(out)
                    if produced > budget:
                        raise TooLarge(
                            f"entry {_q(entry.filename)} expands beyond its declared size"
                        )
                    if out:
                        yield out
                    if unbzip.needs_input:
                        break
            return
        raise UnsafeZip(f"entry {_q(entry.filename)} uses a compression Evidence Kit cannot read")

    @property
    def fd(self) -> int:
        """The open file, for readers that pread it (never seek it: threads share it)."""
        return self._fd

    def close(self) -> None:
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> ZipReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
