"""The read side of an open vault: items, cases, custody, messages, search, thumbnails.

Every method turns SQLCipher errors into ours (`db.guarded`); `Vault` inherits them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kit.errors import NotFound
from evidence_kit.evidence_time import SQL_ORDER
from evidence_kit.model import Case, CustodyEvent, Item, ItemKind
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
    def items(
        self, case: str | None = None, *, include_withdrawn: bool = True, uncased: bool = False
    ) -> list[Item]:
        """Items by id; `case`: only those now in that case; `uncased`: those in none."""
        where, params = _case_filter(case, uncased)
        query = f"SELECT {ITEM_COLUMNS} FROM {ITEM_FROM} WHERE {where} ORDER BY i.id"
        items = [item_from_row(self.conn, row) for row in self.conn.execute(query, params)]
        return [item for item in items if include_withdrawn or not item.withdrawn]

    @db.guarded
    def item_ids(
        self, case: str | None = None, *, top_level: bool = False, uncased: bool = False
    ) -> list[int]:
        """Item ids in evidence-time order (see evidence_time.py); for paged views.
        `top_level` leaves out attachments (they are shown under their import)."""
        where, params = _case_filter(case, uncased)
        if top_level:
            where += " AND i.kind != 'attachment'"
        query = (
            f"SELECT i.id FROM {ITEM_FROM} LEFT JOIN imports pimp ON pimp.item_id = i.parent_id "
            f"WHERE {where} ORDER BY {SQL_ORDER}, i.id"
        )
        return [int(row[0]) for row in self.conn.execute(query, params)]

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
        """Every case under its current name, oldest first, with how many items are in it now."""
        rows = self.conn.execute(
            "SELECT c.case_id, c.name, c.created_at, "
            "(SELECT count(*) FROM item_case_now ic JOIN items i ON i.id = ic.item_id "
            " WHERE ic.case_id = c.case_id AND i.kind != 'attachment') "
            "FROM case_now c ORDER BY c.case_id"
        )
        return [case_from_row(row) for row in rows]

    @db.guarded
    def case_named(self, name: str) -> Case | None:
        """The case whose current name is `name` (capitals do not count), or None."""
        return next((c for c in self.cases() if c.name.casefold() == name.strip().casefold()), None)

    def case_exists(self, name: str) -> bool:
        return self.case_named(name) is not None

    @db.guarded
    def uncased_count(self) -> int:
        """How many items (attachments aside) are not in a case yet."""
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM {ITEM_FROM} WHERE c.case_id IS NULL "
                "AND i.kind != 'attachment'"
            ).fetchone()[0]
        )

    def whole_case(self, name: str) -> list[Item]:
        """Everything a "whole case" means: the items now in it, the attachments of its imports
        and the originals its crops were made from (however far up), in evidence-time order."""
        case = self.case_named(name)
        if case is None:
            raise NotFound(
                f"There is no case called {name!r}.", hint="`evidence-kit cases` lists them."
            )
        order = {item_id: n for n, item_id in enumerate(self.item_ids())}
        chosen = {item.id: item for item in self.items(case.name)}
        pending = list(chosen.values())
        while pending:
            item = pending.pop()
            related = self.children(item.id) if item.kind is ItemKind.IMPORT else []
            if item.parent_id is not None:
                related.append(self.item(item.parent_id))
            for other in related:
                if other.id not in chosen:
                    chosen[other.id] = other
                    pending.append(other)
        return sorted(chosen.values(), key=lambda item: order.get(item.id, len(order)))

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
    def conversations(self, item_id: int) -> list[dict[str, Any]]:
        """The threads of an import (its `conversation` values, first seen first), each with
        who wrote in it: `{conversation, count, senders: [{sender, sender_id, count}]}`."""
        rows = self.conn.execute(
            "SELECT conversation, sender, sender_id, count(*), min(idx) FROM messages "
            "WHERE item_id = ? AND is_system = 0 GROUP BY conversation, sender, sender_id "
            "UNION ALL SELECT conversation, NULL, NULL, count(*), min(idx) FROM messages "
            "WHERE item_id = ? AND is_system = 1 GROUP BY conversation ORDER BY 5",
            (item_id, item_id),
        )
        threads: dict[str | None, dict[str, Any]] = {}
        for conversation, sender, sender_id, count, _ in rows:
            thread = threads.setdefault(
                conversation, {"conversation": conversation, "count": 0, "senders": []}
            )
            thread["count"] += int(count)
            if sender is not None or sender_id is not None:
                thread["senders"].append(
                    {"sender": sender, "sender_id": sender_id, "count": int(count)}
                )
        return list(threads.values())

    @db.guarded
    def conversation_messages(
        self, item_id: int, conversation: str | None, *, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """One thread of an import in the order its messages were sent (file order among
        messages sent at the same instant; messages without a time last)."""
        # Two passes so each walks the (item_id, julianday(sent_at_utc)) index instead of
        # sorting the whole thread in memory: the timed messages, then the untimed ones.
        fields = ", ".join(MESSAGE_FIELDS)
        timed = (
            f"SELECT {fields} FROM messages WHERE item_id = ? AND conversation IS ? "
            "AND julianday(sent_at_utc) IS NOT NULL ORDER BY julianday(sent_at_utc), idx"
        )
        untimed = (
            f"SELECT {fields} FROM messages WHERE item_id = ? AND conversation IS ? "
            "AND julianday(sent_at_utc) IS NULL ORDER BY idx"
        )
        left = limit
        for query in (timed, untimed):
            if left is not None and left <= 0:
                return
            params: tuple[Any, ...] = (item_id, conversation)
            if left is not None:
                query += " LIMIT ?"
                params = (*params, left)
            for row in self.conn.execute(query, params):
                if left is not None:
                    left -= 1
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
    def senders(self, item_id: int, limit: int = 20, sample: int = 5000) -> list[str]:
        """Who wrote in an import (not the app's own notices), most messages first — among its
        first `sample` messages: imports since issue 11 keep the whole list in their summary,
        and this is for older ones, read on every page of the timeline."""
        rows = self.conn.execute(
            "SELECT sender FROM (SELECT sender, idx FROM messages WHERE item_id = ? "
            "AND is_system = 0 AND sender IS NOT NULL ORDER BY idx LIMIT ?) "
            "GROUP BY sender ORDER BY count(*) DESC, min(idx) LIMIT ?",
            (item_id, sample, limit),
        )
        return [str(row[0]) for row in rows]

    @db.guarded
    def message_index(self, message_id: int) -> int | None:
        """The place in its import (`index`) of the message a search hit names."""
        row = self.conn.execute("SELECT idx FROM messages WHERE id = ?", (message_id,)).fetchone()
        return int(row[0]) if row else None

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


def _case_filter(case: str | None, uncased: bool) -> tuple[str, tuple[Any, ...]]:
    """The WHERE clause for "items now in case `case`" (any capitals) or "in no case"."""
    if uncased:
        return "c.case_id IS NULL", ()
    if case is not None:
        return "c.name = ? COLLATE NOCASE", (case.strip(),)
    return "1", ()
