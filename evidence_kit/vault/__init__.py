"""The encrypted, append-only vault.

What the two faces use (the CLI in cli/, the GUI through ui/tasks.py's worker):

- `Vault.create(folder, passphrase, owner=…)` → `Created(vault, recovery_code)`; only this makes a
  database. `Vault.open(folder, passphrase, holder=…)` / `Vault.open_with_recovery_code(…)`
  open any vault folder — the default one, another one, or a backup (a backup *is* a vault);
  `holder` is what a second program is told holds it ("the Evidence Kit window").
  `folder.preflight(folder)` says, without a passphrase, whether a folder holds a whole vault
  (raises the plain error otherwise); `is_vault(folder)` only whether there is one at all.
- `Vault.open_for_check(…)` + `check.check_vault(vault, progress=, cancel=)` → `CheckReport`.
- `vault.change_passphrase(new)`; `vault.replace_recovery_code()` → the new code, shown once
  (the old one stops working; an old copy of keyslots.json still opens with it).
- `strength.judge(passphrase, [owner])` → `Strength` (score, acceptable, summary, reason) for a
  meter; `strength.suggest_passphrase()` four random words.
- `backup.plan_backup(vault, dest)` → `BackupPlan` (raises `BackupError` before anything is
  written; `.warnings` to show first, e.g. a FAT/exFAT disk); `backup.backup(vault, dest,
  progress=, cancel=)` → `BackupResult`; `backup.backup_status(vault)` → `BackupStatus` (when
  the last backup was made, how many items since) for a reminder.
"""

from evidence_kit.vault.folder import DB_NAME, KEYSLOTS_NAME, is_vault
from evidence_kit.vault.keys import TEST_KDF, KdfParams
from evidence_kit.vault.vault import Created, Vault
from evidence_kit.vault.writer import Writer

__all__ = [
    "DB_NAME",
    "KEYSLOTS_NAME",
    "TEST_KDF",
    "Created",
    "KdfParams",
    "Vault",
    "Writer",
    "is_vault",
]
