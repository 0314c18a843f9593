"""An open vault: create, unlock, read; writes go through `transaction()`.

Every commit goes through `_raw_transaction`, which keeps the anchor (vault/anchor.py) in step:
before COMMIT it notes in the database the head the anchor holds, after COMMIT it writes the new
head to the anchor file.
"""

from __future__ import annotations

import contextlib
import getpass
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import sqlcipher3

from evidence_kit import __version__
from evidence_kit.clock import Clock, SystemClock, iso_utc
from evidence_kit.errors import (
    DiskFull,
    ForeignKeySlots,
    NotFound,
    VaultError,
    VaultExists,
    VaultIncomplete,
)
from evidence_kit.fsutil import make_private_dir, open_private, replacing
from evidence_kit.vault import anchor, db, rows, schema, sealkey, store
from evidence_kit.vault.anchor import ANCHOR_NAME, Head
from evidence_kit.vault.folder import (
    DB_NAME,
    KEYSLOTS_NAME,
    database_salt,
    is_vault,
    make_owner_only,
    preflight,
)
from evidence_kit.vault.keys import KdfParams, KeySlots, new_recovery_code, normalise_recovery_code
from evidence_kit.vault.lock import VaultLock
from evidence_kit.vault.queries import Queries
from evidence_kit.vault.strength import check_passphrase_strength
from evidence_kit.vault.writer import Writer, _searchable_place

__all__ = ["DB_NAME", "KEYSLOTS_NAME", "Created", "Vault", "is_vault"]
DEFAULT_OWNER = "Vault owner"  # when the person gives no name: never the computer's account name
RECOVERY_REPLACED = "recovery code replaced"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


@dataclass(frozen=True)
class Created:
    vault: Vault
    recovery_code: str


class Vault(Queries):
    """One person's vault, unlocked. Holds the write lock until `close()`.

    `open_problems` lists what a vault opened for checking (`open_for_check`) could not confirm
    on the way in (its anchor, its settings); an ordinary open refuses instead.
    """

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
        self.os_user = os_user()  # kept in the vault (capture metadata), never in a new event
        self.owner = DEFAULT_OWNER
        self.open_problems: list[str] = []
        self.anchor_state = "same"  # or "ahead" (repaired on open), "new", "unchecked"
        self._anchored: Head | None = None  # what the anchor file holds, once known
        self._anchor_stale = False

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
        owner = (owner or "").strip() or DEFAULT_OWNER
        check_passphrase_strength(passphrase, owner.split())
        folder = Path(folder)
        if any((folder / name).exists() for name in (KEYSLOTS_NAME, DB_NAME, ANCHOR_NAME)):
            raise VaultExists(folder)
        kdf = kdf or KdfParams()
        clock = clock or SystemClock()
        try:
            make_private_dir(folder)
            open_private(folder / DB_NAME).close()  # owner-only from the first byte, journal too
        except OSError as exc:
            raise VaultError(f"Cannot make the vault in {folder}: {exc.strerror}.") from exc
        lock = VaultLock(folder)
        lock.acquire()
        try:
            db_key = secrets.token_bytes(32)
            slots = KeySlots.new(str(uuid.uuid4()), dict(db.DEFAULT_SETTINGS))
            recovery = new_recovery_code()
            slots.wrap("passphrase", passphrase, db_key, kdf)
            slots.wrap("recovery", recovery, db_key, kdf)
            conn = db.connect(folder / DB_NAME, db_key, slots.db_settings, create=True)
            vault = cls(folder, conn, lock, slots, clock, db_key)
            vault._anchored = anchor.EMPTY
            vault.anchor_state = "new"
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
                if schema_version >= schema.INTEGRITY_STEP:
                    conn.execute("INSERT INTO meta (key, value) VALUES (?, '1')", (rows.SINCE_KEY,))
                conn.execute(
                    "INSERT INTO seal_key (id, private_key, public_key, created_at) VALUES (1, ?, ?, ?)",
                    (private, public, iso_utc(clock.now())),
                )
                vault.owner = owner
                writer = Writer(
                    conn,
                    clock,
                    owner,
                    searchable=schema_version >= 2,
                    row_hashes=schema_version >= schema.INTEGRITY_STEP,
                )
                writer.record(
                    "vault created",
                    f"vault:{slots.vault_id}",
                    {
                        "program": f"Evidence Kit {__version__}",
                        "seal_key_fingerprint": sealkey.fingerprint(public),
                        "schema_version": schema_version,
                    },
                )
            # The key file is written last: until it exists, the database cannot be opened.
            slots.database_salt = vault.database_salt
            slots.anchor = True
            slots.save(folder / KEYSLOTS_NAME)
            return Created(vault, recovery)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(
        cls, folder: Path, passphrase: str, *, clock: Clock | None = None, holder: str | None = None
    ) -> Vault:
        return cls._open(Path(folder), "passphrase", passphrase, clock, holder)

    @classmethod
    def open_with_recovery_code(
        cls, folder: Path, code: str, *, clock: Clock | None = None, holder: str | None = None
    ) -> Vault:
        return cls._open(Path(folder), "recovery", normalise_recovery_code(code), clock, holder)

    @classmethod
    def open_for_check(
        cls, folder: Path, secret: str, *, recovery: bool = False, holder: str | None = None
    ) -> Vault:
        """Open to look, writing nothing: what an ordinary open would refuse once the key
        works (a rolled-back database, an unreadable settings page) goes in `open_problems`."""
        slot, secret = (
            ("recovery", normalise_recovery_code(secret)) if recovery else ("passphrase", secret)
        )
        return cls._open(Path(folder), slot, secret, None, holder, for_check=True)

    @classmethod
    def _open(
        cls,
        folder: Path,
        slot: str,
        secret: str,
        clock: Clock | None,
        holder: str | None,
        *,
        for_check: bool = False,
    ) -> Vault:
        preflight(folder)  # a missing, empty or foreign database is refused before the lock file
        lock = VaultLock(folder, holder)
        lock.acquire()
        try:
            slots = preflight(folder)
            db_key = slots.unwrap(slot, secret)
            conn = db.connect(folder / DB_NAME, db_key, slots.db_settings)
            vault = cls(folder, conn, lock, slots, clock or SystemClock(), db_key)
            try:
                vault._settle(for_check)
            except BaseException:
                with contextlib.suppress(sqlcipher3.Error):
                    conn.close()
                raise
            return vault
        except BaseException:
            lock.release()
            raise

    def _settle(self, for_check: bool) -> None:
        """What is checked once the key works; then (unless only checking) upgrades."""
        version = self._guarded(lambda: schema.version(self.conn))
        if version == 0:
            raise VaultIncomplete(
                f"The vault's database {self.folder / DB_NAME} holds no vault (it has no "
                "tables). Evidence Kit never treats an empty database as a new vault."
            )
        schema.pending(self.conn)  # UnsupportedVault when made by a newer Evidence Kit
        try:
            stored_id = self._guarded(lambda: self._meta("vault_id"))
            if stored_id is not None and stored_id != self.vault_id:
                raise ForeignKeySlots(
                    f"The key file {self.folder / KEYSLOTS_NAME} belongs to another vault than "
                    f"the database {self.folder / DB_NAME}."
                )
            self.owner = self._guarded(lambda: self._meta("owner")) or DEFAULT_OWNER
        except VaultError as exc:
            if not for_check or isinstance(exc, ForeignKeySlots):
                raise
            self.open_problems.append(f"the vault's settings cannot be read: {exc.message}")
        try:
            self._check_anchor(repair=not for_check)
        except VaultError as exc:
            if not for_check:
                raise
            self.open_problems.append(exc.message)
        if for_check:
            return
        self._upgrade()
        self._settle_key_file()
        make_owner_only(self.folder)

    def _guarded(self, read):  # type: ignore[no-untyped-def]
        try:
            return read()
        except sqlcipher3.Error as exc:
            raise db.translate(exc, self.folder / DB_NAME) from exc

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
            writer = self._writer()
            writer.record(
                "vault upgraded",
                f"vault:{self.vault_id}",
                {
                    "from_schema": before,
                    "to_schema": schema.LATEST,
                    "program": f"Evidence Kit {__version__}",
                },
            )
            if schema.INTEGRITY_STEP in steps:
                # One event covers every row made before rows carried their own hash.
                seq = writer.record(
                    rows.BASELINE_ACTION, f"vault:{self.vault_id}", rows.baseline(self.conn, before)
                )
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (rows.SINCE_KEY, str(seq + 1)),
                )

    def _backfill_search(self) -> None:
        writer = self._writer()
        for item in self.items():
            writer.index(
                "place", item.id, item.id, _searchable_place(item.original_name, item.metadata)
            )
            for note in item.notes:
                writer.index("note", item.id, note.id, note.text)

    # -- the anchor ------------------------------------------------------------------------

    @property
    def anchor_key(self) -> bytes:
        return anchor.anchor_key(self._db_key, self.vault_id)

    @property
    def database_salt(self) -> str:
        salt = self._slots.database_salt or database_salt(self.folder / DB_NAME)
        if salt is None:
            raise VaultIncomplete(f"The vault's database {self.folder / DB_NAME} is cut short.")
        return salt

    def head(self) -> Head:
        """The custody chain's head in the database."""
        row = self.conn.execute(
            "SELECT seq, hash, at FROM custody ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return Head(int(row[0]), str(row[1]), str(row[2])) if row else anchor.EMPTY

    def _check_anchor(self, *, repair: bool) -> None:
        head = self._guarded(self.head)
        if not self._slots.anchor:
            self.anchor_state = "new"  # made before anchors: one is written now
            if repair:
                self._write_anchor(head)
            return
        anchored = anchor.read(
            self.folder / ANCHOR_NAME, self.anchor_key, self.vault_id, self.database_salt
        )
        base = Head.from_text(self._guarded(lambda: self._meta(anchor.BASE_KEY)))
        row = self._guarded(
            lambda: self.conn.execute(
                "SELECT hash FROM custody WHERE seq = ?", (anchored.count,)
            ).fetchone()
        )
        hash_at = str(row[0]) if row else (anchor.GENESIS if anchored.count == 0 else None)
        self.anchor_state = anchor.compare(head, base, anchored, hash_at)
        self._anchored = anchored
        if self.anchor_state == "ahead" and repair:
            self._write_anchor(head)

    def _write_anchor(self, head: Head) -> None:
        anchor.write(
            self.folder / ANCHOR_NAME, self.anchor_key, self.vault_id, self.database_salt, head
        )
        self._anchored = head
        self._anchor_stale = False

    def _settle_key_file(self) -> None:
        """A key file from before anchors and database identities gets both, once the anchor is written."""
        if self._slots.anchor and self._slots.database_salt is not None:
            return
        slots = replace(self._slots, database_salt=self.database_salt, anchor=True)
        slots.save(self.folder / KEYSLOTS_NAME)
        self._slots = slots

    def _after_commit(self) -> None:
        head = self.head()
        if self._anchored is not None and head.same_place(self._anchored):
            return
        try:
            self._write_anchor(head)
        except (OSError, VaultError):
            # The commit stands; the database is now one transaction ahead of its anchor, which
            # an open tolerates. The next transaction tries again first, and refuses if it cannot.
            self._anchor_stale = True

    # -- keys ------------------------------------------------------------------------------

    def change_passphrase(self, new_passphrase: str, *, with_recovery_code: bool = False) -> None:
        """Rewrap the database key under a new passphrase; `evidence.db` is not re-encrypted."""
        check_passphrase_strength(new_passphrase, self.owner.split())
        slots = KeySlots.load(self.folder / KEYSLOTS_NAME)
        slots.wrap("passphrase", new_passphrase, self._db_key, slots.kdf("passphrase"))
        action = (
            "passphrase reset with recovery code" if with_recovery_code else "passphrase changed"
        )
        with self.transaction() as writer:
            writer.record(action, f"vault:{self.vault_id}", {})
            # Saved inside the transaction: if the key file cannot be written, no event is recorded.
            slots.save(self.folder / KEYSLOTS_NAME)
        self._slots = slots

    def replace_recovery_code(self) -> str:
        """A new recovery code; the old one no longer opens this vault's key file. Returns the
        code, to show the person once. (An old copy of keyslots.json still opens with the old
        code: the database key itself does not change.)"""
        slots = KeySlots.load(self.folder / KEYSLOTS_NAME)
        code = new_recovery_code()
        slot = slots.slots.get("recovery")
        kdf = slots.kdf("recovery") if slot is not None else slots.kdf("passphrase")
        slots.wrap("recovery", code, self._db_key, kdf)
        with self.transaction() as writer:
            writer.record(RECOVERY_REPLACED, f"vault:{self.vault_id}", {})
            slots.save(self.folder / KEYSLOTS_NAME)
        self._slots = slots
        return code

    # -- transactions ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _raw_transaction(self) -> Iterator[None]:
        if self._anchor_stale and self._anchored is not None:
            try:
                self._write_anchor(self.head())
            except OSError as exc:
                raise (
                    DiskFull()
                    if db.no_room(self.folder / ANCHOR_NAME)
                    else VaultError(
                        f"The vault's anchor file {self.folder / ANCHOR_NAME} cannot be written "
                        f"({exc.strerror}); nothing new is saved until it can."
                    )
                ) from exc
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.Error as exc:
            raise db.translate(exc, self.folder / DB_NAME) from exc
        try:
            yield
            if self._anchored is not None and not self.head().same_place(self._anchored):
                self.conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (anchor.BASE_KEY, self._anchored.as_text()),
                )
            self.conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlcipher3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlcipher3.Error | sqlite3.Error | OSError):
                raise db.translate(exc, self.folder / DB_NAME) from exc
            raise
        self._after_commit()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Writer]:
        """All writes of one act: they commit together, or (on any error) none of them does."""
        with self._raw_transaction():
            yield self._writer()

    def _writer(self) -> Writer:
        version = schema.version(self.conn)
        return Writer(
            self.conn,
            self.clock,
            self.owner,
            searchable=version >= 2,
            row_hashes=version >= schema.INTEGRITY_STEP,
        )

    # -- reading ---------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def vault_id(self) -> str:
        return self._slots.vault_id

    @property
    def key_slots(self) -> KeySlots:
        return self._slots

    @property
    @db.guarded
    def schema_version(self) -> int:
        return schema.version(self.conn)

    @property
    @db.guarded
    def seal_public_key(self) -> bytes:
        row = self.conn.execute("SELECT public_key FROM seal_key WHERE id = 1").fetchone()
        if row is None:
            raise VaultIncomplete("The vault's database has no seal key.")
        return bytes(row[0])

    @property
    def fingerprint(self) -> str:
        return sealkey.fingerprint(self.seal_public_key)

    @db.guarded
    def sign(self, data: bytes) -> bytes:
        """An Ed25519 signature by the vault's seal key (the private key never leaves the vault)."""
        row = self.conn.execute("SELECT private_key FROM seal_key WHERE id = 1").fetchone()
        if row is None:
            raise VaultIncomplete("The vault's database has no seal key.")
        return sealkey.sign(bytes(row[0]), data)

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
        written = 0
        try:
            with replacing(out, suffix=".partial") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                    written += len(chunk)
        except OSError as exc:
            if exc.errno in (28, 27, 122):
                raise DiskFull() from exc
            raise VaultError(f"Cannot write {out}: {exc.strerror}.") from exc
        return written
