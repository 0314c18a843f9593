"""An open vault: create, unlock, read; writes go through `transaction()`.

Every commit goes through `_raw_transaction`, which keeps the anchor (vault/anchor.py) in step:
before COMMIT it notes in the database the head the anchor holds, after COMMIT it writes the new
head to the anchor file.
"""

from __future__ import annotations

import contextlib
import getpass
import hmac
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from evidence_kit.clock import Clock
from evidence_kit.errors import (
    DiskFull,
    NotFound,
    VaultError,
    VaultIncomplete,
    WrongPassphrase,
    WrongRecoveryCode,
)
from evidence_kit.fsutil import replacing
from evidence_kit.vault import anchor, db, opening, schema, sealkey, store
from evidence_kit.vault.anchor import ANCHOR_NAME, Head
from evidence_kit.vault.content_files import ContentFiles
from evidence_kit.vault.folder import (
    DB_NAME,
    KEYSLOTS_NAME,
    database_salt,
    is_vault,
)
from evidence_kit.vault.keys import KdfParams, KeySlots, new_recovery_code, normalise_recovery_code
from evidence_kit.vault.lock import VaultLock
from evidence_kit.vault.opening import DEFAULT_OWNER
from evidence_kit.vault.queries import Queries
from evidence_kit.vault.strength import check_passphrase_strength
from evidence_kit.vault.writer import Writer

__all__ = ["DB_NAME", "KEYSLOTS_NAME", "Created", "Vault", "is_vault"]
RECOVERY_REPLACED = "recovery code replaced"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


def _slot(name: str, secret: str) -> Callable[[KeySlots], bytes]:
    return lambda slots: slots.unwrap(name, secret)


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
        self.content_files = ContentFiles(folder, db_key)
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
        vault, code = opening.create(
            cls, Path(folder), passphrase, owner=owner, kdf=kdf, clock=clock,
            schema_version=schema_version,
        )  # fmt: skip
        return Created(vault, code)

    @classmethod
    def open(
        cls, folder: Path, passphrase: str, *, clock: Clock | None = None, holder: str | None = None
    ) -> Vault:
        return opening.open_folder(
            cls, Path(folder), _slot("passphrase", passphrase), clock, holder
        )

    @classmethod
    def open_with_recovery_code(
        cls, folder: Path, code: str, *, clock: Clock | None = None, holder: str | None = None
    ) -> Vault:
        return opening.open_folder(
            cls, Path(folder), _slot("recovery", normalise_recovery_code(code)), clock, holder
        )

    @classmethod
    def open_for_check(
        cls, folder: Path, secret: str, *, recovery: bool = False, holder: str | None = None
    ) -> Vault:
        """Open to look, writing nothing: what an ordinary open would refuse once the key
        works (a rolled-back database, an unreadable settings page) goes in `open_problems`."""
        unlock = (
            _slot("recovery", normalise_recovery_code(secret))
            if recovery
            else _slot("passphrase", secret)
        )
        return opening.open_folder(cls, Path(folder), unlock, None, holder, for_check=True)

    @classmethod
    def open_copy_for_check(cls, folder: Path, db_key: bytes) -> Vault:
        """A copy of this vault (a backup), opened with the key already in hand, to check it."""
        return opening.open_folder(
            cls, Path(folder), lambda _slots: db_key, None, "a backup check", for_check=True
        )

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

    # -- the anchor ------------------------------------------------------------------------

    def db_key_for_copy(self) -> bytes:
        """The database key, for the one act that needs it outside this class: writing and
        checking a backup (vault/backup.py), a copy keyed the same so it opens the same way."""
        return self._db_key

    @property
    def anchor_key(self) -> bytes:
        return anchor.anchor_key(self._db_key, self.vault_id)

    @property
    def database_salt(self) -> str:
        salt = self._slots.database_salt or database_salt(self.folder / DB_NAME)
        if salt is None:
            raise VaultIncomplete(f"The vault's database {self.folder / DB_NAME} is cut short.")
        return salt

    @db.guarded
    def head(self) -> Head:
        """The custody chain's head in the database."""
        row = self.conn.execute(
            "SELECT seq, hash, at FROM custody ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return Head(int(row[0]), str(row[1]), str(row[2])) if row else anchor.EMPTY

    def _write_anchor(self, head: Head) -> None:
        anchor.write(
            self.folder / ANCHOR_NAME, self.anchor_key, self.vault_id, self.database_salt, head
        )
        self._anchored = head
        self._anchor_stale = False

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
        check_passphrase_strength(new_passphrase, [self.owner])
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
        """All writes of one act: they commit together, or (on any error) none of them does —
        the content files it wrote included (no committed row names them)."""
        writer: Writer | None = None
        try:
            with self._raw_transaction():
                writer = self._writer()
                yield writer
                writer.queue_stamps()  # what the act committed waits for a time-stamp
        except BaseException:
            if writer is not None:
                for name in writer.new_files:
                    self.content_files.discard(name)
            raise

    def _writer(self) -> Writer:
        version = schema.version(self.conn)
        return Writer(
            self.conn,
            self.clock,
            self.owner,
            searchable=version >= 2,
            row_hashes=version >= schema.INTEGRITY_STEP,
            timestamps=version >= schema.TIMESTAMPS_STEP,
            content=self.content_files if version >= schema.CONTENT_FILES_STEP else None,
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
    def content_by_hash(self, sha256: str, *, verify: bool = True) -> Iterator[bytes]:
        """Stored bytes by their hash. `verify=False` only for a reader that hashes them itself
        and refuses a mismatch (the exporter's writer thread does, to spare this thread)."""
        yield from store.get(self.conn, sha256, verify=verify, files=self.content_files)

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
