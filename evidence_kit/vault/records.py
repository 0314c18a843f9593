"""Rows to model values."""

from __future__ import annotations

import json
from typing import Any

from evidence_kit.bundle.format import custody
from evidence_kit.clock import parse_iso_utc
from evidence_kit.model import Case, CustodyEvent, Item, ItemKind, Note, Withdrawal
from evidence_kit.vault.db import Connection

ITEM_COLUMNS = (
    "i.id, i.uid, i.kind, c.name, i.blob_sha256, i.size, i.media_type, i.original_name, "
    "i.added_at, i.parent_id, i.metadata"
)
ITEM_FROM = "items i LEFT JOIN cases c ON c.id = i.case_id"


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
    return Item(
        id=item_id,
        uid=row[1],
        kind=ItemKind(row[2]),
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
    )


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
    return Case(row[0], row[1], parse_iso_utc(row[2]))


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
