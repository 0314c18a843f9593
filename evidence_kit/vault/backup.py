"""`evidence-kit backup DEST`: a consistent, still-encrypted copy of the vault that opens as a
vault of its own, with the same passphrase and recovery code. Restoring is opening the copy.

The destination is checked before anything is written (`plan_backup`): room for the copy, the
file system's largest file (FAT32: 4 GiB), whether it keeps owner-only permissions (FAT and
exFAT do not: allowed, with a plain warning). The database is copied with SQLite's online backup
API through the vault's own connection, page by page with progress and cancel, into a hidden
`.….partial` folder; the key slots (naming the copy's own database) and an anchor for the copy
follow; the copy is then opened and fully checked (`check_vault`), renamed into place, and the
backup recorded on the custody chain. A stop at any moment leaves the vault as it was and at
most a `.partial` folder beside the backups.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from evidence_kit.clock import parse_iso_utc
from evidence_kit.errors import BackupError, Cancelled, DiskFull, EvidenceKitError
from evidence_kit.fsinfo import FileSystem, existing_ancestor, filesystem
from evidence_kit.fsutil import fsync_dir, make_private_dir, open_private
from evidence_kit.model import CancelFlag, Progress, never_cancel, no_progress
from evidence_kit.vault import anchor, db, store
from evidence_kit.vault.anchor import ANCHOR_NAME, Head
from evidence_kit.vault.content_files import CONTENT_DIR
from evidence_kit.vault.folder import DB_NAME, KEYSLOTS_NAME, database_salt
from evidence_kit.vault.vault import Vault

BACKUP_ACTION = "vault backed up"
LAST_BACKUP_KEY = (
    "last_backup_folder"  # meta: where it went (never on the chain: a path says too much)
)
PREFIX = "evidence-kit-backup-"
STEP_PAGES = 256  # pages copied between progress reports (4 MiB at 16 KiB pages)
MARGIN = 16 << 20  # room kept free beyond the copy itself


@dataclass(frozen=True)
class BackupPlan:
    """Where the copy will go and what was found about the destination, before writing."""

    folder: Path  # the new vault folder (inside the destination)
    needed: int  # bytes the copy takes
    free: int  # bytes free at the destination
    filesystem: FileSystem
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    size: int
    head: Head  # the copy's custody head: what it holds
    warnings: tuple[str, ...]
    custody_seq: int  # the "vault backed up" event in the vault itself

    def as_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "size": self.size,
            "custody_events": self.head.count,
            "custody_head": self.head.hash,
            "warnings": list(self.warnings),
            "custody_seq": self.custody_seq,
        }


@dataclass(frozen=True)
class BackupStatus:
    """For a reminder: when the last backup was made, and what was added since."""

    last_at: datetime | None  # None: never backed up
    last_folder: str | None
    items_since: int  # evidence items added since the last backup (or ever, if none)
    first_item_since: datetime | None  # when the oldest of those was added

    def as_dict(self) -> dict[str, Any]:
        return {
            "last_backup_at": self.last_at.isoformat() if self.last_at else None,
            "last_backup_folder": self.last_folder,
            "items_since": self.items_since,
            "first_item_since": self.first_item_since.isoformat()
            if self.first_item_since
            else None,
        }


def _database_size(vault: Vault) -> int:
    pages = int(vault.conn.execute("PRAGMA page_count").fetchone()[0])
    size = int(vault.conn.execute("PRAGMA page_size").fetchone()[0])
    return pages * size


def _content_files(vault: Vault) -> list[tuple[str, int]]:
    """(name, length) of every sealed content file the vault's records name."""
    return [(sealed.name, sealed.length) for sealed in store.sealed_files(vault.conn)]


def plan_backup(vault: Vault, destination: Path, *, stamp: datetime | None = None) -> BackupPlan:
    """Check `destination` (a folder, made if missing) can take a backup; raise `BackupError` if not."""
    destination = Path(destination).absolute()
    here = vault.folder.resolve()
    target = existing_ancestor(destination).resolve() / destination.relative_to(
        existing_ancestor(destination)
    )
    if target == here or here in target.parents:
        raise BackupError(
            f"{destination} is inside the vault itself: a backup must go somewhere else.",
            hint="Choose another disk (a USB stick) or at least another folder.",
        )
    if destination.exists() and not destination.is_dir():
        raise BackupError(
            f"{destination} is a file, not a folder.", hint="Name a folder (it is made if needed)."
        )
    when = (stamp or vault.clock.now()).astimezone()
    folder = destination / f"{PREFIX}{when.strftime('%Y%m%d-%H%M%S')}"
    if folder.exists():
        raise BackupError(
            f"{folder} already exists.",
            hint="Wait a second and try again, or choose another folder.",
        )
    database, files = _database_size(vault), _content_files(vault)
    needed = (
        database
        + sum(length for _, length in files)
        + sum(
            (vault.folder / name).stat().st_size
            for name in (KEYSLOTS_NAME, ANCHOR_NAME)
            if (vault.folder / name).exists()
        )
    )
    try:
        free = shutil.disk_usage(existing_ancestor(destination)).free
    except OSError as exc:
        raise BackupError(f"Cannot look at {destination}: {exc.strerror}.") from exc
    fs = filesystem(destination)
    if free < needed + MARGIN:
        raise BackupError(
            f"There is not enough room at {destination}: the copy needs {_mb(needed + MARGIN)}, "
            f"and {_mb(free)} is free.",
            hint="Free some space there (an older backup folder can go once a newer one is made), "
            "or choose a bigger disk. Nothing was written.",
        )
    limit = fs.max_file_size
    biggest = max([database] + [length for _, length in files])
    if limit is not None and biggest > limit:
        raise BackupError(
            f"The vault's largest file ({_mb(biggest)}) is too big for {destination}: its "
            f"file system ({fs.label}) cannot hold a file over {_mb(limit)}.",
            hint="Use a disk formatted as exFAT or NTFS (or the computer's own format). Nothing was written.",
        )
    warnings = []
    if not fs.keeps_permissions:
        warnings.append(
            f"{destination} is on a {fs.label} disk, which cannot keep files private to you: "
            "anyone using this computer with the disk plugged in can copy the backup. It stays "
            "encrypted: without your passphrase or recovery code nobody can open it."
        )
    return BackupPlan(folder, needed, free, fs, tuple(warnings))


def _mb(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{max(size / 1e6, 0.1):.1f} MB"


def backup(
    vault: Vault,
    destination: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelFlag = never_cancel,
) -> BackupResult:
    """Copy the vault into a new folder inside `destination`, check the copy, record it."""
    plan = plan_backup(vault, destination)
    partial = plan.folder.with_name(f".{plan.folder.name}.partial")
    warnings = list(plan.warnings)
    total = plan.needed * 2  # copying, then checking the copy
    try:
        _remove_partial(partial)  # one left by a backup stopped in this very second
        try:
            make_private_dir(partial)
        except OSError as exc:
            raise BackupError(f"Cannot make a folder in {destination}: {exc.strerror}.") from exc
        head = _copy_database(vault, partial / DB_NAME, progress, cancel, total)
        _copy_content(vault, partial, progress, cancel, _database_size(vault), total)
        salt = database_salt(partial / DB_NAME)
        if salt is None:
            raise BackupError("The copy's database came out empty.")
        replace(vault.key_slots, database_salt=salt, anchor=True).save(partial / KEYSLOTS_NAME)
        anchor.write(partial / ANCHOR_NAME, vault.anchor_key, vault.vault_id, salt, head)
        if plan.filesystem.keeps_permissions and (partial / DB_NAME).stat().st_mode & 0o077:
            warnings.append(f"{destination} did not keep the copy's files private to you.")
        _check_copy(vault, partial, head, progress, cancel, plan.needed, total)
        os.replace(partial, plan.folder)
        fsync_dir(plan.folder.parent)
    except BaseException as exc:
        _remove_partial(partial)
        if isinstance(exc, OSError):
            if db.no_room(partial):
                raise DiskFull() from exc
            raise BackupError(
                f"Cannot write the backup in {destination}: {exc.strerror or exc}."
            ) from exc
        raise
    with vault.transaction() as writer:
        seq = writer.record(
            BACKUP_ACTION,
            f"vault:{vault.vault_id}",
            {
                "copy": plan.folder.name,
                "custody_events": head.count,
                "custody_head": head.hash,
                "database_bytes": (plan.folder / DB_NAME).stat().st_size,
                "checked": True,
            },
        )
        writer.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            (LAST_BACKUP_KEY, str(plan.folder)),
        )
    progress(total, total)
    return BackupResult(plan.folder, plan.needed, head, tuple(warnings), seq)


def _copy_database(
    vault: Vault, path: Path, progress: Progress, cancel: CancelFlag, total: int
) -> Head:
    open_private(path).close()  # owner-only before SQLite writes a byte (its journal follows)
    head = vault.head()
    page = int(vault.conn.execute("PRAGMA page_size").fetchone()[0])
    target = db.connect(path, vault.db_key_for_copy(), vault.key_slots.db_settings, create=True)
    try:

        def step(_status: int, remaining: int, pages: int) -> None:
            if cancel():
                raise Cancelled()
            progress((pages - remaining) * page, total)

        try:
            vault.conn.backup(target, pages=STEP_PAGES, progress=step)
        except sqlcipher3.Error as exc:
            raise db.translate(exc, path) from exc
    finally:
        target.close()
    return head


def _copy_content(
    vault: Vault, partial: Path, progress: Progress, cancel: CancelFlag, done: int, total: int
) -> None:
    """The sealed content files the copied records name, byte for byte (they are encrypted, and
    never change once written), each made durable before the copy is checked."""
    named = _content_files(vault)
    if not named:
        return
    source, target = vault.content_files.folder, partial / CONTENT_DIR
    make_private_dir(target)
    for name, _length in named:
        with open(source / name, "rb") as src, open_private(target / name) as dst:
            while block := src.read(1 << 20):
                if cancel():
                    raise Cancelled()
                dst.write(block)
                done += len(block)
                progress(done, total)
            dst.flush()
            os.fsync(dst.fileno())
    fsync_dir(target)


def _check_copy(
    vault: Vault,
    folder: Path,
    head: Head,
    progress: Progress,
    cancel: CancelFlag,
    offset: int,
    total: int,
) -> None:
    from evidence_kit.vault.check import check_vault

    try:
        copy = Vault.open_copy_for_check(folder, vault.db_key_for_copy())
    except EvidenceKitError as exc:
        raise BackupError(f"The copy in {folder} does not open: {exc.message}") from exc
    try:
        report = check_vault(
            copy, progress=lambda done, _t: progress(offset + done, total), cancel=cancel
        )
        if cancel():
            raise Cancelled()
        copied = copy.head()
    finally:
        copy.close()
        with contextlib.suppress(OSError):
            (folder / ".lock").unlink()
    if not report.ok or copy.open_problems or not copied.same_place(head):
        first = report.problems[0] if report.problems else None
        raise BackupError(
            "The copy did not check out"
            + (f" ({first.where}: {first.what})" if first else "")
            + "; it was removed.",
            hint="Run `evidence-kit check` on the vault itself, and try another disk.",
        )


def _remove_partial(partial: Path) -> None:
    """Our own unfinished copy only: the files a backup writes, then the folder if empty."""
    content = partial / CONTENT_DIR
    if content.is_dir():
        for entry in content.iterdir():  # the copies of sealed files this backup wrote
            with contextlib.suppress(OSError):
                entry.unlink()
        with contextlib.suppress(OSError):
            content.rmdir()
    for name in (
        DB_NAME,
        f"{DB_NAME}-journal",
        f"{DB_NAME}-wal",
        f"{DB_NAME}-shm",
        KEYSLOTS_NAME,
        ANCHOR_NAME,
        f"{ANCHOR_NAME}.new",
        f"{KEYSLOTS_NAME}.new",
        ".lock",
    ):
        with contextlib.suppress(OSError):
            (partial / name).unlink()
    with contextlib.suppress(OSError):
        partial.rmdir()


def backup_status(vault: Vault) -> BackupStatus:
    """When the last backup was made and how much evidence was added since: for a reminder."""
    row = vault.conn.execute(
        "SELECT seq, at FROM custody WHERE action = ? ORDER BY seq DESC LIMIT 1", (BACKUP_ACTION,)
    ).fetchone()
    after = int(row[0]) if row else 0
    since = vault.conn.execute(
        "SELECT count(*), min(added_at) FROM items WHERE custody_seq > ?", (after,)
    ).fetchone()
    found = vault.conn.execute(
        "SELECT value FROM meta WHERE key = ?", (LAST_BACKUP_KEY,)
    ).fetchone()
    return BackupStatus(
        last_at=parse_iso_utc(row[1]) if row else None,
        last_folder=found[0] if found and row else None,
        items_since=int(since[0]),
        first_item_since=parse_iso_utc(since[1]) if since[1] else None,
    )
