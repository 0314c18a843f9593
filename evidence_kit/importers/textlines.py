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
_ESCAPED = re.compile("[\udc80-\udcff]+")


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
        text = io.TextIOWrapper(
            self.handle, encoding="utf-8", errors="surrogateescape", newline=None
        )
        number = 0
        readline = text.readline
        while True:
            line = readline(MAX_LINE)
            if not line:
                return
            number += 1
            if line[-1] == "\n":
                line = line[:-1]
            elif len(line) >= MAX_LINE:
                raise TooLong(number, f"is longer than {MAX_LINE:,} characters")
            else:
                self.unterminated = True
            if number == 1 and line.startswith("\ufeff"):
                self.had_bom = True
                line = line[1:]
            if _ESCAPED.search(line):
                line = _ESCAPED.sub(_replacement, line)
                self.warnings.add(
                    "bytes",
                    number,
                    "some bytes are not valid UTF-8 text; they are shown as \ufffd "
                    "(the original file is kept unchanged)",
                )
            yield number, line


def _replacement(match: re.Match[str]) -> str:
    """The U+FFFD for a run of bytes that are not UTF-8: the bytes decoded again with the
    standard's "maximal subpart" rule (a cut-off three-byte character is one U+FFFD)."""
    return match.group().encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def position(handle: IO[bytes]) -> int:
    try:
        return handle.tell()
    except (OSError, ValueError):
        return 0
