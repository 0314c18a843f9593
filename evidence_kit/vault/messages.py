"""A parsed message as the vault stores it and as it travels: the one home of its row and record.

- a *row* is the `messages` table's columns in `MESSAGE_FIELDS` order (flags 0/1, attachments and
  extra as JSON text), what `Writer.add_message_rows` inserts;
- a *record* is the dict `Queries.messages()` yields and a bundle's `messages.jsonl` holds, one
  `canonical(record)` a line (`message_record(row)` makes it; nothing else may);
- `messages_sha256` of an import is the SHA-256 of those lines, `canonical(record) + b"\\n"` per
  message in file order: the "import parsed" custody event carries it, `check` recomputes it,
  and a recipient can recompute it from `messages.jsonl` alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
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


class MessageDigest:
    """`messages_sha256` and the count, computed while the rows go in (no second read)."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.count = 0

    def add_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        lines = [message_line(message_record(row)) for row in rows]
        self._sha.update(b"".join(lines))
        self.count += len(lines)

    def add_records(self, records: Iterable[Mapping[str, Any]]) -> None:
        for record in records:
            self._sha.update(message_line(record))
            self.count += 1

    def hexdigest(self) -> str:
        return self._sha.hexdigest()
