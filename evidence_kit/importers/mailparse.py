"""One e-mail (RFC 5322 + MIME bytes) into a `Message`; its attachments kept as child items.

Used by the .eml importer (the whole file) and the mbox importer (each message). The header
fields a recipient checks — From, To, Cc, Date, Subject, Message-ID and every Received header,
in order — go into `extra`, decoded; the plain and HTML bodies are decoded with charset repair;
every other MIME leaf is kept with its hash through `session.keep_attachment`.
"""

from __future__ import annotations

import email.message
import email.policy
import email.utils
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser, BytesParser
from typing import Any

from evidence_kit.importers import mailtext
from evidence_kit.importers.base import Session
from evidence_kit.model import AttachmentRef, Message

MAX_PARSE = 64 * 1024 * 1024  # larger messages: headers only (the original is kept whole)
HEADER_LIMIT = 1024 * 1024  # bytes of header block read for a message too large to parse
SHOWN = {
    "from": "from", "to": "to", "cc": "cc", "bcc": "bcc", "reply-to": "reply_to",
    "date": "date", "subject": "subject", "message-id": "message_id",
    "in-reply-to": "in_reply_to", "references": "references", "sender": "sender",
    "x-gmail-labels": "gmail_labels", "x-mozilla-status": "mozilla_status",
    "x-mozilla-status2": "mozilla_status2", "x-mozilla-keys": "mozilla_keys",
}  # fmt: skip
_POLICY = email.policy.default.clone(refold_source="none", max_line_length=None)
_CID = re.compile(r"""cid:([^"'\s)>]+)""", re.IGNORECASE)


@dataclass
class Place:
    """Where the message is: its index, the line it starts on, how warnings name it, its key."""

    index: int
    line: int | None = None
    label: str = "the message"
    key: str = "eml"
    extra: dict[str, Any] = field(default_factory=dict)


def header_block(raw: bytes) -> bytes:
    """The header lines of a message (up to the first empty line), at most HEADER_LIMIT bytes."""
    head = raw[:HEADER_LIMIT]
    match = re.search(rb"\r?\n\r?\n", head)
    return head[: match.end()] if match else head


def parse_mail(raw: bytes, session: Session, place: Place, size: int | None = None) -> Message:
    """Parse one message of `size` bytes (`raw` may hold only its start when it is larger than
    MAX_PARSE: then only its headers are read, with a warning)."""
    size = len(raw) if size is None else size
    if size > MAX_PARSE:
        msg = BytesHeaderParser(policy=_POLICY).parsebytes(header_block(raw))
        session.warn(
            place.line,
            f"{place.label} is {size // (1024 * 1024)} MB: only its headers were read "
            "(its body and attachments stay inside the kept original)",
        )
        return _message(msg, session, place, parse_body=False)
    msg = BytesParser(policy=_POLICY).parsebytes(raw)
    return _message(msg, session, place, parse_body=True)


def _message(
    msg: email.message.EmailMessage, session: Session, place: Place, *, parse_body: bool
) -> Message:
    def warn(problem: str) -> None:
        session.warn(place.line, f"{place.label}: {problem}")

    headers, received = read_headers(msg)
    extra: dict[str, Any] = {"headers": headers, "received": received, **place.extra}
    extra["content_type"] = msg.get_content_type()
    date = mailtext.parse_date(_raw(msg, "date"))
    if date.problem:
        warn(date.problem)
    sender, sender_id = _sender(_raw(msg, "from"))
    text = raw_text = ""
    attachments: list[AttachmentRef] = []
    if parse_body:
        text, raw_text, html, attachments = _bodies(msg, session, place, warn)
        if html is not None:
            extra["html"] = html
    else:
        extra["body_not_parsed"] = True
    defects = sorted({type(defect).__name__ for part in msg.walk() for defect in part.defects})
    if defects:
        extra["defects"] = defects
        warn(
            f"the message's structure is damaged ({', '.join(defects)}); what could be read is kept"
        )
    deleted = False
    status = headers.get("mozilla_status", "")
    if re.fullmatch(r"[0-9a-fA-F]{4}", status.strip()) and int(status, 16) & 0x0008:
        deleted = True  # Thunderbird: deleted but not yet compacted away
    return Message(
        index=place.index,
        sender=sender,
        sender_id=sender_id,
        text=text,
        text_raw=raw_text,
        sent_at=date.sent_at,
        sent_at_local=date.wall_clock,
        conversation=mailtext.thread_of(headers.get("subject")),
        deleted=deleted,
        attachments=attachments,
        extra=extra,
    )


def _raw(msg: email.message.Message, name: str) -> str | None:
    for key, value in msg.raw_items():
        if key.lower() == name:
            return str(value)
    return None


def read_headers(msg: email.message.Message) -> tuple[dict[str, str], list[str]]:
    """The shown header fields (decoded; repeated ones joined) and every Received, in order."""
    shown: dict[str, str] = {}
    received: list[str] = []
    for key, value in msg.raw_items():
        name = key.lower()
        if name == "received":
            received.append(re.sub(r"\s*\r?\n\s+", " ", str(value)).strip())
        elif name in SHOWN:
            text = mailtext.header_text(str(value))
            label = SHOWN[name]
            shown[label] = f"{shown[label]}, {text}" if label in shown else text
    return shown, received


def _sender(raw: str | None) -> tuple[str | None, str | None]:
    if not raw:
        return None, None
    pairs = email.utils.getaddresses([re.sub(r"\r?\n", "", raw)])
    name, address = pairs[0] if pairs else ("", "")
    name = mailtext.header_text(name) if name else ""
    address = address or ""
    if not name and not address:
        text = mailtext.header_text(raw)
        return text, None
    return name or address, address or None


def leaves(part: email.message.Message, path: str = "") -> Iterator[tuple[str, Any]]:
    """MIME leaves in order with their path ("1.2"); an attached e-mail is one leaf."""
    if part.get_content_type() == "message/rfc822" and path:
        yield path, part
    elif part.is_multipart():
        for number, sub in enumerate(part.get_payload(), start=1):  # type: ignore[arg-type]
            yield from leaves(sub, f"{path}.{number}" if path else str(number))
    else:
        yield path or "1", part


def _bodies(msg: Any, session: Session, place: Place, warn: Any) -> tuple[Any, ...]:
    try:
        plain = msg.get_body(preferencelist=("plain",))
        html_part = msg.get_body(preferencelist=("html",))
    except (KeyError, ValueError, IndexError):
        plain = html_part = None
    text = raw_text = ""
    html: str | None = None
    if plain is not None:
        raw_text = _decoded(plain, warn)
        text = raw_text.replace("\r\n", "\n")
        if str(plain.get_param("format", "")).lower() == "flowed":
            delsp = str(plain.get_param("delsp", "")).lower() == "yes"
            text = mailtext.unflow(text, delsp)
    if html_part is not None:
        html = _decoded(html_part, warn)
        if plain is None:
            text = raw_text = mailtext.html_to_text(html)  # the HTML itself is in extra
    attachments: list[AttachmentRef] = []
    content_ids: set[str] = set()
    for path, part in leaves(msg):
        if part is plain or part is html_part:
            continue
        attachments.append(_attachment(part, path, session, place, warn))
        cid = str(part.get("content-id", "")).strip().strip("<>")
        if cid:
            content_ids.add(cid.lower())
    for cid in dict.fromkeys(_CID.findall(html or "")):
        if cid.lower() not in content_ids:
            attachments.append(AttachmentRef(f"cid:{cid}", present=False))
            warn(f"the HTML shows an inline picture cid:{cid} that is not in the message")
    return text, raw_text, html, attachments


def _decoded(part: Any, warn: Any) -> str:
    payload = part.get_payload(decode=True) or b""
    text, problem = mailtext.decode_bytes(payload, part.get_content_charset())
    if problem:
        warn(f"{part.get_content_type()} body: {problem}")
    return str(text)


def _attachment(part: Any, path: str, session: Session, place: Place, warn: Any) -> AttachmentRef:
    ctype = part.get_content_type()
    name = _filename(part, path, ctype)
    if ctype == "message/external-body":
        return AttachmentRef(name, present=False)  # the message only points to it
    if ctype == "message/rfc822":
        inner = part.get_payload()
        data = inner[0].as_bytes(policy=_POLICY) if inner else b""
    else:
        data = part.get_payload(decode=True) or b""
        bad = [d for d in part.defects if "Base64" in type(d).__name__]
        if bad:
            warn(f"attachment {name!r} has damaged base64; the bytes that could be read are kept")
    cid = str(part.get("content-id", "")).strip().strip("<>") or None
    meta = {
        "email": {
            "message_index": place.index,
            "mime_path": path,
            "content_type": ctype,
            "disposition": part.get_content_disposition(),
            "content_id": cid,
            **({"reserialised": True} if ctype == "message/rfc822" else {}),
        }
    }
    return session.keep_attachment(
        name, iter((data,)), media_type=ctype, metadata=meta, key=f"{place.key}/{path}"
    )


def _filename(part: Any, path: str, ctype: str) -> str:
    try:
        name = part.get_filename() or part.get_param("name")
    except (ValueError, IndexError, TypeError):
        name = None
    if name:
        name = mailtext.header_text(str(name)).replace("/", "_").replace("\\", "_").strip()
    if name:
        return str(name)
    if ctype == "message/rfc822":
        return f"part-{path}.eml"
    return f"part-{path}{mimetypes.guess_extension(ctype) or '.bin'}"
