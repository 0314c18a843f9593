"""Media type sniffed from the first bytes of content, not from the file name."""

from __future__ import annotations

import mimetypes

import puremagic

HEAD = 8192


def sniff(head: bytes, name: str | None = None) -> str:
    """The media type of content that starts with `head` (the name only breaks ties)."""
    if head:
        try:
            matches = (
                puremagic.magic_string(head, filename=name)
                if name
                else puremagic.magic_string(head)
            )
        except (puremagic.PureError, ValueError, TypeError):
            matches = []
        for match in matches:  # best first; some signatures carry no media type
            if match.mime_type:
                return str(match.mime_type)
    if not head:
        return "application/x-empty"
    if _is_text(head):
        guessed = mimetypes.guess_type(name or "")[0] if name else None
        if guessed and guessed.startswith("text/"):
            return guessed
        return "text/plain"
    return "application/octet-stream"


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "utf-16"):
        try:
            # A multi-byte character may be cut at the end of the sample.
            head[:-4].decode(encoding) if len(head) > 4 else head.decode(encoding)
            return encoding == "utf-8" or head[:2] in (b"\xff\xfe", b"\xfe\xff")
        except UnicodeDecodeError:
            continue
    return False
