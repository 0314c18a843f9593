"""An open vault: create, unlock, read; writes go through `transaction()`."""

from __future__ import annotations

import contextlib
import getpass
import os
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from evidence_kit import __version__
from evidence_kit.clock import Clock, SystemClock, iso_utc
from evidence_kit.errors import (
    DiskFull,
    EvidenceKitError,
    NotFound,
    NoVault,
    VaultError,
    VaultExists,
)
from evidence_kit.model import Case, CustodyEvent, Item
from evidence_kit.vault import db, schema, sealkey, store
from evidence_kit.vault.keys import (
    KdfParams,
    KeySlots,
    check_passphrase_strength,
    fsync_dir,
    new_recovery_code,
    normalise_recovery_code,
)
from evidence_kit.vault.lock import VaultLock
from evidence_kit.vault.records import (
    CUSTODY_COLUMNS,
    ITEM_COLUMNS,
    ITEM_FROM,
    case_from_row,
    custody_from_row,
    custody_record,
    item_from_row,
)
from evidence_kit.vault.writer import Writer, _searchable_place

DB_NAME = "evidence.db"
KEYSLOTS_NAME = "keyslots.json"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


def is_vault(folder: Path) -> bool:
    return (folder / KEYSLOTS_NAME).is_file() and (folder / DB_NAME).is_file()


@dataclass(frozen=True)
class Created:
    vault: Vault
    recovery_code: str


class Vault:
    """One person's vault, unlocked. Holds the write lock until `close()`."""

    def __init__(
        self,
        folder: Path,
        conn: db.Connection,
        lock: VaultLock,
        slots: KeySlots,
        clock: Clock,
        db_key: bytes,
    ) -> None:
        self.folder = folder
        self._db_key = db_key
        self.conn = conn
        self._lock = lock
        self._slots = slots
        self.clock = clock
        self.os_user = os_user()
        self.owner = self.os_user
        if schema.version(conn) >= 1:
            self.owner = self._meta("owner") or self.os_user

    # -- making and opening ----------------------------------------------------------------

    @classmethod
    def create(
        cls,
        folder: Path,
        passphrase: str,
        *,
        owner: str | None = None,
        kdf: KdfParams | None = None,
        clock: Clock | None = None,
        schema_version: int = schema.LATEST,
    ) -> Created:
        """Make a new vault; return it open, with the recovery code to show the person once."""
        check_passphrase_strength(passphrase)
        folder = Path(folder)
        if (folder / KEYSLOTS_NAME).exists() or (folder / DB_NAME).exists():
            raise VaultExists(folder)
        kdf = kdf or KdfParams()
        clock = clock or SystemClock()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise VaultError(f"Cannot make the vault folder {folder}: {exc.strerror}.") from exc
        lock = VaultLock(folder)
        lock.acquire()
        try:
            db_key = secrets.token_bytes(32)
            slots = KeySlots.new(str(uuid.uuid4()), dict(db.DEFAULT_SETTINGS))
            recovery = new_recovery_code()
            slots.wrap("passphrase", passphrase, db_key, kdf)
            slots.wrap("recovery", recovery, db_key, kdf)
            conn = db.connect(folder / DB_NAME, db_key, slots.db_settings)
            vault = cls(folder, conn, lock, slots, clock, db_key)
            owner = (owner or "").strip() or vault.os_user
            private, public = sealkey.new_private_key()
            with vault._raw_transaction():
                for step in schema.pending(conn, schema_version):
                    schema.apply(conn, step)
                for key, value in (
                    ("vault_id", slots.vault_id),
                    ("owner", owner),
                    ("created_by", f"Evidence Kit {__version__}"),
                ):
                    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
                conn.execute(
                    "INSERT INTO seal_key (id, private_key, public_key, created_at) VALUES (1, ?, ?, ?)",
                    (private, public, iso_utc(clock.now())),
                )
                vault.owner = owner
                writer = Writer(conn, clock, vault.os_user, owner, searchable=schema_version >= 2)
                writer.record(
                    "vault created",
                    f"vault:{slots.vault_id}",
                    {
                        "program": f"Evidence Kit {__version__}",
                        "seal_key_fingerprint": sealkey.fingerprint(public),
                        "schema_version": schema_version,
                    },
                )
            # The key file is written last: until it exists, the folder is not a vault.
            slots.save(folder / KEYSLOTS_NAME)
            return Created(vault, recovery)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(cls, folder: Path, passphrase: str, *, clock: Clock | None = None) -> Vault:
        return cls._open(Path(folder), "passphrase", passphrase, clock)

    @classmethod
    def open_with_recovery_code(
        cls, folder: Path, code: str, *, clock: Clock | None = None
    ) -> Vault:
        return cls._open(Path(folder), "recovery", normalise_recovery_code(code), clock)

    @classmethod
    def _open(cls, folder: Path, slot: str, secret: str, clock: Clock | None) -> Vault:
        if not is_vault(folder):
            raise NoVault(folder)
        lock = VaultLock(folder)
        lock.acquire()
        try:
            slots = KeySlots.load(folder / KEYSLOTS_NAME)
            db_key = slots.unwrap(slot, secret)
            conn = db.connect(folder / DB_NAME, db_key, slots.db_settings)
            vault = cls(folder, conn, lock, slots, clock or SystemClock(), db_key)
            vault._upgrade()
            return vault
        except BaseException:
            lock.release()
            raise

    def close(self) -> None:
        with contextlib.suppress(sqlcipher3.Error):
            self.conn.close()
        self._lock.release()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _upgrade(self) -> None:
        steps = schema.pending(self.conn)
        if not steps:
            return
        before = schema.version(self.conn)
        with self._raw_transaction():
            for step in steps:
                schema.apply(self.conn, step)
                if step == 2:
                    self._backfill_search()
            self._writer().record(
                "vault upgraded",
                f"vault:{self.vault_id}",
                {
                    "from_schema": before,
                    "to_schema": schema.LATEST,
                    "program": f"Evidence Kit {__version__}",
                },
            )

    def _backfill_search(self) -> None:
        writer = self._writer()
        for item in self.items():
            writer.index(
                "place", item.id, item.id, _searchable_place(item.original_name, item.metadata)
            )
            for note in item.notes:
                writer.index("note", item.id, note.id, note.text)

    # -- keys ------------------------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str, *, with_recovery_code: bool = False) -> None:
        """Rewrap the database key under a new passphrase; `evidence.db` is not re-encrypted."""
        check_passphrase_strength(new_passphrase)
        slots = KeySlots.load(self.folder / KEYSLOTS_NAME)
        current = slots.slots["passphrase"]
        kdf = KdfParams(current["time_cost"], current["memory_kib"], current["parallelism"])
        slots.wrap("passphrase", new_passphrase, self._db_key, kdf)
        action = (
            "passphrase reset with recovery code" if with_recovery_code else "passphrase changed"
        )
        with self.transaction() as writer:
            writer.record(action, f"vault:{self.vault_id}", {})
            # Saved inside the transaction: if the key file cannot be written, no event is recorded.
            slots.save(self.folder / KEYSLOTS_NAME)
        self._slots = slots

    # -- transactions ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _raw_transaction(self) -> Iterator[None]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.Error as exc:
            raise db.translate(exc, self.folder / DB_NAME) from exc
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlcipher3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlcipher3.Error | sqlite3.Error | OSError):
                raise db.translate(exc, self.folder / DB_NAME) from exc
            raise

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Writer]:
        """All writes of one act: they commit together, or (on any error) none of them does."""
        with self._raw_transaction():
            yield self._writer()

    def _writer(self) -> Writer:
        return Writer(
            self.conn,
            self.clock,
            self.os_user,
            self.owner,
            searchable=schema.version(self.conn) >= 2,
        )

    # -- reading ---------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def vault_id(self) -> str:
        return self._slots.vault_id

    @property
    @db.guarded
    def schema_version(self) -> int:
        return schema.version(self.conn)

    @property
    @db.guarded
    def seal_public_key(self) -> bytes:
        return bytes(
            self.conn.execute("SELECT public_key FROM seal_key WHERE id = 1").fetchone()[0]
        )

    @property
    def fingerprint(self) -> str:
        return sealkey.fingerprint(self.seal_public_key)

    @db.guarded
    def sign(self, data: bytes) -> bytes:
        """An Ed25519 signature by the vault's seal key (the private key never leaves the vault)."""
        private = bytes(
            self.conn.execute("SELECT private_key FROM seal_key WHERE id = 1").fetchone()[0]
        )
        return sealkey.sign(private, data)

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
    def item(self, item_id: int) -> Item:
        return self._writer().item(item_id)

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

    def content(self, item_id: int) -> Iterator[bytes]:
        """The item's exact bytes, streamed, checked against its SHA-256 as they are read."""
        item = self.item(item_id)
        if item.sha256 is None:
            raise NotFound(f"Item {item_id} is a note: it has no file.")
        return self.content_by_hash(item.sha256)

    @db.guarded
    def content_by_hash(self, sha256: str) -> Iterator[bytes]:
        yield from store.get(self.conn, sha256)

    def extract(self, item_id: int, out: Path) -> int:
        """Write the item's exact bytes to `out` (the person asked for a plain copy). Returns size."""
        chunks = self.content(item_id)
        tmp = out.with_name(f".{out.name}.partial")
        written = 0
        try:
            with open(tmp, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                    written += len(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, out)
            fsync_dir(out.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if exc.errno in (28, 27, 122):
                raise DiskFull() from exc
            raise VaultError(f"Cannot write {out}: {exc.strerror}.") from exc
        except EvidenceKitError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return written

    # -- imports, messages, search, thumbnails ---------------------------------------------

    @db.guarded
    def messages(
        self, item_id: int, *, offset: int = 0, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """The parsed messages of an import, in file order, as `Message.as_dict()` gave them."""
        import json

        from evidence_kit.vault.writer import MESSAGE_FIELDS

        query = f"SELECT {', '.join(MESSAGE_FIELDS)} FROM messages WHERE item_id = ? AND idx >= ? ORDER BY idx"
        params: tuple[Any, ...] = (item_id, offset)
        if limit is not None:
            query += " LIMIT ?"
            params = (*params, limit)
        for row in self.conn.execute(query, params):
            record = dict(zip(MESSAGE_FIELDS, row, strict=True))
            record["index"] = record.pop("idx")
            for flag in ("is_system", "edited", "deleted"):
                record[flag] = bool(record[flag])
            record["attachments"] = json.loads(record["attachments"])
            record["extra"] = json.loads(record["extra"])
            yield record

    @db.guarded
    def message_count(self, item_id: int) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM messages WHERE item_id = ?", (item_id,)
            ).fetchone()[0]
        )

    @db.guarded
    def import_summary(self, item_id: int) -> dict[str, Any] | None:
        import json

        row = self.conn.execute(
            "SELECT format, timezone, summary FROM imports WHERE item_id = ?", (item_id,)
        ).fetchone()
        if row is None:
            return None
        return {"format": row[0], "timezone": row[1], **json.loads(row[2])}

    @db.guarded
    def search(self, text: str, *, limit: int = 200) -> list[dict[str, Any]]:
        """Full-text search over message text and senders, notes and places (FTS5).

        Each word must appear (prefix match); returns hits with kind, item_id, ref_id and a snippet.
        """
        words = [word.replace('"', '""') for word in text.split() if word.strip()]
        if not words:
            return []
        query = " ".join(f'"{word}"*' for word in words)
        rows = self.conn.execute(
            "SELECT kind, item_id, ref_id, snippet(search_index, 0, '[', ']', '…', 12) "
            "FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        ).fetchall()
        return [
            {"kind": r[0], "item_id": int(r[1]), "ref_id": int(r[2]), "snippet": r[3]} for r in rows
        ]

    @db.guarded
    def thumbnail(self, item_id: int) -> bytes | None:
        row = self.conn.execute(
            "SELECT png FROM thumbnails WHERE item_id = ?", (item_id,)
        ).fetchone()
        return bytes(row[0]) if row else None
