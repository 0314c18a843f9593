"""The one home of a message's forms: the model, the vault row, the record, the JSON line, the
search body, and the words a person reads.

- `MessageRow` is the `messages` table's columns, by name (a named tuple: what `executemany`
  takes and what a `SELECT` of `MESSAGE_FIELDS` gives, read as `row.text`, never `row[8]`).
- `row_from_message(message)` is the hot path of an import (a million rows, no dict between);
  `row_from_mapping(dict)` is the same for callers holding dicts.
- `record_from_row(row)` is what `Queries.messages()` yields, `messages --json` prints and a
  bundle's messages.jsonl holds (one `json_line` each). Its fields and values are a contract:
  the canonical line of a stored message never changes, so a recorded hash keeps matching.
- `messages_sha256` of an import is the SHA-256 of its records' `json_line`s in file order: the
  "import parsed" custody event carries it, `check` recomputes it, and a recipient can recompute
  it from the bundle's messages.jsonl alone. While storing, `row_line` makes the same line
  straight from the row (about four times faster; a property test holds them equal) and
  `MessageDigest` hashes the lines as they go in.
- `search_body(row, previous_conversation)` is what the full-text index holds for a message.
- `describe(record)` is a message in plain words, for the CLI and the GUI alike.

Per-message facts a format has beyond the columns (reactions, reply-to, recipients, forwarded
from, edited time, platform ids) go into `extra`; the platform's own sender id into `sender_id`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from json.encoder import encode_basestring  # the escaper json.dumps(ensure_ascii=False) uses
from typing import TYPE_CHECKING, Any, NamedTuple

from evidence_kit.bundle.format.custody import canonical

if TYPE_CHECKING:
    from evidence_kit.model import Message

MESSAGE_FIELDS = (
    "idx", "conversation", "sender", "sender_id", "is_system", "sent_at", "sent_at_utc",
    "sent_at_local", "text", "text_raw", "edited", "deleted", "attachments", "extra",
)  # fmt: skip
FLAGS = ("is_system", "edited", "deleted")
MESSAGE_BATCH = 1000


class MessageRow(NamedTuple):
    """One row of the `messages` table (without its id and item_id), flags as 0/1, JSON as text."""

    idx: int
    conversation: str | None
    sender: str | None
    sender_id: str | None
    is_system: int
    sent_at: str | None
    sent_at_utc: str | None
    sent_at_local: str | None
    text: str
    text_raw: str
    edited: int
    deleted: int
    attachments: str
    extra: str


assert MessageRow._fields == MESSAGE_FIELDS


def _json(value: Any, empty: str) -> str:
    return json.dumps(value, ensure_ascii=False) if value else empty


def utc_text(moment: datetime) -> str:
    """`2026-10-25T01:07:00Z`: the instant in UTC, as the row keeps it."""
    offset = moment.utcoffset()
    naive = moment.replace(tzinfo=None) - offset if offset is not None else moment
    return naive.isoformat() + "Z"


def row_from_message(message: Message) -> MessageRow:
    """The vault row of `message`: the same values as `record_from_row` gives back."""
    sent = message.sent_at
    attachments = message.attachments
    return MessageRow(
        idx=message.index,
        conversation=message.conversation,
        sender=message.sender,
        sender_id=message.sender_id,
        is_system=1 if message.is_system else 0,
        sent_at=sent.isoformat() if sent is not None else None,
        sent_at_utc=utc_text(sent) if sent is not None else None,
        sent_at_local=message.sent_at_local,
        text=message.text,
        text_raw=message.text_raw if message.text_raw is not None else message.text,
        edited=1 if message.edited else 0,
        deleted=1 if message.deleted else 0,
        attachments=_json([ref.as_dict() for ref in attachments], "[]") if attachments else "[]",
        extra=_json(message.extra, "{}"),
    )


def message_from_row(row: Sequence[Any]) -> Message:
    """The `Message` a row was made from (`sent_at` with the offset the row keeps): for callers
    of an importer's `parse` whose parser makes rows directly."""
    from evidence_kit.model import AttachmentRef, Message

    r = MessageRow._make(row)
    return Message(
        index=r.idx,
        sender=r.sender,
        text=r.text,
        sent_at=datetime.fromisoformat(r.sent_at) if r.sent_at is not None else None,
        text_raw=r.text_raw,
        conversation=r.conversation,
        sender_id=r.sender_id,
        is_system=bool(r.is_system),
        sent_at_local=r.sent_at_local,
        edited=bool(r.edited),
        deleted=bool(r.deleted),
        attachments=[AttachmentRef(**ref) for ref in json.loads(r.attachments)],
        extra=json.loads(r.extra),
    )


def row_from_mapping(message: Mapping[str, Any]) -> MessageRow:
    """A message given as a dict with MESSAGE_FIELDS keys (missing ones empty) as its row."""
    get = message.get
    text = get("text") or ""
    raw = get("text_raw")
    return MessageRow(
        idx=int(get("idx") or 0),
        conversation=get("conversation"),
        sender=get("sender"),
        sender_id=get("sender_id"),
        is_system=int(bool(get("is_system"))),
        sent_at=get("sent_at"),
        sent_at_utc=get("sent_at_utc"),
        sent_at_local=get("sent_at_local"),
        text=text,
        text_raw=str(raw) if raw is not None else text,
        edited=int(bool(get("edited"))),
        deleted=int(bool(get("deleted"))),
        attachments=_json(get("attachments"), "[]"),
        extra=_json(get("extra"), "{}"),
    )


def record_from_row(row: MessageRow | tuple[Any, ...]) -> dict[str, Any]:
    """The record of a stored row, exactly as `Queries.messages()` has always yielded it (the
    fields in this order, `idx` renamed `index` and last, flags as booleans, JSON decoded)."""
    record = MessageRow._make(row)._asdict()
    record["index"] = record.pop("idx")
    for flag in FLAGS:
        record[flag] = bool(record[flag])
    record["attachments"] = json.loads(record["attachments"])
    record["extra"] = json.loads(record["extra"])
    return record


def record_from_message(message: Message) -> dict[str, Any]:
    return record_from_row(row_from_message(message))


def json_line(record: Mapping[str, Any]) -> bytes:
    """A record as one canonical JSON line (sorted keys, no spaces, UTF-8), as bundles hold it."""
    return canonical(record) + b"\n"


# -- hashing while storing (`messages_sha256`, see vault/rows.py) -------------------------------

# Where the columns of a row are (MESSAGE_FIELDS order), by what they hold.
_TEXT = (1, 2, 3, 5, 6, 7, 8, 9)  # conversation … text_raw: text or NULL
_FLAGS = (4, 10, 11)  # is_system, edited, deleted: 0 or 1
_JSON = (12, 13)  # attachments, extra: JSON text


def _text(value: Any) -> str:
    return "null" if value is None else encode_basestring(value)  # TypeError unless str


_names: dict[Any, str] = {}  # encoded conversations, senders and ids: a chat has few of them


def _name(value: Any) -> str:
    """`_text` for values that repeat from row to row, remembered."""
    if value is None:
        return "null"
    known = _names.get(value)  # TypeError if unhashable
    if known is None:
        if len(_names) >= 4096:
            _names.clear()
        known = _names[value] = encode_basestring(value)
    return known


_FLAG = ("false", "true")


def row_line(row: Sequence[Any]) -> bytes | None:
    """`json_line(record_from_row(row))`, made about four times faster (the hot path of a
    million-message import) — or None when a value is not of the type the column stores (then
    `stored_row` first). Byte for byte the same: a property test holds it to that."""
    (index, conversation, sender, sender_id, is_system, sent_at, sent_at_utc, sent_at_local,
     text, text_raw, edited, deleted, attachments, extra) = row  # fmt: skip
    if (
        type(index) is not int
        or type(is_system) is not int
        or type(edited) is not int
        or type(deleted) is not int
        or (is_system | edited | deleted) >> 1  # each 0 or 1
        or type(attachments) is not str
        or type(extra) is not str
    ):
        return None
    try:
        listed = "[]" if attachments == "[]" else canonical(json.loads(attachments)).decode()
        more = "{}" if extra == "{}" else canonical(json.loads(extra)).decode()
        said = _text(text)
        raw = said if text_raw is text else _text(text_raw)
        line = (
            f'{{"attachments":{listed},"conversation":{_name(conversation)},'
            f'"deleted":{_FLAG[deleted]},"edited":{_FLAG[edited]},"extra":{more},"index":{index},'
            f'"is_system":{_FLAG[is_system]},"sender":{_name(sender)},'
            f'"sender_id":{_name(sender_id)},"sent_at":{_text(sent_at)},'
            f'"sent_at_local":{_text(sent_at_local)},"sent_at_utc":{_text(sent_at_utc)},'
            f'"text":{said},"text_raw":{raw}}}\n'
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
            self._sha.update(json_line(record))
            self.count += 1

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def search_body(row: MessageRow, previous_conversation: str | None) -> str:
    """The indexed words of a message: its conversation where it changes (an e-mail's subject,
    a chat's name), the sender's name and id, and the text."""
    conversation = row.conversation if row.conversation != previous_conversation else None
    parts = (conversation, row.sender, row.sender_id, row.text)
    return " ".join(part for part in parts if part)


# The search body of each message of rows id >= ?1 (the first of one `add_message_rows`) in
# ids ?2..?3, made in SQL from the stored rows: `search_body`, word for word (a test holds the
# two equal), without a Python call per message. ?4 is every character `str.strip` removes.
SEARCH_ROWS = """
INSERT INTO search_index (body, kind, item_id, ref_id)
SELECT body, 'message', item_id, id FROM (
    SELECT m.item_id, m.id, concat_ws(' ',
        CASE WHEN p.id IS NOT NULL AND p.conversation IS m.conversation THEN NULL
             ELSE nullif(m.conversation, '') END,
        nullif(m.sender, ''), nullif(m.sender_id, ''), nullif(m.text, '')) AS body
    FROM messages AS m LEFT JOIN messages AS p ON p.id = m.id - 1 AND p.id >= ?1
    WHERE m.id BETWEEN ?2 AND ?3)
WHERE trim(body, ?4) <> ''
"""
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


# -- for people ---------------------------------------------------------------------------------


def when_text(record: Mapping[str, Any]) -> str:
    """The time as the export gave it: its own wall clock where it had one, else the instant."""
    when = record.get("sent_at_local") or record.get("sent_at") or ""
    return str(when).replace("T", " ")[:16] if when else "(no time)"


def who_text(record: Mapping[str, Any]) -> str:
    """`Sam Carter (+447700900123)`: the name and, where it differs, the platform's own id."""
    name = record.get("sender")
    ident = record.get("sender_id")
    if not name:
        if ident:
            return str(ident)
        return "System" if record.get("is_system") else "Unknown"
    return f"{name} ({ident})" if ident and ident != name else str(name)


def _attachment_line(ref: Mapping[str, Any]) -> str:
    name = ref.get("name") or "file"
    if ref.get("present"):
        state = f"kept as item {ref.get('item_id')}" if ref.get("item_id") else "kept"
    elif ref.get("omitted"):
        state = "omitted from the export"
    else:
        state = "referenced, not captured"
    return f"📎 {name} ({state})"


def _extra_lines(extra: Mapping[str, Any]) -> list[str]:
    lines = []
    if extra.get("reply_to"):
        lines.append(f"↪ in reply to message {extra['reply_to']}")
    if extra.get("forwarded_from"):
        lines.append(f"⤷ forwarded from {extra['forwarded_from']}")
    reactions = extra.get("reactions")
    if isinstance(reactions, list) and reactions:
        shown = []
        for reaction in reactions[:20]:
            if isinstance(reaction, Mapping):
                by = reaction.get("by") or reaction.get("by_id") or ""
                shown.append(f"{reaction.get('reaction', '?')} {by}".strip())
        more = f" and {len(reactions) - 20} more" if len(reactions) > 20 else ""
        lines.append("reactions: " + ", ".join(shown) + more)
    if extra.get("edited_at"):
        lines.append(f"(edited {str(extra['edited_at']).replace('T', ' ')[:16]})")
    return lines


def describe(record: Mapping[str, Any]) -> str:
    """One message as a person reads it: `[2026-03-14 09:26] Sam: text`, then its files and
    what else is known (reply, forward, reactions, edited, deleted), one per indented line."""
    text = str(record.get("text") or "").replace("\n", "\n    ")
    lines = [f"[{when_text(record)}] {who_text(record)}: {text}"]
    for ref in record.get("attachments") or []:
        if isinstance(ref, Mapping):
            lines.append("    " + _attachment_line(ref))
    extra = record.get("extra")
    if isinstance(extra, Mapping):
        lines.extend("    " + line for line in _extra_lines(extra))
    if record.get("edited") and not (isinstance(extra, Mapping) and extra.get("edited_at")):
        lines.append("    (edited)")
    if record.get("deleted"):
        lines.append("    (deleted by the sender)")
    return "\n".join(lines)
