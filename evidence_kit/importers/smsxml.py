"""Streaming, safe XML reading for SMS Backup & Restore files.

* Safe: no DTD at all (SMS Backup & Restore never writes one), so no entity expansion ("billion
  laughs") and no external entities; expat is told never to read parameter entities either.
* Streamed: the file is fed to expat in 1 MiB blocks; handlers see one element at a time.
* Repaired: the app (and exporters that mimic it) writes emoji as UTF-16 surrogate pairs,
  `&#55357;&#56832;`, which XML forbids and expat refuses. Pairs are rewritten to the code point
  (`&#128512;`) before parsing; a lone surrogate or another character XML 1.0 forbids
  (`&#1;`) becomes U+FFFD. Each repair is counted; the kept original is untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from evidence_kit.errors import ImportFailed

BLOCK = 1024 * 1024
_REF = re.compile(rb"&#(?:([0-9]{1,8})|[xX]([0-9a-fA-F]{1,8}));")
# A block may end inside a reference or between the two halves of a pair: keep such a tail back.
_LAST_REF = re.compile(rb"&#(?:([0-9]{1,8})|[xX]([0-9a-fA-F]{1,8}));\Z")
_TAIL = re.compile(rb"(?:&#[xX]?[0-9a-fA-F]{1,8};){0,2}&?#?[xX]?[0-9a-fA-F]{0,8}\Z")


class UnsafeXml(ImportFailed):
    """The file declares entities or a DTD, which an SMS backup never has."""


def _allowed(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


class Repair:
    """Rewrites character references block by block; counts what it changed."""

    def __init__(self) -> None:
        self.pairs = 0
        self.replaced = 0
        self._carry = b""

    def feed(self, block: bytes, final: bool = False) -> bytes:
        data = self._carry + block
        if final:
            self._carry = b""
        else:
            tail = _TAIL.search(data[-64:])
            cut = len(data) - (len(tail.group(0)) if tail else 0)
            before = _LAST_REF.search(data, max(0, cut - 16), cut)
            if before is not None and 0xD800 <= _value(before) <= 0xDBFF:
                cut = before.start()  # keep a high surrogate with the low one that follows it
            data, self._carry = data[:cut], data[cut:]
        if b"&#" not in data:
            return data
        return self._rewrite(data)

    def _rewrite(self, data: bytes) -> bytes:
        out: list[bytes] = []
        last = 0
        matches = list(_REF.finditer(data))
        skip = False
        for number, match in enumerate(matches):
            if skip:
                skip = False
                continue
            code = _value(match)
            if _allowed(code):
                continue
            out.append(data[last : match.start()])
            last = match.end()
            following = matches[number + 1] if number + 1 < len(matches) else None
            if (
                0xD800 <= code <= 0xDBFF
                and following is not None
                and following.start() == match.end()
                and 0xDC00 <= _value(following) <= 0xDFFF
            ):
                joined = 0x10000 + ((code - 0xD800) << 10) + (_value(following) - 0xDC00)
                out.append(b"&#%d;" % joined)
                last = following.end()
                self.pairs += 1
                skip = True
            else:
                out.append(b"&#xFFFD;")
                self.replaced += 1
        out.append(data[last:])
        return b"".join(out)


def _value(match: re.Match[bytes]) -> int:
    return int(match.group(1)) if match.group(1) is not None else int(match.group(2), 16)


def _refuse_dtd(*_args: Any) -> None:
    raise UnsafeXml()


def safe_parser() -> Any:
    """An expat parser that refuses any DTD, entity declaration or external entity."""
    parser = expat.ParserCreate("utf-8")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd  # type: ignore[assignment]
    return parser


def events(
    handle: IO[bytes],
    path: str,
    parser: Any,
    repair: Repair,
    truncated: Callable[[int, str], None],
) -> Iterator[int]:
    """Feed the file to `parser` (from `safe_parser`, handlers set); yield the byte offset after
    each block.

    A DTD, an entity declaration or an external entity raises `UnsafeXml` (nothing is kept). An
    error in the last block (the file ends early, or junk follows the root) is reported to
    `truncated(line, reason)`; an error earlier in the file raises `ImportFailed`.
    """
    offset = 0
    while True:
        block = handle.read(BLOCK)
        final = not block
        offset += len(block)
        try:
            parser.Parse(repair.feed(block, final), final)
        except UnsafeXml as exc:
            raise UnsafeXml(
                f"{path} contains a DTD or entity declarations, which an SMS backup never has; "
                "it was refused for safety (entity expansion or external entities).",
                hint="Nothing was imported. If you trust the file, you can keep it as it is "
                "with `evidence-kit add`.",
            ) from exc
        except expat.ExpatError as exc:
            reason = expat.ErrorString(exc.code) or str(exc)
            if (
                final
                or exc.code == expat.errors.codes[expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]
            ):
                truncated(exc.lineno, reason)
                return
            raise ImportFailed(
                f"{path} is damaged at line {exc.lineno}, column {exc.offset}: {reason}.",
                hint="The original can still be kept as it is with `evidence-kit add`.",
            ) from exc
        yield offset
        if final:
            return
