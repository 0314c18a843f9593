"""Writes, always inside one transaction: everything an act stores commits together or not at all."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from evidence_kit.bundle.format import custody
from evidence_kit.clock import Clock, iso_utc
from evidence_kit.errors import NotFound, Refused
from evidence_kit.model import CancelFlag, Item, ItemKind, Progress, never_cancel, no_progress
from evidence_kit.vault import store
from evidence_kit.vault.content_files import ContentFiles
from evidence_kit.vault.db import Connection
from evidence_kit.vault.message_codec import (
    MESSAGE_BATCH,
    MessageDigest,
    row_from_mapping,
    row_line,
    stored_row,
)
from evidence_kit.vault.message_store import MessageInserter
from evidence_kit.vault.records import load_item
from evidence_kit.vault.rows import IMPORT_ACTION, record_sha256, stored_messages_digest

if TYPE_CHECKING:
    from evidence_kit.previews import Preview

__all__ = ["Writer"]


class Writer:
    """The write side of an open vault, valid for one transaction (see `Vault.transaction`)."""

    def __init__(
        self,
        conn: Connection,
        clock: Clock,
        owner: str,
        *,
        searchable: bool = True,
        row_hashes: bool = True,
        timestamps: bool = True,
        content: ContentFiles | None = None,
    ) -> None:
        self.clock = clock
        self.owner = owner
        self.searchable = (
            searchable  # False only while a vault older than the search index is upgraded
        )
        self.row_hashes = row_hashes  # False only for a vault made at an older schema (tests)
        self._digests: dict[int, MessageDigest] = {}
        self._conn = conn
        self._inserter: MessageInserter | None = None
        self.timestamps = timestamps  # False only for a vault made at an older schema (tests)
        self._to_stamp: list[tuple[str, str]] = []  # what this act committed: (sha256, name)
        self._content = content  # None: bytes go into chunk rows (a vault below schema 6)
        self.new_files: list[str] = []  # content files this act wrote: removed if it rolls back

    @property
    def conn(self) -> Connection:
        """The connection, once messages being stored on the inserter's thread are in."""
        if self._inserter is not None:
            self._inserter.wait()
        return self._conn

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

    def _act(
        self,
        table: str,
        row: dict[str, Any],
        action: str,
        subject: str,
        details: Mapping[str, Any],
    ) -> int:
        """Record the event that makes `row`, carrying the row's hash, then insert the row."""
        facts = dict(details)
        if self.row_hashes:
            facts["record_sha256"] = record_sha256(row)
        seq = self.record(action, subject, facts)
        names = [*row, "custody_seq"]
        self.conn.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            (*row.values(), seq),
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
        # cases.name is unique for ever: a name given up by a rename stays there, so a new case
        # of that name is filed under its id and then named (its own event).
        taken = self.conn.execute(
            "SELECT 1 FROM cases WHERE name = ? COLLATE NOCASE", (name,)
        ).fetchone()
        filed = f"{name} [case {case_id}]" if taken else name
        row = {"id": case_id, "name": filed, "created_at": iso_utc(self.clock.now())}
        self._act("cases", row, "case created", f"case:{case_id}", {"name": filed})
        if taken:
            self._name_case(case_id, filed, name)
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
        self._name_case(case_id, before, new)
        return case_id

    def _name_case(self, case_id: int, before: str, new: str) -> None:
        next_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM case_names").fetchone()
        row = {"id": int(next_id[0]), "case_id": case_id, "name": new}
        self._act("case_names", row, "case renamed", f"case:{case_id}", {"from": before, "to": new})

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
        # Case ids, not names: this event travels in bundles of the item's case, and another
        # case's name is not theirs to read.
        next_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM case_moves").fetchone()
        row = {"id": int(next_id[0]), "item_id": item_id, "case_id": case_id}
        self._act(
            "case_moves",
            row,
            "item moved",
            f"item:{item_id}",
            {"from_case": before, "to_case": case_id},
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
            self.conn, blocks, files=self._content, created=self.new_files, total=total,
            progress=progress, cancel=cancel, hash_ahead=hash_ahead,
        )  # fmt: skip

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
        item_id = int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0])
        uid = str(uuid.uuid4())
        meta = dict(metadata or {})
        row = {
            "id": item_id, "uid": uid, "kind": kind.value, "case_id": case_id,
            "parent_id": parent_id, "blob_sha256": sha256, "size": int(size),
            "media_type": media_type, "original_name": original_name,
            "added_at": iso_utc(self.clock.now()),
            "metadata": json.dumps(meta, sort_keys=True, ensure_ascii=False),
        }  # fmt: skip
        self._act(
            "items",
            row,
            action or f"{kind.value} added",
            f"item:{item_id}",
            {
                "uid": uid,
                "kind": kind.value,
                "sha256": sha256,
                "size": size,
                "original_name": original_name,
                # by id: the item may later move, and this event travels in its new case's
                # bundles, where the first case's name is not the reader's to see
                "case_id": case_id,
                "parent_id": parent_id,
            },
        )
        self.index("place", item_id, item_id, _searchable_place(original_name, meta))
        if sha256 is not None:
            self.stamp_later(sha256, f"item:{item_id}")
        return self.item(item_id)

    def item(self, item_id: int) -> Item:
        return load_item(self.conn, item_id)

    def add_note(self, item_id: int, text: str) -> int:
        self.item(item_id)  # raises NotFound
        text = text.strip()
        if not text:
            raise Refused("A note cannot be empty.")
        note_id = int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM notes").fetchone()[0])
        row = {
            "id": note_id,
            "item_id": item_id,
            "text": text,
            "added_at": iso_utc(self.clock.now()),
        }
        self._act("notes", row, "note added", f"item:{item_id}", {"note_id": note_id, "text": text})
        self.index("note", item_id, note_id, text)
        return note_id

    def withdraw(self, item_id: int, reason: str) -> None:
        item = self.item(item_id)
        reason = reason.strip()
        if not reason:
            raise Refused("Say why the item is withdrawn: a reason is kept with it.")
        if item.withdrawn:
            raise Refused(f"Item {item_id} was already withdrawn.")
        row = {"item_id": item_id, "reason": reason, "at": iso_utc(self.clock.now())}
        self._act("withdrawals", row, "item withdrawn", f"item:{item_id}", {"reason": reason})

    # -- time-stamps -----------------------------------------------------------------------

    def stamp_later(self, sha256: str, name: str) -> None:
        """Note a hash this act commits, for the time-stamp queue (`queue_stamps`)."""
        if (sha256, name) not in self._to_stamp:
            self._to_stamp.append((sha256, name))

    def queue_stamps(self) -> int | None:
        """Queue what this act committed for a time-stamp: one row, in the act's own
        transaction (no network: the authorities are asked later, see `evidence_kit.timestamp`).
        Called by `Vault.transaction` when the act's work is done. Returns the row's id."""
        if not self._to_stamp or not self.timestamps:
            return None
        entries, self._to_stamp = self._to_stamp, []
        queue_id = int(
            self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM timestamp_queue").fetchone()[0]
        )
        subject = entries[0][1]
        row: dict[str, Any] = {
            "id": queue_id,
            "subject": subject,
            "lines": "".join(f"{digest}  {name}\n" for digest, name in entries),
            "queued_at": iso_utc(self.clock.now()),
        }
        self._act("timestamp_queue", row, "time-stamp queued", subject, {"hashes": len(entries)})
        return queue_id

    def add_token(self, row: Mapping[str, Any]) -> int:
        """Keep one reply of a time-stamping authority (good or not) with what its check found."""
        token_id = int(
            self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM timestamp_tokens").fetchone()[0]
        )
        full = {"id": token_id, **row}
        action = "time-stamp received" if row["status"] == "stamped" else "time-stamp refused"
        details = {
            "authority": row["authority"],
            "kind": row["kind"],
            "gen_time": row.get("gen_time"),
            "problem": row.get("problem"),
        }
        self._act("timestamp_tokens", full, action, f"timestamp:{token_id}", details)
        return token_id

    def add_root(self, der: bytes, subject: str, source: str) -> None:
        """Trust an authority certificate for checking tokens (kept, so `check` can use it)."""
        digest = hashlib.sha256(der).hexdigest()
        if self.conn.execute(
            "SELECT 1 FROM timestamp_roots WHERE sha256 = ?", (digest,)
        ).fetchone():
            return
        root_id = int(
            self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM timestamp_roots").fetchone()[0]
        )
        row = {
            "id": root_id, "sha256": digest, "der": der, "subject": subject, "source": source,
            "added_at": iso_utc(self.clock.now()),
        }  # fmt: skip
        self._act(
            "timestamp_roots", row, "time-stamp authority trusted", f"tsa-root:{root_id}",
            {"sha256": digest, "subject": subject, "source": source},
        )  # fmt: skip

    # -- messages and search ---------------------------------------------------------------

    def add_messages(self, item_id: int, messages: Iterable[Mapping[str, Any]]) -> int:
        """Store parsed messages of an import (dicts with MESSAGE_FIELDS); return how many."""
        return self.add_message_rows(item_id, (row_from_mapping(message) for message in messages))

    def add_message_rows(self, item_id: int, rows: Iterable[Sequence[Any]]) -> int:
        """Store messages given as rows (see `message_codec`); return how many."""
        return self.add_message_batches(item_id, _batched(rows, MESSAGE_BATCH))

    def add_message_batches(self, item_id: int, batches: Iterable[Sequence[Sequence[Any]]]) -> int:
        """Store messages given as lists of rows (`MessageRow` field order); return how many.

        This thread makes each row's canonical line and hashes it (`messages_sha256`, for the
        "import parsed" event `record_import` writes); a `MessageInserter` stores the rows and
        their search bodies on a thread of its own, while the rows that follow are made. Memory
        holds a few batches at most. Any other use of the connection meanwhile (an attachment
        stored between two batches) first waits for the inserter to catch up.
        """
        first = int(
            self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM messages").fetchone()[0]
        )
        digest = self._digests.setdefault(item_id, MessageDigest())
        inserter = MessageInserter(self._conn, item_id, first, searchable=self.searchable)
        self._inserter = inserter
        count = 0
        try:
            for batch in batches:
                rows = list(batch)
                lines = list(map(row_line, rows))
                if None in lines:  # a value not as its column keeps it: store it as it reads back
                    rows = [
                        row if line else stored_row(row)
                        for row, line in zip(rows, lines, strict=True)
                    ]
                    lines = list(map(row_line, rows))
                    assert None not in lines
                digest.add_lines(lines)  # type: ignore[arg-type]
                inserter.put(rows)
                count += len(rows)
        except BaseException:
            self._inserter = None
            inserter.close(quiet=True)
            raise
        self._inserter = None
        inserter.close()
        return count

    def record_import(
        self, item_id: int, format_name: str, timezone: str | None, summary: Mapping[str, Any]
    ) -> None:
        """What an import found (counts, warnings), kept beside its item once parsing is done.

        Its event carries `record_sha256` of the `imports` row and `messages_sha256` of every
        message stored for the item (hashed while they went in; read back only if they were
        stored by another transaction).
        """
        row = {
            "item_id": item_id,
            "format": format_name,
            "timezone": timezone,
            "summary": json.dumps(dict(summary), sort_keys=True, ensure_ascii=False),
        }
        self.conn.execute(
            "INSERT INTO imports (item_id, format, timezone, summary) VALUES (?, ?, ?, ?)",
            tuple(row.values()),
        )
        details: dict[str, Any] = {
            "format": format_name,
            "timezone": timezone,
            **{k: summary[k] for k in ("message_count", "attachment_count") if k in summary},
        }
        if self.row_hashes:
            stored = int(
                self.conn.execute(
                    "SELECT count(*) FROM messages WHERE item_id = ?", (item_id,)
                ).fetchone()[0]
            )
            digest = self._digests.pop(item_id, None)
            if digest is None or digest.count != stored:
                digest = stored_messages_digest(self.conn, item_id)
            details["record_sha256"] = record_sha256(row)
            details["messages_sha256"] = digest.hexdigest()
            details["messages_stored"] = digest.count
        self.record(IMPORT_ACTION, f"item:{item_id}", details)

    def index(self, kind: str, item_id: int, ref_id: int, body: str) -> None:
        if self.searchable and body.strip():
            self.conn.execute(
                "INSERT INTO search_index (body, kind, item_id, ref_id) VALUES (?, ?, ?, ?)",
                (body, kind, item_id, ref_id),
            )

    def keep_salts(self, item_id: int, salts: Sequence[bytes]) -> None:
        """The salts of a redaction's commitments (they stay in the vault; see redaction/)."""
        row = {"item_id": item_id, "salts": json.dumps([salt.hex() for salt in salts])}
        self._act("redaction_salts", row, "redaction salts kept", f"item:{item_id}", {})

    def put_preview(self, item_id: int, size: str, preview: Preview) -> None:
        """A reduced copy of a picture for reports, "large" or "small" (`evidence_kit.previews`)."""
        self.conn.execute(
            "INSERT OR REPLACE INTO previews (item_id, size, media_type, width, height, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (item_id, size, preview.media_type, preview.width, preview.height, preview.data),
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


def _searchable_place(original_name: str | None, meta: Mapping[str, Any]) -> str:
    parts = [original_name or ""]
    place = meta.get("place")
    if isinstance(place, Mapping):
        parts.extend(str(value) for value in place.values() if isinstance(value, str | int))
    for key in ("url", "platform", "account", "window_title", "description"):
        if isinstance(meta.get(key), str):
            parts.append(meta[key])
    return " ".join(part for part in parts if part)


def _batched(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
