"""Outlook .msg (an OLE2 compound file of MAPI properties), read with extract-msg.

One message: sender, recipients, subject, submit time (FILETIME, UTC; absent on unsent
drafts), plain and HTML bodies, the transport headers when the item came in by mail (every
Received header kept, in order), and each attachment as a child item with its hash. An
attachment that is itself a message is kept as its own .msg bytes where extract-msg can export
them, else recorded as referenced, not captured.
"""

from __future__ import annotations

import email.utils
import re
import struct
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from evidence_kit.errors import ImportFailed
from evidence_kit.importers import mailtext
from evidence_kit.importers.base import Session, Source
from evidence_kit.model import AttachmentRef, Message

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# "__substg1.0_" in UTF-16LE: the name of MAPI property streams inside the file's directory.
MAPI_MARK = "__substg1.0_".encode("utf-16-le")


def looks_like_msg(source: Source) -> bool:
    """An OLE2 file whose directory has the MAPI property streams of a message."""
    if not source.head.startswith(OLE_MAGIC):
        return False
    if MAPI_MARK in source.head:
        return True
    import olefile  # the directory can lie past the first 64 KiB (large attachments first)

    try:
        with olefile.OleFileIO(str(source.path)) as ole:
            return bool(ole.exists("__properties_version1.0")) and any(
                entry[-1].startswith("__substg1.0_") for entry in ole.listdir()
            )
    except (OSError, ValueError, IndexError, TypeError, struct.error):
        return False


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return mailtext.decode_bytes(value, None)[0]
    return str(value)


class MsgImporter:
    name: ClassVar[str] = "msg"
    label: ClassVar[str] = "Outlook message (.msg)"
    zone_free: ClassVar[bool] = False

    def detect(self, source: Source) -> bool:
        return source.zip_names is None and looks_like_msg(source)

    def parse(self, source: Source, session: Session) -> Iterator[Message]:
        if not source.head.startswith(OLE_MAGIC):
            raise ImportFailed(
                f"{source.path} is not an Outlook message (.msg).",
                hint="You can still keep it as it is with `evidence-kit add`.",
            )
        import extract_msg
        from extract_msg.exceptions import ExMsgBaseException

        try:
            msg = extract_msg.openMsg(str(source.path), delayAttachments=False)
        except (ExMsgBaseException, OSError, ValueError, KeyError, TypeError) as exc:
            raise ImportFailed(
                f"{source.path} is an Office file but not a readable Outlook message: {exc}.",
                hint="You can still keep it as it is with `evidence-kit add`.",
            ) from exc
        try:
            yield self._message(msg, session)
        finally:
            msg.close()

    def _message(self, msg: Any, session: Session) -> Message:
        headers = {
            "from": _text(msg.sender),
            "to": _text(msg.to),
            "cc": _text(msg.cc),
            "bcc": _text(msg.bcc),
            "subject": _text(msg.subject),
            "message_id": _text(msg.messageId),
            "in_reply_to": _text(msg.inReplyTo),
        }
        received: list[str] = []
        transport = msg.header
        if transport is not None and msg.headerText:
            received = [
                re.sub(r"\s*\r?\n\s+", " ", str(v)).strip()
                for v in transport.get_all("received") or []
            ]
        sent_at = _aware(msg.date)
        if sent_at is None:
            session.warn(None, "the message has no send time (an unsent draft keeps none)")
        name, address = email.utils.parseaddr(headers["from"] or "")
        extra: dict[str, Any] = {
            "headers": {k: v for k, v in headers.items() if v},
            "received": received,
            "recipients": [
                {"name": _text(r.name), "address": _text(r.email), "type": str(r.type)}
                for r in msg.recipients
            ],
            "message_class": _text(msg.classType),
        }
        if msg.headerText:
            extra["transport_headers"] = _text(msg.headerText)
        html = msg.htmlBody
        if html:
            extra["html"] = _text(html)
        body = _text(msg.body) or ""
        if not body and html:
            body = mailtext.html_to_text(extra["html"])
        return Message(
            index=0,
            sender=name or address or None,
            sender_id=address or None,
            text=body.replace("\r\n", "\n"),
            text_raw=body,
            sent_at=sent_at,
            conversation=mailtext.thread_of(headers["subject"]),
            attachments=[self._attachment(a, n, session) for n, a in enumerate(msg.attachments)],
            extra=extra,
        )

    def _attachment(self, attachment: Any, number: int, session: Session) -> AttachmentRef:
        name = _text(attachment.longFilename) or _text(attachment.shortFilename)
        name = name or _text(attachment.displayName) or f"attachment-{number + 1}"
        data = attachment.data
        if data is not None and not isinstance(data, bytes):  # an embedded message
            try:
                data = data.exportBytes()
                name = name if name.lower().endswith(".msg") else f"{name}.msg"
            except Exception:
                data = None
        if not isinstance(data, bytes):
            session.warn(None, f"attachment {name!r} could not be read from the .msg")
            return AttachmentRef(name, present=False)
        return session.keep_attachment(
            name,
            iter((data,)),
            media_type=_text(attachment.mimetype),
            metadata={"msg": {"number": number, "content_id": _text(attachment.contentId)}},
            key=f"msg/{number}",
        )


def _aware(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # FILETIME is UTC
