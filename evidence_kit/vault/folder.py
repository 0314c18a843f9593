"""The vault folder's files, and what is checked about them before any key is tried.

Only `evidence-kit init` makes a database. Opening refuses, with a plain error naming the file
and writing nothing, when `evidence.db` is missing, empty or damaged at its start, or is not the
database its key slots belong to (the key slots record the 16 random bytes SQLCipher keeps at
the start of the file, which can be read without the key).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from evidence_kit.errors import ForeignKeySlots, NoVault, VaultIncomplete
from evidence_kit.fsutil import make_private
from evidence_kit.vault.anchor import ANCHOR_NAME
from evidence_kit.vault.keys import KeySlots

DB_NAME = "evidence.db"
KEYSLOTS_NAME = "keyslots.json"
LOCK_NAME = ".lock"
SALT_BYTES = 16
# Every file the vault keeps: owner-only (0600) in an owner-only folder (0700).
PRIVATE_FILES = (
    DB_NAME,
    f"{DB_NAME}-journal",
    f"{DB_NAME}-wal",
    f"{DB_NAME}-shm",
    KEYSLOTS_NAME,
    ANCHOR_NAME,
    LOCK_NAME,
)


def is_vault(folder: Path) -> bool:
    """Is there a vault here, whole or not? (Opening one that is not whole says what is wrong.)"""
    return (folder / KEYSLOTS_NAME).is_file() or (folder / DB_NAME).is_file()


def database_salt(path: Path) -> str | None:
    """The 16 bytes at the start of an SQLCipher file, as hex (None when the file is shorter)."""
    with open(path, "rb") as handle:
        head = handle.read(SALT_BYTES)
    return head.hex() if len(head) == SALT_BYTES else None


def preflight(folder: Path) -> KeySlots:
    """The vault's key slots, once the folder holds a database they belong to; else a plain error."""
    folder = Path(folder)
    db, keyfile = folder / DB_NAME, folder / KEYSLOTS_NAME
    if not keyfile.is_file() and not db.is_file():
        raise NoVault(folder)
    if not keyfile.is_file():
        raise VaultIncomplete(
            f"The vault's key file {keyfile} is missing: without it {db} cannot be opened."
        )
    if not db.is_file():
        raise VaultIncomplete(
            f"The vault's database {db} is missing. Evidence Kit never makes a new, empty "
            "database in place of a missing one."
        )
    slots = KeySlots.load(keyfile)
    try:
        size = db.stat().st_size
        salt = database_salt(db)
    except OSError as exc:
        raise VaultIncomplete(
            f"The vault's database {db} cannot be read ({exc.strerror})."
        ) from exc
    if size == 0:
        raise VaultIncomplete(
            f"The vault's database {db} is empty (0 bytes): the evidence it held is not in it. "
            "Evidence Kit never treats an empty database as a new vault."
        )
    page = int(slots.db_settings.get("cipher_page_size", 0) or 0)
    if salt is None or (page and size < page):
        raise VaultIncomplete(f"The vault's database {db} is cut short ({size} bytes).")
    if salt == "00" * SALT_BYTES:
        raise VaultIncomplete(
            f"The start of the vault's database {db} has been wiped (its first bytes are zeros)."
        )
    if slots.database_salt is not None and slots.database_salt != salt:
        raise ForeignKeySlots(
            f"The key file {keyfile} belongs to another vault: {db} is not the database it "
            "was made for (the database was replaced, or the key file comes from another vault "
            "or another copy)."
        )
    return slots


def make_owner_only(folder: Path) -> None:
    """Folder 0700, files 0600: also puts right a vault made by a version that did not."""
    with contextlib.suppress(OSError):
        make_private(folder)
    for name in PRIVATE_FILES:
        path = folder / name
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                if os.name != "posix" or path.stat().st_mode & 0o077:
                    make_private(path)
