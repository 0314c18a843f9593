"""An open vault: create, unlock, read; writes go through `transaction()`."""

from __future__ import annotations

import contextlib
import getpass
import hmac
import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from evidence_kit import __version__
from evidence_kit.clock import Clock, SystemClock, iso_utc
from evidence_kit.errors import (
    DiskFull,
    NotFound,
    NoVault,
    VaultError,
    VaultExists,
    WrongPassphrase,
    WrongRecoveryCode,
)
from evidence_kit.fsutil import replacing
from evidence_kit.vault import db, schema, sealkey, store
from evidence_kit.vault.keys import (
    KdfParams,
    KeySlots,
    check_passphrase_strength,
    new_recovery_code,
    normalise_recovery_code,
)
from evidence_kit.vault.lock import VaultLock
from evidence_kit.vault.queries import Queries
from evidence_kit.vault.writer import Writer, _searchable_place

DB_NAME = "evidence.db"
KEYSLOTS_NAME = "keyslots.json"
DEFAULT_OWNER = "Vault owner"  # when the person gives no name: never the computer's account name


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


class Vault(Queries):
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
        self.os_user = os_user()  # kept in the vault (capture metadata), never in a new event
        self.owner = DEFAULT_OWNER
        if schema.version(conn) >= 1:
            self.owner = self._meta("owner") or DEFAULT_OWNER

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
            owner = (owner or "").strip() or DEFAULT_OWNER
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
                writer = Writer(conn, clock, owner, searchable=schema_version >= 2)
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
            if 2 in steps:  # after every step: reading items needs the latest schema
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

    def confirm(self, secret: str, *, recovery_code: bool = False) -> None:
        """Raise `WrongPassphrase` (or `WrongRecoveryCode`) unless `secret` opens this vault:
        asked again before the passphrase is changed from an unlocked program."""
        slots = KeySlots.load(self.folder / KEYSLOTS_NAME)
        if recovery_code:
            key = slots.unwrap("recovery", normalise_recovery_code(secret))
        else:
            key = slots.unwrap("passphrase", secret)
        if not hmac.compare_digest(key, self._db_key):
            raise WrongRecoveryCode() if recovery_code else WrongPassphrase()

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
