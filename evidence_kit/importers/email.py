"""E-mail: a single message (.eml) and a mailbox (.mbox, Thunderbird folders, Gmail Takeout).

The file as received is the evidence and is kept whole by the framework. For an mbox, each
message is cited by byte offsets into that kept original (`extra["mbox"]`: offset, length and
the SHA-256 of exactly those bytes) rather than stored a second time: the slice is byte-exact,
anyone can cut it out of the original and check its hash, and a 1 GB mailbox does not take
2 GB in the vault. Attachments are the exception: decoded from base64 they are different bytes,
so each is kept as its own child item with its hash.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from evidence_kit.errors import ImportFailed
from evidence_kit.importers import mailparse, mboxsplit
from evidence_kit.importers.base import Session, Source
from evidence_kit.importers.mailparse import Place, parse_mail
from evidence_kit.model import Message

_FIELD = re.compile(rb"([!-9;-~]+):")
KNOWN_FIELDS = {
    b"received", b"from", b"to", b"cc", b"date", b"subject", b"message-id", b"mime-version",
    b"return-path", b"delivered-to", b"reply-to", b"x-mailer", b"content-type", b"user-agent",
    b"dkim-signature", b"authentication-results", b"x-originating-ip", b"sender", b"references",
    b"in-reply-to", b"thread-index", b"x-ms-exchange-organization-authas", b"arc-seal",
}  # fmt: skip
CORE_FIELDS = {b"from", b"date", b"received", b"message-id", b"subject"}
# The parse errors the stdlib e-mail package has been seen to raise on hostile messages.
PARSE_ERRORS = (ValueError, IndexError, KeyError, TypeError, AttributeError, LookupError)


def looks_like_eml(head: bytes) -> bool:
    """Header lines from the first line on, including at least two well-known fields."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith(b"From "):
        return False
    names: set[bytes] = set()
    lines = re.split(rb"\r?\n", head)[:-1] or [head]
    for number, line in enumerate(lines[:200]):
        if not line:
            break
        if line[:1] in (b" ", b"\t") and number > 0:
            continue
        match = _FIELD.match(line)
        if match is None:
            return False
        names.add(match.group(1).lower())
    return len(names & KNOWN_FIELDS) >= 2 and bool(names & CORE_FIELDS)


def _refuse(source: Source, what: str) -> ImportFailed:
    return ImportFailed(
        f"{source.path} is not {what}.",
        hint="You can still keep it as it is with `evidence-kit add`.",
    )


class EmlImporter:
    name: ClassVar[str] = "eml"
    label: ClassVar[str] = "e-mail message"
    zone_free: ClassVar[bool] = False

    def detect(self, source: Source) -> bool:
        return source.zip_names is None and looks_like_eml(source.head)

    def parse(self, source: Source, session: Session) -> Iterator[Message]:
        if not looks_like_eml(source.head):
            raise _refuse(source, "an e-mail message (it does not start with header lines)")
        with source.open() as handle:
            if source.size > mailparse.MAX_PARSE:
                raw = handle.read(mailparse.HEADER_LIMIT)
            else:
                raw = handle.read()
        place = Place(index=0, line=1, label=source.name, key="eml")
        try:
            yield parse_mail(raw, session, place, size=source.size)
        except PARSE_ERRORS as exc:
            raise ImportFailed(f"{source.path} is a damaged e-mail message: {exc}.") from exc


class MboxImporter:
    name: ClassVar[str] = "mbox"
    label: ClassVar[str] = "mailbox (mbox)"
    zone_free: ClassVar[bool] = False

    def detect(self, source: Source) -> bool:
        return source.zip_names is None and mboxsplit.looks_like_mbox(source.head)

    def parse(self, source: Source, session: Session) -> Iterator[Message]:
        if not mboxsplit.looks_like_mbox(source.head):
            raise _refuse(source, 'a mailbox (mbox) file (it does not start with a "From " line)')
        counts = {"messages": 0, "deleted": 0, "unescaped": 0, "headers_only": 0}
        with source.open() as handle:
            for piece in mboxsplit.split(handle, mailparse.MAX_PARSE):
                session.check_cancel()
                if piece.number == 1 and piece.offset:
                    session.warn(
                        1, f"{piece.offset} bytes before the first message are not a message"
                    )
                message = self._message(piece, counts["messages"], session)
                counts["messages"] += 1
                counts["deleted"] += int(message.deleted)
                counts["unescaped"] += message.extra["mbox"]["unescaped_from_lines"]
                counts["headers_only"] += int(not piece.complete)
                session.progress(piece.message_offset + piece.length, source.size)
                yield message
        session.facts["mbox"] = {
            "messages": counts["messages"],
            "marked_deleted": counts["deleted"],
            "unescaped_from_lines": counts["unescaped"],
            "headers_only": counts["headers_only"],
            "cited_by": "byte offsets into the kept original (extra.mbox)",
        }

    def _message(self, piece: mboxsplit.Piece, index: int, session: Session) -> Message:
        data, unescaped = mboxsplit.unescape(piece.data)
        place = Place(
            index=index,
            line=piece.line,
            label=f"message {piece.number} (line {piece.line})",
            key=f"mbox/{piece.number}",
            extra={
                "mbox": {
                    "separator": piece.separator.decode("utf-8", "replace"),
                    "offset": piece.offset,
                    "message_offset": piece.message_offset,
                    "length": piece.length,
                    "sha256": piece.sha256,
                    "unescaped_from_lines": unescaped,
                }
            },
        )
        try:
            return parse_mail(data, session, place, size=piece.length)
        except PARSE_ERRORS as exc:
            session.warn(piece.line, f"{place.label} could not be parsed ({exc}); kept as bytes")
            return Message(
                index=index,
                sender=None,
                text="",
                sent_at=None,
                extra=place.extra | {"parse_error": str(exc)},
            )
