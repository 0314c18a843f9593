"""A parsed message as the vault stores it and as it travels: the one home of its row and record.

- a *row* is the `messages` table's columns in `MESSAGE_FIELDS` order (flags 0/1, attachments and
  extra as JSON text), what `Writer.add_message_rows` inserts;
- a *record* is the dict `Queries.messages()` yields and a bundle's `messages.jsonl` holds, one
  `canonical(record)` a line (`message_record(row)` makes it; nothing else may);
- `messages_sha256` of an import is the SHA-256 of those lines, `canonical(record) + b"\\n"` per
  message in file order: the "import parsed" custody event carries it, `check` recomputes it,
  and a recipient can recompute it from `messages.jsonl` alone. While storing, `row_line` makes
  the same line straight from the row, without the dict (a property test holds them equal).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from json.encoder import encode_basestring  # the escaper json.dumps(ensure_ascii=False) uses
from typing import Any

from evidence_kit.bundle.format.custody import canonical

MESSAGE_FIELDS = (
    "idx", "conversation", "sender", "sender_id", "is_system", "sent_at", "sent_at_utc",
    "sent_at_local", "text", "text_raw", "edited", "deleted", "attachments", "extra",
)  # fmt: skip
MESSAGE_BATCH = 1000


def message_row(message: Mapping[str, Any]) -> tuple[Any, ...]:
    """A message dict (MESSAGE_FIELDS keys) as the row `add_message_rows` takes."""
    get = message.get
    attachments, extra = get("attachments"), get("extra")
    return (
        get("idx"),
        get("conversation"),
        get("sender"),
        get("sender_id"),
        int(bool(get("is_system"))),
        get("sent_at"),
        get("sent_at_utc"),
        get("sent_at_local"),
        get("text") or "",
        get("text_raw") if get("text_raw") is not None else (get("text") or ""),
        int(bool(get("edited"))),
        int(bool(get("deleted"))),
        json.dumps(attachments, ensure_ascii=False) if attachments else "[]",
        json.dumps(extra, ensure_ascii=False) if extra else "{}",
    )


def message_record(row: Sequence[Any]) -> dict[str, Any]:
    """The record of a stored row (MESSAGE_FIELDS order), as `Message.as_dict()` gave it."""
    (index, conversation, sender, sender_id, is_system, sent_at, sent_at_utc, sent_at_local,
     text, text_raw, edited, deleted, attachments, extra) = row  # fmt: skip
    return {
        "index": index,
        "conversation": conversation,
        "sender": sender,
        "sender_id": sender_id,
        "is_system": bool(is_system),
        "sent_at": sent_at,
        "sent_at_utc": sent_at_utc,
        "sent_at_local": sent_at_local,
        "text": text,
        "text_raw": text_raw,
        "edited": bool(edited),
        "deleted": bool(deleted),
        "attachments": [] if attachments == "[]" else json.loads(attachments),
        "extra": {} if extra == "{}" else json.loads(extra),
    }


def message_line(record: Mapping[str, Any]) -> bytes:
    """One line of `messages.jsonl`."""
    return canonical(record) + b"\n"


# Where the columns of a row are (MESSAGE_FIELDS order), by what they hold.
_TEXT = (1, 2, 3, 5, 6, 7, 8, 9)  # conversation … text_raw: text or NULL
_FLAGS = (4, 10, 11)  # is_system, edited, deleted: 0 or 1
_JSON = (12, 13)  # attachments, extra: JSON text


def _text(value: Any) -> str:
    return "null" if value is None else encode_basestring(value)  # TypeError unless str


def row_line(row: Sequence[Any]) -> bytes | None:
    """`message_line(message_record(row))`, made about four times faster (the hot path of a
    million-message import) — or None when a value is not of the type the column stores (then
    `stored_row` first). Byte for byte the same: a property test holds it to that."""
    (index, conversation, sender, sender_id, is_system, sent_at, sent_at_utc, sent_at_local,
     text, text_raw, edited, deleted, attachments, extra) = row  # fmt: skip
    if type(index) is not int or not all(type(row[i]) is int and row[i] in (0, 1) for i in _FLAGS):
        return None
    try:
        if attachments == "[]":
            listed = "[]"
        elif type(attachments) is str:
            listed = canonical(json.loads(attachments)).decode("utf-8")
        else:
            return None
        if extra == "{}":
            more = "{}"
        elif type(extra) is str:
            more = canonical(json.loads(extra)).decode("utf-8")
        else:
            return None
        flag = ("false", "true")
        line = (
            f'{{"attachments":{listed},"conversation":{_text(conversation)},'
            f'"deleted":{flag[deleted]},"edited":{flag[edited]},"extra":{more},"index":{index},'
            f'"is_system":{flag[is_system]},"sender":{_text(sender)},'
            f'"sender_id":{_text(sender_id)},"sent_at":{_text(sent_at)},'
            f'"sent_at_local":{_text(sent_at_local)},"sent_at_utc":{_text(sent_at_utc)},'
            f'"text":{_text(text)},"text_raw":{_text(text_raw)}}}\n'
        )
    except TypeError:
        return None
    return line.encode("utf-8")


def stored_row(row: Sequence[Any]) -> tuple[Any, ...]:
    """The row with each value as its column keeps it (text as text, flags as 0/1), so what is
    hashed while storing is exactly what is read back. Rows from our importers already are."""
    values = list(row)
    values[0] = int(values[0])
    for i in _TEXT:
        if values[i] is not None and not isinstance(values[i], str):
            values[i] = str(values[i])
    for i in _FLAGS:
        values[i] = int(bool(values[i]))
    for i, empty in zip(_JSON, ("[]", "{}"), strict=True):
        if not isinstance(values[i], str):
            values[i] = json.dumps(values[i], ensure_ascii=False) if values[i] else empty
    return tuple(values)


class MessageDigest:
    """`messages_sha256` and the count, computed while the rows go in (no second read)."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.count = 0

    def add_lines(self, lines: Sequence[bytes]) -> None:
        self._sha.update(b"".join(lines))
        self.count += len(lines)

    def add_records(self, records: Iterable[Mapping[str, Any]]) -> None:
        for record in records:
            self._sha.update(message_line(record))
            self.count += 1

    def hexdigest(self) -> str:
        return self._sha.hexdigest()
