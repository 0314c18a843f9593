"""A streaming mbox splitter: one message at a time, never the whole file in memory.

Python's `mailbox.mbox` builds a table of every message and reads each whole; a 1 GB mailbox
is fine that way only when memory is plentiful. This reads lines (each at most `LINE_LIMIT`
bytes: a 2 GB file with no newline streams too) and yields each message with its place in the
file: the offset and length of its exact bytes in the original (which is kept whole), their
SHA-256, and the separator line.

Separators: a line starting with "From " that follows an empty line (or starts the file) and
carries a time (`From - Mon Mar 04 09:12:45 2024`, `From 1791…@xxx Mon Mar 04 …`), or one in
the strict asctime form anywhere. A message's bytes end before the empty line that precedes the
next separator (or ends the file), as `mailbox.mbox` cuts them; with CRLF line endings the
empty line is "\r\n" (the stdlib, splitting on "\n" only, leaves it in the message).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

LINE_LIMIT = 1024 * 1024
_LOOSE = re.compile(rb"From \S*.{0,300}?\d{1,2}:\d\d")
_STRICT = re.compile(
    rb"From \S+ +(Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    rb" +\d{1,2} +\d{1,2}:\d\d(:\d\d)? +(\S+ +)?\d{4}"
)
_ESCAPED = re.compile(rb"^>(>*From )", re.MULTILINE)
_HEADER = re.compile(rb"[!-9;-~]+:")
_BLANK = (b"", b"\n", b"\r\n")


@dataclass(frozen=True)
class Piece:
    """One message of the mbox. `data` is its bytes, or only its header block when `complete`
    is False (it was larger than the limit given to `split`)."""

    number: int  # 1-based
    line: int  # line number of its "From " line
    separator: bytes  # the "From " line, without its line ending
    offset: int  # of the "From " line in the file
    message_offset: int  # of the message's first byte
    length: int
    sha256: str
    data: bytes
    complete: bool


def looks_like_mbox(head: bytes) -> bool:
    """A file that starts with a "From " separator line followed by a header line."""
    lines = head.split(b"\n", 2)
    if len(lines) < 2 or not _LOOSE.match(lines[0]):
        return False
    return bool(_HEADER.match(lines[1]))


def unescape(data: bytes) -> tuple[bytes, int]:
    """Undo mboxrd quoting (">From " -> "From ", ">>From " -> ">From ") for parsing a copy."""
    count = 0

    def drop(match: re.Match[bytes]) -> bytes:
        nonlocal count
        count += 1
        return match.group(1)

    return _ESCAPED.sub(drop, data), count


class _Builder:
    def __init__(self, number: int, line: int, separator: bytes, offset: int, start: int) -> None:
        self.number, self.line, self.separator = number, line, separator
        self.offset, self.start = offset, start
        self.buf = bytearray()
        self.hasher = hashlib.sha256()
        self.size = 0
        self.complete = True

    def add(self, data: bytes, keep_limit: int) -> None:
        self.hasher.update(data)
        self.size += len(data)
        if self.complete:
            self.buf += data
            if len(self.buf) > keep_limit:
                from evidence_kit.importers.mailparse import header_block

                self.buf = bytearray(header_block(bytes(self.buf)))
                self.complete = False

    def piece(self) -> Piece:
        return Piece(
            self.number, self.line, self.separator.rstrip(b"\r\n"), self.offset, self.start,
            self.size, self.hasher.hexdigest(), bytes(self.buf), self.complete,
        )  # fmt: skip


def split(handle: IO[bytes], keep_limit: int) -> Iterator[Piece]:
    """The messages of an mbox, in file order. Bytes before the first separator are not a
    message; the caller learns of them from the first piece's `offset`."""
    position = 0
    line_no = 0
    at_line_start = True
    previous_blank = True
    current: _Builder | None = None
    held = b""  # the last line, kept back: its line ending may belong to the next separator
    number = 0
    while True:
        line = handle.readline(LINE_LIMIT)
        if not line:
            break
        starts_line = at_line_start
        at_line_start = line.endswith(b"\n")
        if starts_line:
            line_no += 1
        is_separator = (
            starts_line
            and line.startswith(b"From ")
            and (_STRICT.match(line) is not None or (previous_blank and _LOOSE.match(line)))
        )
        if is_separator:
            if current is not None:
                if held not in _BLANK:
                    current.add(held, keep_limit)
                yield current.piece()
            number += 1
            current = _Builder(number, line_no, line, position, position + len(line))
            held = b""
        elif current is not None:
            if held:
                current.add(held, keep_limit)
            held = line
        position += len(line)
        if starts_line:
            previous_blank = line in _BLANK
        elif at_line_start:
            previous_blank = False
    if current is not None:
        if held not in _BLANK:
            current.add(held, keep_limit)
        yield current.piece()
