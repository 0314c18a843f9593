"""The vault itself, on the worker: make, open, close; passphrase; the timeline's contents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidence_kit.clock import Clock
from evidence_kit.model import Case
from evidence_kit.ui.tasks import Job
from evidence_kit.vault import KdfParams, Vault


def create_vault(
    job: Job, folder: Path, passphrase: str, owner: str, kdf: KdfParams | None, clock: Clock | None
) -> str:
    """Make the vault and hand it to the runner; returns the recovery code (shown once)."""
    created = Vault.create(folder, passphrase, owner=owner or None, kdf=kdf, clock=clock)
    job.runner.set_vault(job, created.vault)
    return created.recovery_code


HOLDER = "the Evidence Kit window"  # what a second program is told holds the vault


def open_vault(job: Job, folder: Path, secret: str, recovery: bool, clock: Clock | None) -> str:
    """Open the vault and hand it to the runner. Returns the owner's name."""
    if recovery:
        vault = Vault.open_with_recovery_code(folder, secret, clock=clock, holder=HOLDER)
    else:
        vault = Vault.open(folder, secret, clock=clock, holder=HOLDER)
    job.runner.set_vault(job, vault)
    return vault.owner


def close_vault(job: Job) -> None:
    job.runner.set_vault(job, None)


def change_passphrase(job: Job, current: str, new: str) -> None:
    """The current passphrase is asked again: someone at an unlocked PC cannot change it."""
    vault = job.need_vault()
    vault.confirm(current)
    vault.change_passphrase(new)


def reset_passphrase(job: Job, code: str, new: str) -> None:
    """With the recovery code instead of the old passphrase."""
    vault = job.need_vault()
    vault.confirm(code, recovery_code=True)
    vault.change_passphrase(new, with_recovery_code=True)


@dataclass(frozen=True)
class Timeline:
    owner: str
    cases: tuple[Case, ...]
    uncased: int
    ids: tuple[int, ...]


def timeline(job: Job, case: str | None, uncased: bool = False) -> Timeline:
    """What the main window shows: the cases (current names, counts) and the item ids."""
    vault = job.need_vault()
    return Timeline(
        vault.owner,
        tuple(vault.cases()),
        vault.uncased_count(),
        tuple(vault.item_ids(case, top_level=True, uncased=uncased)),
    )
