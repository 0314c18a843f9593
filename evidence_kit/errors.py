"""The one exception hierarchy.

Every error a person can meet is an `EvidenceKitError`: its message says what went wrong in
plain words, its hint what to do, and it carries the exit code the command line uses. Errors
from third-party libraries are wrapped at the edge of the core and never reach the CLI or GUI.
A message never contains a passphrase, a key or evidence content.
"""

from __future__ import annotations

from pathlib import Path


class EvidenceKitError(Exception):
    """Something went wrong."""

    exit_code = 1
    hint: str | None = None

    def __init__(self, message: str | None = None, *, hint: str | None = None) -> None:
        self.message = message or (self.__doc__ or "Something went wrong.").strip()
        if hint is not None:
            self.hint = hint
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


# --- vault -----------------------------------------------------------------------------------


class VaultError(EvidenceKitError):
    """The vault could not be used."""


class NoVault(VaultError):
    """There is no vault here."""

    hint = "Create one with `evidence-kit init`, or point to yours with --vault."

    def __init__(self, folder: Path) -> None:
        super().__init__(f"There is no Evidence Kit vault in {folder}.")


class VaultExists(VaultError):
    """A vault already exists here."""

    hint = "Open it, or choose another folder with --vault."

    def __init__(self, folder: Path) -> None:
        super().__init__(f"There is already an Evidence Kit vault in {folder}.")


class WrongPassphrase(VaultError):
    """The passphrase is not right for this vault."""

    hint = "Check it and try again. If you have lost it, use your recovery code (`evidence-kit recover`)."


class WrongRecoveryCode(VaultError):
    """The recovery code is not right for this vault."""

    hint = "Check each group of letters and digits on the page you printed or saved, and try again."


class VaultInUse(VaultError):
    """The vault is open in another Evidence Kit."""

    hint = "Close the other Evidence Kit window or command first, then try again."

    def __init__(
        self, pid: int | None, holder: str | None = None, since: str | None = None
    ) -> None:
        what = f": {holder}" if holder else ""
        who = f" (pid {pid}{', since ' + since if since else ''})" if pid else ""
        super().__init__(f"The vault is open in another Evidence Kit{what}{who}.")
        self.pid = pid


class VaultCorrupted(VaultError):
    """The vault is damaged."""

    exit_code = 3
    hint = (
        "Nothing has been changed. Run `evidence-kit check` to see what is damaged, and keep a "
        "copy of the whole vault folder before trying anything else."
    )


RESTORE_HINT = (
    "Nothing was changed. Put back the vault's files from your latest backup (a backup is a "
    "vault of its own: you can also open it as it is with --vault), and keep a copy of this "
    "folder as it is."
)


class VaultIncomplete(VaultCorrupted):
    """A file of the vault is missing, empty or not the vault's own.

    Evidence Kit never makes a new database in place of a missing or empty one: only
    `evidence-kit init` creates a vault.
    """

    hint = RESTORE_HINT


class ForeignKeySlots(VaultCorrupted):
    """The key file belongs to another vault's database."""

    hint = (
        "Nothing was changed. Put back the keyslots.json that came with this evidence.db (from "
        "the same backup), or open the other vault as it is with --vault."
    )


class KeySlotsTampered(VaultCorrupted):
    """The key file has been altered."""

    hint = (
        "Nothing was run or changed. Put back keyslots.json from your backup. If you did not "
        "change it yourself, someone with access to this computer may have."
    )


class RolledBack(VaultCorrupted):
    """This vault's database is older than its last recorded state."""

    hint = (
        "Nothing was changed. Something (a sync tool, a restored copy, another person) put back "
        "an older evidence.db or removed the vault's anchor. Put back the newest copy of the "
        "vault's files from your backup; `evidence-kit check` lists what it can see."
    )


class DiskFull(VaultError):
    """There is not enough room on the disk."""

    hint = "Free some space (or choose another disk) and try again. Nothing was saved, and nothing already in the vault was changed."


class VaultLocked(VaultError):
    """The vault is locked."""

    hint = "Unlock it with your passphrase."


class WeakPassphrase(VaultError):
    """That passphrase would be too easy to guess."""

    exit_code = 2


class NotFound(VaultError):
    """No such item."""

    exit_code = 1


class Refused(VaultError):
    """That cannot be done to evidence."""


class UnsupportedVault(VaultError):
    """This vault was made by a newer Evidence Kit."""

    hint = "Install the latest Evidence Kit and open it with that."


# --- input files -----------------------------------------------------------------------------


class InputFileError(EvidenceKitError):
    """A file could not be read."""

    exit_code = 1


class FileChanged(InputFileError):
    """The file changed while it was being read; nothing was stored."""

    hint = "Wait until whatever writes it (a download, a sync, a recording) has finished, then try again."


class BackupError(VaultError):
    """The backup could not be made."""


class Cancelled(EvidenceKitError):
    """Cancelled; nothing was saved."""

    exit_code = 130


# --- capture, import, export, verify (children are added by those packages) ------------------


class CaptureError(EvidenceKitError):
    """The screen could not be captured."""


class ImportFailed(EvidenceKitError):
    """The file could not be imported."""


class ExportError(EvidenceKitError):
    """The bundle could not be made."""


class VerificationError(EvidenceKitError):
    """The bundle could not be checked."""


class TimestampError(EvidenceKitError):
    """Time-stamps could not be asked for or checked."""


class TransportError(EvidenceKitError):
    """The bundle could not be encrypted or decrypted for transport (age)."""


def input_error(path: Path, exc: OSError) -> InputFileError:
    """An `InputFileError` that names `path` and says what is wrong with it in plain words."""
    import errno

    reason = {
        errno.ENOENT: "it does not exist",
        errno.EACCES: "you do not have permission to read it",
        errno.EPERM: "you do not have permission to read it",
        errno.EISDIR: "it is a folder, not a file",
        errno.EIO: "the disk reported a read error",
    }.get(exc.errno or 0, exc.strerror or "it could not be read")
    return InputFileError(f"Cannot read {path}: {reason}.", hint="Check the name and try again.")
