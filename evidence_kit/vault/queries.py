"""The read side of an open vault: items, cases, custody, messages, search, thumbnails.

Every method turns SQLCipher errors into ours (`db.guarded`); `Vault` inherits them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kit.model import Case, CustodyEvent, Item
from evidence_kit.vault import db
from evidence_kit.vault.message_codec import MESSAGE_FIELDS, record_from_row
from evidence_kit.vault.records import (
    CUSTODY_COLUMNS,
    ITEM_COLUMNS,
    ITEM_FROM,
    case_from_row,
    custody_from_row,
    custody_record,
    item_from_row,
    load_item,
)

if TYPE_CHECKING:
    from evidence_kit.previews import Preview
    from evidence_kit.timestamp.state import ItemTimestamp


class Queries:
    """Reads over `self.conn` (the vault's connection)."""

    conn: db.Connection
    folder: Path

    @db.guarded
    def items(self, case: str | None = None, *, include_withdrawn: bool = True) -> list[Item]:
        query = f"SELECT {ITEM_COLUMNS} FROM {ITEM_FROM}"
        params: tuple[Any, ...] = ()
        if case is not None:
            query += " WHERE c.name = ?"
            params = (case,)
        items = [
            item_from_row(self.conn, row)
            for row in self.conn.execute(query + " ORDER BY i.id", params).fetchall()
        ]
        return [item for item in items if include_withdrawn or not item.withdrawn]

    @db.guarded
    def item_ids(self, case: str | None = None, *, top_level: bool = False) -> list[int]:
        """Item ids in evidence-time order (capture time, else the time added); for paged views."""
        query = "SELECT i.id FROM items i LEFT JOIN cases c ON c.id = i.case_id WHERE 1"
        params: tuple[Any, ...] = ()
        if case is not None:
            query += " AND c.name = ?"
            params = (case,)
        if top_level:
            query += " AND i.kind != 'attachment'"
        order = " ORDER BY coalesce(json_extract(i.metadata, '$.capture.captured_at_utc'), i.added_at), i.id"
        return [int(row[0]) for row in self.conn.execute(query + order, params)]

    @db.guarded
    def last_item_id(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0])

    @db.guarded
    def item(self, item_id: int) -> Item:
        return load_item(self.conn, item_id)

    @db.guarded
    def children(self, item_id: int) -> list[Item]:
        rows = self.conn.execute(
            f"SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE i.parent_id = ? ORDER BY i.id",
            (item_id,),
        )
        return [item_from_row(self.conn, row) for row in rows.fetchall()]

    @db.guarded
    def cases(self) -> list[Case]:
        return [
            case_from_row(row)
            for row in self.conn.execute("SELECT id, name, created_at FROM cases ORDER BY id")
        ]

    @db.guarded
    def case_exists(self, name: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM cases WHERE name = ?", (name,)).fetchone() is not None
        )

    @db.guarded
    def custody_events(self, subject: str | None = None) -> list[CustodyEvent]:
        query = f"SELECT {CUSTODY_COLUMNS} FROM custody"
        params: tuple[Any, ...] = ()
        if subject is not None:
            query += " WHERE subject = ?"
            params = (subject,)
        return [custody_from_row(row) for row in self.conn.execute(query + " ORDER BY seq", params)]

    @db.guarded
    def custody_records(self) -> Iterator[dict[str, Any]]:
        """The chain as it is hashed and exported, one event at a time."""
        for row in self.conn.execute(f"SELECT {CUSTODY_COLUMNS} FROM custody ORDER BY seq"):
            yield custody_record(row)

    @db.guarded
    def timestamp_state(self, item_id: int) -> ItemTimestamp:
        """Where the item stands with trusted time (pending / stamped by … at … / failed)."""
        from evidence_kit.timestamp.state import state

        return state(self, item_id)  # type: ignore[arg-type]

    # -- imports, messages, search, thumbnails ---------------------------------------------

    @db.guarded
    def messages(
        self, item_id: int, *, offset: int = 0, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """The parsed messages of an import, in file order, as `Message.as_dict()` gave them
        (the records of `vault.messages`, each a line of the bundle's messages.jsonl)."""

        query = f"SELECT {', '.join(MESSAGE_FIELDS)} FROM messages WHERE item_id = ? AND idx >= ? ORDER BY idx"
        params: tuple[Any, ...] = (item_id, offset)
        if limit is not None:
            query += " LIMIT ?"
            params = (*params, limit)
        for row in self.conn.execute(query, params):
            yield record_from_row(row)

    @db.guarded
    def message(self, message_id: int) -> tuple[int, dict[str, Any]] | None:
        """One stored message by its id (as search hits name it): its import's item id and record."""
        row = self.conn.execute(
            f"SELECT item_id, {', '.join(MESSAGE_FIELDS)} FROM messages WHERE id = ?", (message_id,)
        ).fetchone()
        return (int(row[0]), record_from_row(row[1:])) if row else None

    @db.guarded
    def message_count(self, item_id: int) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM messages WHERE item_id = ?", (item_id,)
            ).fetchone()[0]
        )

    @db.guarded
    def import_summary(self, item_id: int) -> dict[str, Any] | None:

        row = self.conn.execute(
            "SELECT format, timezone, summary FROM imports WHERE item_id = ?", (item_id,)
        ).fetchone()
        if row is None:
            return None
        return {"format": row[0], "timezone": row[1], **json.loads(row[2])}

    @db.guarded
    def search(self, text: str, *, limit: int = 200) -> list[dict[str, Any]]:
        """Full-text search over message text and senders, notes and places (FTS5).

        Each word must appear (prefix match); returns hits with kind, item_id, ref_id and a snippet:
        the best first when there are at most `limit`, else the first `limit` in the order kept.
        """
        words = [word.replace('"', '""') for word in text.split() if word.strip()]
        if not words:
            return []
        query = " ".join(f'"{word}"*' for word in words)
        select = (
            "SELECT kind, item_id, ref_id, snippet(search_index, 0, '[', ']', '…', 12) "
            "FROM search_index WHERE search_index MATCH ? "
        )
        # Ranking (bm25) scores every match, which for a common word in a million messages takes
        # most of a second; in the index's own order the first hits come at once. So: the first
        # `limit` hits in the order they were kept, and only when that is all of them, best first.
        rows = self.conn.execute(select + "ORDER BY rowid LIMIT ?", (query, limit + 1)).fetchall()
        if len(rows) <= limit:
            rows = self.conn.execute(select + "ORDER BY rank LIMIT ?", (query, limit)).fetchall()
        else:
            rows = rows[:limit]
        return [
            {"kind": r[0], "item_id": int(r[1]), "ref_id": int(r[2]), "snippet": r[3]} for r in rows
        ]

    @db.guarded
    def thumbnail(self, item_id: int) -> bytes | None:
        row = self.conn.execute(
            "SELECT png FROM thumbnails WHERE item_id = ?", (item_id,)
        ).fetchone()
        return bytes(row[0]) if row else None

    @db.guarded
    def preview(self, item_id: int, size: str = "large") -> Preview | None:
        from evidence_kit.previews import Preview

        row = self.conn.execute(
            "SELECT data, media_type, width, height FROM previews WHERE item_id = ? AND size = ?",
            (item_id, size),
        ).fetchone()
        return Preview(bytes(row[0]), row[1], row[2], row[3]) if row else None

    @db.guarded
    def items_without_preview(
        self, media_types: list[str], item_ids: Iterable[int] | None = None
    ) -> list[int]:
        """Items of these media types that have content and no preview, in id order."""
        marks = ", ".join("?" for _ in media_types)
        rows = self.conn.execute(
            f"SELECT i.id FROM items i LEFT JOIN previews p ON p.item_id = i.id AND p.size = 'large' "
            f"WHERE p.item_id IS NULL AND i.blob_sha256 IS NOT NULL AND i.media_type IN ({marks}) "
            "ORDER BY i.id",
            media_types,
        )
        found = [int(row[0]) for row in rows]
        if item_ids is None:
            return found
        wanted = set(item_ids)
        return [item_id for item_id in found if item_id in wanted]
