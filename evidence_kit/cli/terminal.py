"""Nothing hostile reaches a terminal: every character that could steer one is shown as a code.

Evidence and bundles are written by other people. An ESC in a file name, a message or a crafted
manifest line could move the cursor, rewrite a line ("FAILED" -> "passed"), retitle the window
or hide text; a right-to-left override can reverse what is read. While a command runs, its
stdout and stderr pass through `SafeText`, which shows C0 and C1 control characters (except
line feed and tab) and the bidi controls as visible codes (`\\x1b`, `\\u202e`). JSON output is
escaped the JSON way (`\\u001b`) before it is printed, so it stays valid JSON.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

DANGEROUS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _code(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def visible(text: str) -> str:
    """`text` with every terminal-steering character shown as its code."""
    return DANGEROUS.sub(_code, text)


def json_text(value: Any, indent: int | None = 2) -> str:
    """JSON (indented, or one line) with the same characters escaped as JSON escapes: still
    valid JSON, and nothing in it steers a terminal."""
    text = json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=False)
    return DANGEROUS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeText:
    """A text stream that makes dangerous characters visible before they reach `raw`.

    It has no `.buffer`, so nothing (click included) can write past it in bytes."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    @property
    def encoding(self) -> str:
        return getattr(self.raw, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:
        return getattr(self.raw, "errors", None)

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError("SafeText takes text")
        self.raw.write(visible(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return bool(getattr(self.raw, "isatty", lambda: False)())

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False


def raw_stderr() -> TextIO:
    """The terminal itself, for our own progress bar (it redraws with a carriage return)."""
    stream = sys.stderr
    return stream.raw if isinstance(stream, SafeText) else stream


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """stdout and stderr through `SafeText` for as long as the command runs."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeText):
        sys.stdout = SafeText(sys.stdout)  # type: ignore[assignment]
    if not isinstance(sys.stderr, SafeText):
        sys.stderr = SafeText(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
