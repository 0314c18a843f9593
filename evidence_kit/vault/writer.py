"""Writes, always inside one transaction: everything an act stores commits together or not at all."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from evidence_kit.bundle.format import custody
from evidence_kit.clock import Clock, iso_utc
from evidence_kit.errors import NotFound, Refused
from evidence_kit.model import CancelFlag, Item, ItemKind, Progress, never_cancel, no_progress
from evidence_kit.vault import store
from evidence_kit.vault.db import Connection
from evidence_kit.vault.records import load_item

MESSAGE_FIELDS = (
    "idx", "conversation", "sender", "sender_id", "is_system", "sent_at", "sent_at_utc",
    "sent_at_local", "text", "text_raw", "edited", "deleted", "attachments", "extra",
)  # fmt: skip
MESSAGE_BATCH = 1000


class Writer:
    """The write side of an open vault, valid for one transaction (see `Vault.transaction`)."""

    def __init__(
        self, conn: Connection, clock: Clock, owner: str, *, searchable: bool = True
    ) -> None:
        self.conn = conn
        self.clock = clock
        self.owner = owner
        self.searchable = (
            searchable  # False only while a vault older than the search index is upgraded
        )

    # -- custody ---------------------------------------------------------------------------

    def record(
        self, action: str, subject: str | None = None, details: Mapping[str, Any] | None = None
    ) -> int:
        """Append a custody event; return its sequence number."""
        last = self.conn.execute(
            "SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, custody.GENESIS)
        at = iso_utc(self.clock.now())
        # New events name the owner only: no operating-system account or computer name.
        body = custody.event_body(
            seq, at, custody.actor(self.owner), action, subject, details or {}, prev
        )
        digest = custody.event_hash(body)
        self.conn.execute(
            "INSERT INTO custody (seq, at, os_user, owner, action, subject, details, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                at,
                "",
                self.owner,
                action,
                subject,
                json.dumps(body["details"], sort_keys=True),
                prev,
                digest,
            ),
        )
        return seq

    # -- cases -----------------------------------------------------------------------------
    # A case's name and an item's case are acts: each change is a new row with its own custody
    # event (case_names, case_moves); nothing is updated. See schema.V3_CASES.

    def find_case(self, name: str) -> int | None:
        """The id of the case now called `name` (capitals do not count), or None."""
        row = self.conn.execute(
            "SELECT case_id FROM case_now WHERE name = ? COLLATE NOCASE", (name.strip(),)
        ).fetchone()
        return int(row[0]) if row else None

    def case_name(self, case_id: int) -> str:
        row = self.conn.execute(
            "SELECT name FROM case_now WHERE case_id = ?", (case_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no case {case_id}.")
        return str(row[0])

    def case_id(self, name: str | None) -> int | None:
        """The id of case `name`, made (and recorded) if it does not exist yet."""
        if name is None:
            return None
        return self.find_case(_case_name(name)) or self.add_case(name)

    def add_case(self, name: str) -> int:
        """A new case (one custody event, "case created"); refused if the name is taken."""
        name = _case_name(name)
        if self.find_case(name) is not None:
            raise Refused(f"There is already a case called {name!r}.", hint="Choose another name.")
        case_id = int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cases").fetchone()[0])
        seq = self.record("case created", f"case:{case_id}", {"name": name})
        # cases.name is unique for ever: a name given up by a rename is kept there, so a new
        # case of that name is filed under its id; its name is always the case_names row.
        taken = self.conn.execute(
            "SELECT 1 FROM cases WHERE name = ? COLLATE NOCASE", (name,)
        ).fetchone()
        self.conn.execute(
            "INSERT INTO cases (id, name, created_at, custody_seq) VALUES (?, ?, ?, ?)",
            (
                case_id,
                f"{name} [case {case_id}]" if taken else name,
                iso_utc(self.clock.now()),
                seq,
            ),
        )
        self.conn.execute(
            "INSERT INTO case_names (case_id, name, custody_seq) VALUES (?, ?, ?)",
            (case_id, name, seq),
        )
        return case_id

    def rename_case(self, old: str, new: str) -> int:
        """Give case `old` the name `new` (one custody event, "case renamed"); returns its id."""
        case_id = self.find_case(old)
        if case_id is None:
            raise NotFound(f"There is no case called {old.strip()!r}.")
        before, new = self.case_name(case_id), _case_name(new)
        if new == before:
            raise Refused(f"The case is already called {new!r}.")
        other = self.find_case(new)
        if other is not None and other != case_id:
            raise Refused(f"There is already a case called {new!r}.", hint="Choose another name.")
        seq = self.record("case renamed", f"case:{case_id}", {"from": before, "to": new})
        self.conn.execute(
            "INSERT INTO case_names (case_id, name, custody_seq) VALUES (?, ?, ?)",
            (case_id, new, seq),
        )
        return case_id

    def item_case(self, item_id: int) -> int | None:
        row = self.conn.execute(
            "SELECT case_id FROM item_case_now WHERE item_id = ?", (item_id,)
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def move_item(self, item_id: int, case: str) -> bool:
        """Put item `item_id` in case `case` (one custody event, "item moved"); False if it was
        there already. An import's attachments belong to it: they move with it (each its own
        event), and are not moved alone."""
        item = self.item(item_id)
        if item.kind is ItemKind.ATTACHMENT and item.parent_id is not None:
            raise Refused(
                f"Item {item_id} is an attachment of item {item.parent_id}: move item "
                f"{item.parent_id}, and its attachments go with it."
            )
        case_id = self.find_case(case)
        if case_id is None:
            raise NotFound(
                f"There is no case called {case.strip()!r}.",
                hint="Make it first (`evidence-kit case add NAME`), or check the spelling.",
            )
        moved = self._move(item_id, case_id)
        for (child,) in self.conn.execute(
            "SELECT id FROM items WHERE parent_id = ? AND kind = 'attachment' ORDER BY id",
            (item_id,),
        ).fetchall():
            self._move(int(child), case_id)
        return moved

    def _move(self, item_id: int, case_id: int) -> bool:
        before = self.item_case(item_id)
        if before == case_id:
            return False
        seq = self.record(
            "item moved",
            f"item:{item_id}",
            {
                "from": self.case_name(before) if before is not None else None,
                "to": self.case_name(case_id),
                "case_id": case_id,
            },
        )
        self.conn.execute(
            "INSERT INTO case_moves (item_id, case_id, custody_seq) VALUES (?, ?, ?)",
            (item_id, case_id, seq),
        )
        return True

    # -- content and items -----------------------------------------------------------------

    def put(
        self,
        blocks: Iterable[bytes],
        *,
        total: int | None = None,
        progress: Progress = no_progress,
        cancel: CancelFlag = never_cancel,
        hash_ahead: bool = False,
    ) -> tuple[str, int]:
        """Store bytes; see `store.put` (use `hash_ahead` only for blocks read from a plain file)."""
        return store.put(
            self.conn, blocks, total=total, progress=progress, cancel=cancel, hash_ahead=hash_ahead
        )

    def add_item(
        self,
        kind: ItemKind,
        *,
        sha256: str | None,
        size: int,
        media_type: str | None = None,
        original_name: str | None = None,
        case: str | None = None,
        parent_id: int | None = None,
        metadata: Mapping[str, Any] | None = None,
        action: str | None = None,
    ) -> Item:
        if (
            parent_id is not None
            and not self.conn.execute("SELECT 1 FROM items WHERE id = ?", (parent_id,)).fetchone()
        ):
            raise NotFound(f"There is no item {parent_id} to derive from.")
        if (
            sha256 is not None
            and not self.conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        ):
            raise NotFound("That content is not stored in the vault.")
        case_id = self.case_id(case)
        case = self.case_name(case_id) if case_id is not None else None
        item_id = int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0])
        uid = str(uuid.uuid4())
        meta = dict(metadata or {})
        seq = self.record(
            action or f"{kind.value} added",
            f"item:{item_id}",
            {
                "uid": uid,
                "kind": kind.value,
                "sha256": sha256,
                "size": size,
                "original_name": original_name,
                "case": case,
                "parent_id": parent_id,
            },
        )
        self.conn.execute(
            "INSERT INTO items (id, uid, kind, case_id, parent_id, blob_sha256, size, media_type, "
            "original_name, added_at, metadata, custody_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item_id, uid, kind.value, case_id, parent_id, sha256, size, media_type, original_name,
                iso_utc(self.clock.now()), json.dumps(meta, sort_keys=True, ensure_ascii=False), seq,
            ),
        )  # fmt: skip
        if case_id is not None:  # its first case, under the same event
            self.conn.execute(
                "INSERT INTO case_moves (item_id, case_id, custody_seq) VALUES (?, ?, ?)",
                (item_id, case_id, seq),
            )
        self.index("place", item_id, item_id, _searchable_place(original_name, meta))
        return self.item(item_id)

    def item(self, item_id: int) -> Item:
        return load_item(self.conn, item_id)

    def add_note(self, item_id: int, text: str) -> int:
        self.item(item_id)  # raises NotFound
        text = text.strip()
        if not text:
            raise Refused("A note cannot be empty.")
        note_id = int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM notes").fetchone()[0])
        seq = self.record("note added", f"item:{item_id}", {"note_id": note_id, "text": text})
        self.conn.execute(
            "INSERT INTO notes (id, item_id, text, added_at, custody_seq) VALUES (?, ?, ?, ?, ?)",
            (note_id, item_id, text, iso_utc(self.clock.now()), seq),
        )
        self.index("note", item_id, note_id, text)
        return note_id

    def withdraw(self, item_id: int, reason: str) -> None:
        item = self.item(item_id)
        reason = reason.strip()
        if not reason:
            raise Refused("Say why the item is withdrawn: a reason is kept with it.")
        if item.withdrawn:
            raise Refused(f"Item {item_id} was already withdrawn.")
        seq = self.record("item withdrawn", f"item:{item_id}", {"reason": reason})
        self.conn.execute(
            "INSERT INTO withdrawals (item_id, reason, at, custody_seq) VALUES (?, ?, ?, ?)",
            (item_id, reason, iso_utc(self.clock.now()), seq),
        )

    # -- messages and search ---------------------------------------------------------------

    def add_messages(self, item_id: int, messages: Iterable[Mapping[str, Any]]) -> int:
        """Store parsed messages of an import (dicts with MESSAGE_FIELDS); return how many."""
        return self.add_message_rows(item_id, (message_row(message) for message in messages))

    def add_message_rows(self, item_id: int, rows: Iterable[Sequence[Any]]) -> int:
        """Store messages given as rows: values in MESSAGE_FIELDS order, flags as 0/1,
        attachments and extra as JSON text (see `message_row`); return how many.

        Rows go in in batches of `MESSAGE_BATCH` (ids assigned here, one executemany per
        batch): a million messages are stored fast, and memory holds one batch at most.
        """
        insert = (
            f"INSERT INTO messages (id, item_id, {', '.join(MESSAGE_FIELDS)}) "
            f"VALUES (?, ?, {', '.join('?' for _ in MESSAGE_FIELDS)})"
        )
        index = "INSERT INTO search_index (body, kind, item_id, ref_id) VALUES (?, 'message', ?, ?)"
        first = int(
            self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM messages").fetchone()[0]
        )
        next_id = first
        batch: list[tuple[Any, ...]] = []
        bodies: list[tuple[str, int, int]] = []
        searchable = self.searchable
        last_conversation = None
        for row in rows:
            batch.append((next_id, item_id, *row))
            if searchable:
                # The conversation (an e-mail's subject, a chat's name) is indexed where it changes.
                conversation = row[1] if row[1] != last_conversation else None
                last_conversation = row[1]
                body = " ".join([part for part in (conversation, row[2], row[3], row[8]) if part])
                if body.strip():
                    bodies.append((body, item_id, next_id))
            next_id += 1
            if len(batch) >= MESSAGE_BATCH:
                self.conn.executemany(insert, batch)
                self.conn.executemany(index, bodies)
                batch, bodies = [], []
        if batch:
            self.conn.executemany(insert, batch)
            self.conn.executemany(index, bodies)
        return next_id - first

    def record_import(
        self, item_id: int, format_name: str, timezone: str | None, summary: Mapping[str, Any]
    ) -> None:
        """What an import found (counts, warnings), kept beside its item once parsing is done."""
        self.conn.execute(
            "INSERT INTO imports (item_id, format, timezone, summary) VALUES (?, ?, ?, ?)",
            (
                item_id,
                format_name,
                timezone,
                json.dumps(dict(summary), sort_keys=True, ensure_ascii=False),
            ),
        )
        self.record(
            "import parsed",
            f"item:{item_id}",
            {
                "format": format_name,
                "timezone": timezone,
                **{k: summary[k] for k in ("message_count", "attachment_count") if k in summary},
            },
        )

    def index(self, kind: str, item_id: int, ref_id: int, body: str) -> None:
        if self.searchable and body.strip():
            self.conn.execute(
                "INSERT INTO search_index (body, kind, item_id, ref_id) VALUES (?, ?, ?, ?)",
                (body, kind, item_id, ref_id),
            )

    def put_thumbnail(self, item_id: int, png: bytes) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO thumbnails (item_id, png) VALUES (?, ?)", (item_id, png)
        )


def _case_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Refused(
            "A case needs a name.", hint="Type a few words, such as 'Work' or 'Night shift'."
        )
    if len(cleaned) > 200:
        raise Refused("A case name can be at most 200 characters long.")
    return cleaned


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


def _searchable_place(original_name: str | None, meta: Mapping[str, Any]) -> str:
    parts = [original_name or ""]
    place = meta.get("place")
    if isinstance(place, Mapping):
        parts.extend(str(value) for value in place.values() if isinstance(value, str | int))
    for key in ("url", "platform", "account", "window_title", "description"):
        if isinstance(meta.get(key), str):
            parts.append(meta[key])
    return " ".join(part for part in parts if part)
