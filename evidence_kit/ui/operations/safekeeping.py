"""Keeping the vault safe, on the worker: a backup, the backup reminder, a new recovery code.

`reminder()` is the rule of the main window's banner: evidence was added since the last backup
(or there never was one) and the oldest of it has waited a week. The last backup is read from
the custody chain (`vault/backup.py`'s `backup_status`), never from a setting on this computer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from evidence_kit.ui.tasks import Job

REMIND_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class BackedUp:
    folder: Path
    size: int
    warnings: tuple[str, ...]


def make_backup(job: Job, destination: Path) -> BackedUp:
    """Copy, check and record the backup (the core's `backup`), with progress and cancel."""
    from evidence_kit.vault.backup import backup

    result = backup(job.need_vault(), destination, progress=job.progress, cancel=job.cancel)
    return BackedUp(result.folder, result.size, result.warnings)


def reminder_text(
    last_at: datetime | None, items_since: int, first_since: datetime | None, now: datetime
) -> str | None:
    """The banner's words, or None when no reminder is due."""
    if items_since == 0 or first_since is None or now - first_since < REMIND_AFTER:
        return None
    things = "1 piece of evidence" if items_since == 1 else f"{items_since} pieces of evidence"
    if last_at is None:
        return (
            f"You have {things} and no backup yet. A copy on a USB stick keeps it safe if "
            "this computer is lost or breaks."
        )
    return (
        f"Your last backup was on {last_at.astimezone():%d %B %Y}. {things.capitalize()} "
        "added since then would be lost with this computer: make a fresh copy."
    )


def reminder(job: Job) -> str | None:
    from evidence_kit.vault.backup import backup_status

    vault = job.need_vault()
    status = backup_status(vault)
    return reminder_text(
        status.last_at, status.items_since, status.first_item_since, vault.clock.now()
    )


def new_recovery_code(job: Job, passphrase: str) -> str:
    """The passphrase is asked again (someone at an unlocked PC cannot do this); the old code
    stops opening the vault. Returns the new code, to show once."""
    vault = job.need_vault()
    vault.confirm(passphrase)
    return vault.replace_recovery_code()


def vault_in(folder: Path) -> Path | None:
    """`folder` if it is a vault; else the newest backup inside it (a backup destination was
    chosen); else None."""
    from evidence_kit.vault import is_vault
    from evidence_kit.vault.backup import PREFIX

    if is_vault(folder):
        return folder
    try:
        found = sorted(
            child
            for child in folder.iterdir()
            if child.name.startswith(PREFIX) and child.is_dir() and is_vault(child)
        )
    except OSError:
        return None
    return found[-1] if found else None
