"""Making and opening a vault: what is checked, in order, before it is handed over open.

1. the folder (`folder.preflight`, no key needed): a missing, empty, wiped or foreign database
   and a tampered key file are refused, nothing written, not even the lock file;
2. the lock, then the key (Argon2id over the passphrase or the recovery code);
3. the database: it has tables, its own id matches the key slots', and its custody head agrees
   with the anchor (`anchor.compare`);
4. then, unless only checking: schema upgrades (with the one "row hashes recorded" event for a
   vault older than row hashes), the key file's database identity and anchor flag, owner-only
   permissions on the folder and its files.
"""

from __future__ import annotations

import contextlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from evidence_kit import __version__
from evidence_kit.clock import Clock, SystemClock, iso_utc
from evidence_kit.errors import ForeignKeySlots, VaultError, VaultExists, VaultIncomplete
from evidence_kit.fsutil import make_private_dir, open_private
from evidence_kit.vault import anchor, db, pending, rows, schema, sealkey
from evidence_kit.vault.anchor import ANCHOR_NAME, Head
from evidence_kit.vault.folder import DB_NAME, KEYSLOTS_NAME, make_owner_only, preflight
from evidence_kit.vault.keys import KdfParams, KeySlots, new_recovery_code
from evidence_kit.vault.lock import VaultLock
from evidence_kit.vault.strength import check_passphrase_strength
from evidence_kit.vault.writer import Writer, _searchable_place

if TYPE_CHECKING:
    from evidence_kit.vault.vault import Vault

DEFAULT_OWNER = "Vault owner"  # when the person gives no name: never the computer's account name


def create(
    cls: type[Vault],
    folder: Path,
    passphrase: str,
    *,
    owner: str | None = None,
    kdf: KdfParams | None = None,
    clock: Clock | None = None,
    schema_version: int = schema.LATEST,
) -> tuple[Vault, str]:
    """Make a new vault; return it open, with the recovery code to show the person once."""
    owner = (owner or "").strip() or DEFAULT_OWNER
    check_passphrase_strength(passphrase, [owner])
    folder = Path(folder)
    if any((folder / name).exists() for name in (KEYSLOTS_NAME, DB_NAME, ANCHOR_NAME)):
        raise VaultExists(folder)
    kdf = kdf or KdfParams()
    clock = clock or SystemClock()
    try:
        make_private_dir(folder)
    except OSError as exc:
        raise VaultError(f"Cannot make the vault folder {folder}: {exc.strerror}.") from exc
    lock = VaultLock(folder)
    lock.acquire()
    try:
        open_private(folder / DB_NAME).close()  # owner-only from the first byte, journal too
    except OSError as exc:
        lock.release()
        if isinstance(exc, FileExistsError):
            raise VaultExists(folder) from exc
        raise VaultError(f"Cannot make the vault in {folder}: {exc.strerror}.") from exc
    conn = None
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
            if schema_version < schema.INTEGRITY_STEP:
                for statement in schema.OLD_CASE_VIEWS:
                    conn.execute(statement)
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
                timestamps=schema_version >= schema.TIMESTAMPS_STEP,
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
        vault.anchor_state = "same"  # the commit wrote the anchor
        # The key file is written last: until it exists, the database cannot be opened.
        slots.database_salt = vault.database_salt
        slots.anchor = True
        slots.save(folder / KEYSLOTS_NAME)
        return vault, recovery
    except BaseException:
        # Without its key file the new database can never be opened: remove what was begun,
        # so that `init` can be run again (nothing else was ever in it).
        if conn is not None:
            with contextlib.suppress(sqlcipher3.Error):
                conn.close()
        if not (folder / KEYSLOTS_NAME).exists():
            for name in (DB_NAME, f"{DB_NAME}-journal", ANCHOR_NAME):
                with contextlib.suppress(OSError):
                    (folder / name).unlink()
        lock.release()
        raise


def open_folder(
    cls: type[Vault],
    folder: Path,
    unlock: Callable[[KeySlots], bytes],
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
        db_key = unlock(slots)
        conn = db.connect(folder / DB_NAME, db_key, slots.db_settings)
        vault = cls(folder, conn, lock, slots, clock or SystemClock(), db_key)
        try:
            settle(vault, for_check)
        except BaseException:
            with contextlib.suppress(sqlcipher3.Error):
                conn.close()
            raise
        return vault
    except BaseException:
        lock.release()
        raise


def settle(vault: Vault, for_check: bool) -> None:
    """What is checked once the key works; then (unless only checking) upgrades."""
    version = vault._guarded(lambda: schema.version(vault.conn))
    if version == 0:
        raise VaultIncomplete(
            f"The vault's database {vault.folder / DB_NAME} holds no vault (it has no "
            "tables). Evidence Kit never treats an empty database as a new vault."
        )
    schema.pending(vault.conn)  # UnsupportedVault when made by a newer Evidence Kit
    try:
        stored_id = vault._guarded(lambda: vault._meta("vault_id"))
        if stored_id is not None and stored_id != vault.vault_id:
            raise ForeignKeySlots(
                f"The key file {vault.folder / KEYSLOTS_NAME} belongs to another vault than "
                f"the database {vault.folder / DB_NAME}."
            )
        vault.owner = vault._guarded(lambda: vault._meta("owner")) or DEFAULT_OWNER
    except VaultError as exc:
        if not for_check or isinstance(exc, ForeignKeySlots):
            raise
        vault.open_problems.append(f"the vault's settings cannot be read: {exc.message}")
    try:
        check_anchor(vault, repair=not for_check)
    except VaultError as exc:
        if not for_check:
            raise
        vault.open_problems.append(exc.message)
    if for_check:
        return
    upgrade(vault)
    settle_key_file(vault)
    make_owner_only(vault.folder)
    pending.sweep(vault.folder)  # what a killed export left behind


def upgrade(vault: Vault) -> None:
    steps = schema.pending(vault.conn)
    if not steps:
        return
    before = schema.version(vault.conn)
    with vault._raw_transaction():
        for step in steps:
            schema.apply(vault.conn, step)
        if 2 in steps:  # after every step: reading items needs the latest schema
            _backfill_search(vault)
        writer = vault._writer()
        writer.record(
            "vault upgraded",
            f"vault:{vault.vault_id}",
            {
                "from_schema": before,
                "to_schema": schema.LATEST,
                "program": f"Evidence Kit {__version__}",
            },
        )
        if schema.INTEGRITY_STEP in steps:
            # One event covers every row made before rows carried their own hash.
            seq = writer.record(
                rows.BASELINE_ACTION, f"vault:{vault.vault_id}", rows.baseline(vault.conn, before)
            )
            vault.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                (rows.SINCE_KEY, str(seq + 1)),
            )
        if schema.TIMESTAMPS_STEP in steps:
            # Everything from before the queue existed waits for a time-stamp too.
            for item in vault.items():
                if item.sha256 is not None:
                    writer.stamp_later(item.sha256, f"item:{item.id}")
            writer.queue_stamps()


def _backfill_search(vault: Vault) -> None:
    writer = vault._writer()
    for item in vault.items():
        writer.index(
            "place", item.id, item.id, _searchable_place(item.original_name, item.metadata)
        )
        for note in item.notes:
            writer.index("note", item.id, note.id, note.text)


def check_anchor(vault: Vault, *, repair: bool) -> None:
    """The database against its anchor. A vault keeps one if its key file says so *or* its
    database does (every commit since anchors began notes `anchor_base`): a key file edited to
    forget the anchor does not let an older database through."""
    head = vault._guarded(vault.head)
    noted = vault._guarded(lambda: vault._meta(anchor.BASE_KEY))
    if not vault._slots.anchor and noted is None:
        vault.anchor_state = "new"  # made before anchors: one is written now
        if repair:
            vault._write_anchor(head)
        return
    anchored = anchor.read(
        vault.folder / ANCHOR_NAME, vault.anchor_key, vault.vault_id, vault.database_salt
    )
    base = Head.from_text(noted)
    row = vault._guarded(
        lambda: vault.conn.execute(
            "SELECT hash FROM custody WHERE seq = ?", (anchored.count,)
        ).fetchone()
    )
    hash_at = str(row[0]) if row else (anchor.GENESIS if anchored.count == 0 else None)
    vault.anchor_state = anchor.compare(head, base, anchored, hash_at)
    vault._anchored = anchored
    if vault.anchor_state == "ahead" and repair:
        vault._write_anchor(head)


def settle_key_file(vault: Vault) -> None:
    """A key file from before anchors and database identities gets both, once the anchor is written."""
    if vault._slots.anchor and vault._slots.database_salt is not None:
        return
    slots = replace(vault._slots, database_salt=vault.database_salt, anchor=True)
    slots.save(vault.folder / KEYSLOTS_NAME)
    vault._slots = slots
