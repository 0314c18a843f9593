"""Reading an exported chat text line by line: bounded, forgiving, and honest about damage.

Shared by the text formats (WhatsApp, imessage-exporter TXT, signal-export Markdown).
`LineReader(handle, warnings)` decodes UTF-8 as it streams (CRLF, lone CR and LF all end a
line; a BOM at the start is dropped). Bytes that are not UTF-8 become U+FFFD, one for each
maximal invalid sequence as the Unicode standard recommends (so a character cut off at the end
of a file is one U+FFFD, not one per byte), and the line is reported; a line longer than
`MAX_LINE` characters is refused (no chat message is that long, and memory must stay bounded
whatever the file holds).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

MAX_LINE = 1 << 20  # characters; WhatsApp caps a message at 65,536
MAX_MESSAGE = 4 << 20  # characters in one message, continuation lines included
BLOCK = 1 << 18  # characters read at a time (less than MAX_LINE)
_ESCAPED = re.compile("[\udc80-\udcff]+")
BAD_BYTES = (
    "some bytes are not valid UTF-8 text; they are shown as \ufffd "
    "(the original file is kept unchanged)"
)


class TooLong(ValueError):
    """A line or message over the limits: the file is not a chat export."""

    def __init__(self, line: int, what: str) -> None:
        super().__init__(f"line {line} {what}")
        self.line = line


@dataclass
class Warnings:
    """Warnings with a cap per kind, so a damaged file cannot fill memory with them."""

    sink: Callable[[int | None, str], None]
    cap: int = 50
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, line: int | None, text: str) -> None:
        seen = self.counts[kind] = self.counts.get(kind, 0) + 1
        if seen <= self.cap:
            self.sink(line, text)

    def close(self, labels: dict[str, str]) -> None:
        for kind, seen in self.counts.items():
            if seen > self.cap:
                self.sink(None, f"{seen - self.cap} more lines {labels.get(kind, 'like these')}.")


@dataclass
class LineReader:
    handle: IO[bytes]
    warnings: Warnings
    unterminated: bool = False  # the last line had no line break (the file may be cut short)
    had_bom: bool = False

    def __iter__(self) -> Iterator[tuple[int, str]]:
        for number, block, damaged in self.blocks():
            lines = block.split("\n")
            lines.pop()  # a block ends with a line break
            if not damaged:
                yield from enumerate(lines, number)
                continue
            for at, line in enumerate(lines, number):
                if at in damaged:
                    self.warnings.add("bytes", at, BAD_BYTES)
                yield at, line

    def blocks(self) -> Iterator[tuple[int, str, list[int]]]:
        """The text in blocks of whole lines, each ending with "\n" (one is added after a last
        line that has none): (number of its first line, text, numbers of the lines that had
        bytes which are not UTF-8). For parsers that find their line starts with one regex
        over a block; `__iter__` gives the same lines one by one, with their warnings."""
        text = io.TextIOWrapper(
            self.handle, encoding="utf-8", errors="surrogateescape", newline=None
        )
        number = 1  # of the first line of the next block
        tail = ""  # a line not finished yet
        start = True
        while chunk := text.read(BLOCK):
            data = tail + chunk if tail else chunk
            if start:
                start = False
                if data.startswith("\ufeff"):
                    self.had_bom = True
                    data = data[1:]
            cut = data.rfind("\n") + 1
            if not cut:
                tail = data
                if len(tail) >= MAX_LINE:
                    raise TooLong(number, f"is longer than {MAX_LINE:,} characters")
                continue
            block, tail = data[:cut], data[cut:]
            if block.find("\n") >= MAX_LINE:  # lines after the first are shorter than a BLOCK
                raise TooLong(number, f"is longer than {MAX_LINE:,} characters")
            yield (number, *_repaired(block, number))
            number += block.count("\n")
            if len(tail) >= MAX_LINE:
                raise TooLong(number, f"is longer than {MAX_LINE:,} characters")
        if tail:
            self.unterminated = True
            yield (number, *_repaired(tail + "\n", number))


def _repaired(block: str, number: int) -> tuple[str, list[int]]:
    """`block` with each run of bytes that are not UTF-8 as U+FFFD, and the lines that had one."""
    if not _ESCAPED.search(block):
        return block, []
    damaged: list[int] = []
    for match in _ESCAPED.finditer(block):
        line = number + block.count("\n", 0, match.start())
        if not damaged or damaged[-1] != line:
            damaged.append(line)
    return _ESCAPED.sub(_replacement, block), damaged


def _replacement(match: re.Match[str]) -> str:
    """The U+FFFD for a run of bytes that are not UTF-8: the bytes decoded again with the
    standard's "maximal subpart" rule (a cut-off three-byte character is one U+FFFD)."""
    return match.group().encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def position(handle: IO[bytes]) -> int:
    try:
        return handle.tell()
    except (OSError, ValueError):
        return 0
