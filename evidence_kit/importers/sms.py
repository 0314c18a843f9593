"""SMS Backup & Restore (SyncTech) XML: `<smses>` with `<sms>` and `<mms>` children.

Times are instants (`date`, epoch milliseconds, UTC); they are shown in the chosen zone, which
changes nothing about them. Every attribute is kept in `extra["attributes"]` as written (the
app copies Android's values raw; the literal "null" means empty). MMS text parts become the
text; pictures and other parts are base64-decoded in blocks into attachment items; a part
whose data is not in the backup is recorded as referenced, not captured. The file is read in
1 MiB blocks by a DTD-refusing expat parser (see `smsxml`).
"""

from __future__ import annotations

import binascii
import mimetypes
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from evidence_kit.errors import ImportFailed
from evidence_kit.importers import smsxml
from evidence_kit.importers.base import Session, Source
from evidence_kit.model import AttachmentRef, Message

SMS_TYPES = {
    "1": "received",
    "2": "sent",
    "3": "draft",
    "4": "outbox",
    "5": "failed",
    "6": "queued",
}
MMS_BOXES = {"1": "received", "2": "sent", "3": "draft", "4": "outbox"}
ADDR_ROLES = {"137": "from", "151": "to", "130": "cc", "129": "bcc"}
ME = "Me"  # the phone's owner: the backup does not name them
_ROOT = re.compile(rb"<smses[\s>/]")
B64_STEP = 256 * 1024
# expat holds one element's attributes whole (about 2.3x their size at the peak): an MMS part
# is at most a few MB (carrier limits); past this the file is refused rather than memory spent.
MAX_ELEMENT = 64 * 1024 * 1024  # characters of base64 decoded at a time


def looks_like_sms_backup(head: bytes) -> bool:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return text.startswith(b"<") and _ROOT.search(head) is not None


def _value(attrs: dict[str, str], name: str) -> str | None:
    value = attrs.get(name)
    return None if value is None or value == "null" or value == "" else value


def _instant(raw: str | None, session: Session, line: int, what: str) -> datetime | None:
    if raw is None or raw.strip() == "0":  # 0: the app's "no such time" (date_sent of a sent SMS)
        return None
    try:
        number = int(raw)
        seconds = number / 1000 if abs(number) >= 100_000_000_000 else number  # ms, else s
        return datetime.fromtimestamp(seconds, UTC).astimezone(session.options.tz)
    except (ValueError, OverflowError, OSError):
        session.warn(line, f"{what} has a date that is not a time ({raw!r}); it is left empty")
        return None


def b64_blocks(data: str) -> Iterator[bytes]:
    """Decode base64 in blocks (strict: a bad character or missing padding raises)."""
    carry = ""
    for start in range(0, len(data), B64_STEP):
        chunk = carry + data[start : start + B64_STEP]
        if "\n" in chunk or "\r" in chunk or " " in chunk or "\t" in chunk:
            chunk = re.sub(r"\s+", "", chunk)
        cut = len(chunk) - len(chunk) % 4
        carry = chunk[cut:]
        if cut:
            yield binascii.a2b_base64(chunk[:cut], strict_mode=True)
    if carry:
        raise binascii.Error("the base64 text ends in the middle of a group")


class _Reader:
    """Turns expat events into messages (collected in `ready`, drained after each block)."""

    def __init__(self, source: Source, session: Session, parser: Any) -> None:
        self.session, self.parser, self.path = session, parser, str(source.path)
        self.ready: list[Message] = []
        self.index = 0
        self.root_seen = False
        self.declared: int | None = None
        self.mms: dict[str, Any] | None = None
        self.counts = {"sms": 0, "mms": 0, "parts_kept": 0, "parts_missing": 0}
        self.last_event = 0  # byte offset of the last element start or end

    def line(self) -> int:
        return int(self.parser.CurrentLineNumber)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.last_event = int(self.parser.CurrentByteIndex)
        if not self.root_seen:
            if name != "smses":
                raise ImportFailed(
                    f"{self.path} is XML but not an SMS Backup & Restore file (its root is <{name}>).",
                    hint="You can still keep it as it is with `evidence-kit add`.",
                )
            self.root_seen = True
            count = attrs.get("count", "")
            self.declared = int(count) if count.isdigit() else None
        elif name == "sms":
            self.ready.append(self._sms(attrs))
        elif name == "mms":
            self.mms = {"attrs": attrs, "line": self.line(), "index": self.index, "texts": [],
                        "attachments": [], "addrs": [], "parts": []}  # fmt: skip
            self.index += 1
        elif name == "part" and self.mms is not None:
            self._part(attrs)
        elif name == "addr" and self.mms is not None:
            self.mms["addrs"].append(
                {
                    "address": attrs.get("address"),
                    "type": attrs.get("type"),
                    "role": ADDR_ROLES.get(attrs.get("type", ""), "other"),
                }
            )

    def end(self, name: str) -> None:
        self.last_event = int(self.parser.CurrentByteIndex)
        if name == "mms" and self.mms is not None:
            self.ready.append(self._mms(self.mms))
            self.mms = None

    def _conversation(self, attrs: dict[str, str]) -> str | None:
        address = _value(attrs, "address")
        name = _value(attrs, "contact_name")
        if name == "(Unknown)":
            name = None
        if address and "~" in address:
            address = ", ".join(a for a in address.split("~") if a)
        if name and address:
            return f"{name} ({address})"
        return name or address

    def _sms(self, attrs: dict[str, str]) -> Message:
        self.counts["sms"] += 1
        line = self.line()
        direction = SMS_TYPES.get(attrs.get("type", ""), "other")
        name = _value(attrs, "contact_name")
        address = _value(attrs, "address")
        received = direction == "received"
        body = attrs.get("body")
        extra = {
            "kind": "sms",
            "direction": direction,
            "line": line,
            "attributes": {k: v for k, v in attrs.items() if k != "body"},
        }
        sent = _instant(_value(attrs, "date_sent"), self.session, line, "an SMS")
        if sent is not None and received:
            extra["network_sent_at"] = sent.isoformat()
        message = Message(
            index=self.index,
            sender=(name if name and name != "(Unknown)" else address) if received else ME,
            sender_id=address if received else None,
            text="" if body in (None, "null") else body,
            text_raw=body,
            sent_at=_instant(_value(attrs, "date"), self.session, line, "an SMS"),
            conversation=self._conversation(attrs),
            extra=extra,
        )
        self.index += 1
        return message

    def _part(self, attrs: dict[str, str]) -> None:
        assert self.mms is not None
        ctype = (_value(attrs, "ct") or "application/octet-stream").lower()
        seq = attrs.get("seq", "")
        summary = {k: v for k, v in attrs.items() if k not in ("data", "text")}
        self.mms["parts"].append(summary)
        if ctype == "application/smil":
            return
        if ctype.startswith("text/plain") and "data" not in attrs:
            text = attrs.get("text")
            if text not in (None, "null"):
                self.mms["texts"].append(text)
            return
        number = len(self.mms["parts"])
        name = (
            _value(attrs, "cl") or _value(attrs, "name") or _value(attrs, "fn")
            or f"mms-{self.mms['index']}-part-{number}{mimetypes.guess_extension(ctype) or '.bin'}"
        )  # fmt: skip
        data = attrs.get("data")
        if not data:
            self.counts["parts_missing"] += 1
            self.mms["attachments"].append(AttachmentRef(name, present=False))
            return
        try:
            for _ in b64_blocks(data):  # check first: a bad part must not be half stored
                pass
        except (binascii.Error, ValueError):
            self.session.warn(
                self.line(),
                f"MMS part {name!r} is not valid base64; it is kept only inside the original",
            )
            self.counts["parts_missing"] += 1
            self.mms["attachments"].append(AttachmentRef(name, present=False))
            return
        ref = self.session.keep_attachment(
            name,
            b64_blocks(data),
            media_type=ctype,
            metadata={"sms_backup": {"message_index": self.mms["index"], "part": summary}},
            key=f"mms/{self.mms['index']}/{seq}/{number}",
        )
        self.counts["parts_kept"] += 1
        self.mms["attachments"].append(ref)

    def _mms(self, mms: dict[str, Any]) -> Message:
        self.counts["mms"] += 1
        attrs: dict[str, str] = mms["attrs"]
        direction = MMS_BOXES.get(attrs.get("msg_box", ""), "other")
        received = direction == "received"
        sender = sender_id = None
        if received:
            senders = [a["address"] for a in mms["addrs"] if a["role"] == "from"]
            sender_id = senders[0] if senders else _value(attrs, "address")
            name = _value(attrs, "contact_name")
            single = name and name != "(Unknown)" and "~" not in (attrs.get("address") or "")
            sender = name if single else sender_id
        text = "\n".join(mms["texts"])
        return Message(
            index=mms["index"],
            sender=sender if received else ME,
            sender_id=sender_id,
            text=text,
            sent_at=_instant(_value(attrs, "date"), self.session, mms["line"], "an MMS"),
            conversation=self._conversation(attrs),
            attachments=mms["attachments"],
            extra={
                "kind": "mms",
                "direction": direction,
                "line": mms["line"],
                "attributes": attrs,
                "addresses": mms["addrs"],
                "parts": mms["parts"],
            },
        )


class SmsBackupImporter:
    name: ClassVar[str] = "sms-backup"
    label: ClassVar[str] = "SMS Backup & Restore file"
    zone_free: ClassVar[bool] = False

    def detect(self, source: Source) -> bool:
        return source.zip_names is None and looks_like_sms_backup(source.head)

    def parse(self, source: Source, session: Session) -> Iterator[Message]:
        if not looks_like_sms_backup(source.head):
            raise ImportFailed(
                f"{source.path} is not an SMS Backup & Restore file (no <smses> in it).",
                hint="You can still keep it as it is with `evidence-kit add`.",
            )
        parser = smsxml.safe_parser()
        reader = _Reader(source, session, parser)
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        repair = smsxml.Repair()

        def truncated(line: int, reason: str) -> None:
            session.warn(line, f"the file ends early or is damaged here ({reason}); "
                         "the messages before this point were read")  # fmt: skip

        with source.open() as handle:
            for offset in smsxml.events(handle, str(source.path), parser, repair, truncated):
                session.check_cancel()
                if offset - reader.last_event > MAX_ELEMENT:
                    raise ImportFailed(
                        f"{source.path} has an element larger than {MAX_ELEMENT // 2**20} MB "
                        f"(from byte {reader.last_event}); no SMS backup holds one, and reading "
                        "it would take too much memory.",
                        hint="You can still keep the file as it is with `evidence-kit add`.",
                    )
                yield from reader.ready
                reader.ready.clear()
                session.progress(offset, source.size)
        yield from reader.ready  # anything completed before a truncation
        if not reader.root_seen:
            raise ImportFailed(f"{source.path} has no <smses> element: it is not an SMS backup.")
        self._report(session, reader, repair)

    def _report(self, session: Session, reader: _Reader, repair: smsxml.Repair) -> None:
        found = reader.counts["sms"] + reader.counts["mms"]
        if reader.declared is not None and reader.declared != found:
            session.warn(
                None, f"the file says it holds {reader.declared} messages; {found} were read"
            )
        if repair.replaced:
            session.warn(
                None,
                f"{repair.replaced} character references that XML does not allow (a lone half "
                "of an emoji, a control character) were read as \ufffd",
            )
        session.facts["sms_backup"] = {
            "declared_count": reader.declared,
            **reader.counts,
            "surrogate_pairs_decoded": repair.pairs,
            "invalid_characters_replaced": repair.replaced,
        }
