"""Rows to model values."""

from __future__ import annotations

import json
from typing import Any

from evidence_kit.bundle.format import custody
from evidence_kit.clock import parse_iso_utc
from evidence_kit.evidence_time import Sent, SentRange
from evidence_kit.model import Case, CustodyEvent, Item, ItemKind, Note, Withdrawal
from evidence_kit.vault.db import Connection

ITEM_COLUMNS = (
    "i.id, i.uid, i.kind, c.name, i.blob_sha256, i.size, i.media_type, i.original_name, "
    "i.added_at, i.parent_id, i.metadata"
)
# An item's case is its current one (the latest move), under the case's current name.
ITEM_FROM = (
    "items i LEFT JOIN item_case_now ic ON ic.item_id = i.id "
    "LEFT JOIN case_now c ON c.case_id = ic.case_id"
)


def item_from_row(conn: Connection, row: tuple[Any, ...], *, with_notes: bool = True) -> Item:
    item_id = row[0]
    notes: tuple[Note, ...] = ()
    if with_notes:
        notes = tuple(
            Note(nid, item_id, text, parse_iso_utc(at))
            for nid, text, at in conn.execute(
                "SELECT id, text, added_at FROM notes WHERE item_id = ? ORDER BY id", (item_id,)
            )
        )
    found = conn.execute(
        "SELECT reason, at FROM withdrawals WHERE item_id = ?", (item_id,)
    ).fetchone()
    withdrawal = Withdrawal(item_id, found[0], parse_iso_utc(found[1])) if found else None
    kind = ItemKind(row[2])
    return Item(
        id=item_id,
        uid=row[1],
        kind=kind,
        case=row[3],
        sha256=row[4],
        size=row[5],
        media_type=row[6],
        original_name=row[7],
        added_at=parse_iso_utc(row[8]),
        parent_id=row[9],
        metadata=json.loads(row[10]),
        notes=notes,
        withdrawal=withdrawal,
        sent=sent_range(conn, item_id, kind, row[9]),
    )


def sent_range(
    conn: Connection, item_id: int, kind: ItemKind, parent_id: int | None
) -> SentRange | None:
    """When an import's messages were sent (first and last), or the message an attachment came
    with: the facts `evidence_time` needs beyond the item's own metadata."""
    if kind is ItemKind.IMPORT:
        dated = (
            "SELECT sent_at_utc, sent_at FROM messages WHERE item_id = ? "
            "AND julianday(sent_at_utc) IS NOT NULL ORDER BY julianday(sent_at_utc) {} LIMIT 1"
        )
        first = conn.execute(dated.format("ASC"), (item_id,)).fetchone()
        last = conn.execute(dated.format("DESC"), (item_id,)).fetchone()
        start = Sent.parse(*first) if first else None
        end = Sent.parse(*last) if last else None
        if start is None or end is None:
            return None
        return SentRange(start, end, _import_zone(conn, item_id))
    if kind is ItemKind.ATTACHMENT and parent_id is not None:
        found = conn.execute(
            "SELECT json_extract(summary, '$.attachment_sent.\"' || ? || '\"') "
            "FROM imports WHERE item_id = ?",
            (item_id, parent_id),
        ).fetchone()
        facts = json.loads(found[0]) if found and found[0] else None
        when = Sent.parse(facts.get("utc"), facts.get("local")) if isinstance(facts, dict) else None
        return SentRange(when, when, _import_zone(conn, parent_id)) if when else None
    return None


def _import_zone(conn: Connection, item_id: int) -> str | None:
    row = conn.execute("SELECT timezone FROM imports WHERE item_id = ?", (item_id,)).fetchone()
    return str(row[0]) if row and row[0] else None


def load_item(conn: Connection, item_id: int) -> Item:
    """One item with its notes and withdrawal; `NotFound` if there is none."""
    from evidence_kit.errors import NotFound

    row = conn.execute(
        f"SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE i.id = ?", (item_id,)
    ).fetchone()
    if row is None:
        raise NotFound(
            f"There is no item {item_id} in this vault.",
            hint="`evidence-kit list` shows the items.",
        )
    return item_from_row(conn, row)


def case_from_row(row: tuple[Any, ...]) -> Case:
    return Case(row[0], row[1], parse_iso_utc(row[2]), int(row[3]) if len(row) > 3 else 0)


CUSTODY_COLUMNS = "seq, at, os_user, owner, action, subject, details, prev_hash, hash"


def custody_from_row(row: tuple[Any, ...]) -> CustodyEvent:
    return CustodyEvent(
        seq=row[0],
        at=parse_iso_utc(row[1]),
        os_user=row[2],
        owner=row[3],
        action=row[4],
        subject=row[5],
        details=json.loads(row[6]),
        prev_hash=row[7],
        hash=row[8],
    )


def custody_record(row: tuple[Any, ...]) -> dict[str, Any]:
    """The event as it is hashed and as it travels in a bundle: its body plus its hash."""
    return {
        "seq": row[0],
        "at": row[1],
        "actor": custody.actor(row[3], row[2]),
        "action": row[4],
        "subject": row[5],
        "details": json.loads(row[6]),
        "prev_hash": row[7],
        "hash": row[8],
    }
