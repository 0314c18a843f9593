"""Keeping the vault safe: Settings → Back up… and its reminder, Settings → New recovery code…,
Settings → Trusted time-stamps…, and File → Open another vault or backup… (restoring a backup
is opening it)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from evidence_kit.ui.dialogs.new_recovery_code import REPLACED, NewRecoveryCodeDialog
from evidence_kit.ui.dialogs.progress import ProgressDialog
from evidence_kit.ui.dialogs.recovery_code import NEW_CODE, RecoveryCodeDialog
from evidence_kit.ui.dialogs.timestamp_settings import TimestampSettingsDialog
from evidence_kit.ui.dialogs.unlock import UnlockDialog
from evidence_kit.ui.errors import inform, show_error
from evidence_kit.ui.operations.items import load_item
from evidence_kit.ui.operations.safekeeping import BackedUp, make_backup, reminder, vault_in
from evidence_kit.ui.operations.stamps import authorities

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session

NOT_A_VAULT = (
    "That folder is not an Evidence Kit vault, and holds no backup of one:\n{folder}\n\n"
    "A vault (or a backup made with Settings → Back up…) is a folder that holds a file named "
    "keyslots.json; a backup folder's name starts with “evidence-kit-backup-”. Nothing was "
    "changed."
)


def backed_up_text(done: BackedUp) -> str:
    warnings = "".join(f"\n\n{warning}" for warning in done.warnings)
    return (
        "Your backup is made, and the copy was checked: every piece of evidence and its "
        f"history are in it.\n\nIt is in this folder:\n{done.folder}\n\n"
        "It is still encrypted, and opens with the same passphrase as your vault. Keep the "
        "disk somewhere safe, away from this computer. To restore it (on this computer or a "
        "new one), choose File → Open another vault or backup… and pick that folder."
        f"{warnings}"
    )


def choose_folder(parent: QWidget, title: str) -> Path | None:
    """A folder the person picks (tests replace this)."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(Path.home()))
    return Path(chosen) if chosen else None


class SafekeepingFlow(QObject):
    backed_up = Signal(object)  # BackedUp
    reminded = Signal(object)  # the banner's text, or None
    backup_started = Signal(object)  # the ProgressDialog (tests watch it)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        self.progress: ProgressDialog | None = None

    # -- the reminder ------------------------------------------------------------------------

    def check_reminder(self) -> None:
        def done(text: Any) -> None:
            self.session.window.backup_banner.remind(text)
            self.reminded.emit(text)

        # A reminder that cannot be worked out is no reason to interrupt the person: logged.
        self.session.runner.submit(
            reminder, on_done=done, on_error=lambda exc: log.warning("backup reminder: %s", exc)
        )

    # -- Settings → Back up… -----------------------------------------------------------------------

    def backup(self) -> None:
        window = self.session.window
        if self.progress is not None and self.progress.isVisible():
            self.progress.raise_()
            return
        destination = choose_folder(window, "Back up your vault to (a USB stick, another disk)")
        if destination is None:
            return
        # Not modal: the person can go on reading the vault while the copy is made.
        dialog = ProgressDialog(
            self.session.runner,
            lambda job: make_backup(job, destination),
            f"Making a backup in {destination}… then checking the copy. You can go on "
            "using Evidence Kit meanwhile.",
            parent=window,
        )
        dialog.setModal(False)
        dialog.setWindowTitle("Evidence Kit — backing up")
        dialog.finished.connect(lambda _code: self._backup_finished(dialog))
        self.progress = dialog
        self.backup_started.emit(dialog)
        dialog.show()

    def _backup_finished(self, dialog: ProgressDialog) -> None:
        self.progress = None
        window = self.session.window
        if dialog.error is not None:
            show_error(window, dialog.error)
            return
        done = dialog.result_value
        if done is None:
            return
        self.check_reminder()
        self.backed_up.emit(done)
        inform(window, backed_up_text(done))

    # -- Settings → New recovery code… -------------------------------------------------------------

    def new_recovery_code(self) -> None:
        window = self.session.window
        code = NewRecoveryCodeDialog.ask(self.session.runner, window)
        if code is None:
            return
        RecoveryCodeDialog.ask(code, str(self.session.folder), window, NEW_CODE)
        inform(window, REPLACED)

    # -- Settings → Trusted time-stamps… -------------------------------------------------------

    def timestamp_settings(self) -> None:
        runner, window = self.session.runner, self.session.window

        def loaded(current: Any) -> None:
            if TimestampSettingsDialog.ask(runner, current, window):
                self.session.stamper.kick()
                self.show_stamp()

        runner.submit(authorities, on_done=loaded)

    # -- File → Open another vault or backup… ---------------------------------------------------------

    def open_other(self) -> None:
        window = self.session.window
        chosen = choose_folder(window, "Open a vault or a backup folder")
        if chosen is None:
            return
        found = vault_in(chosen)
        if found is None:
            inform(window, NOT_A_VAULT.format(folder=chosen))
            return
        if found.resolve() == self.session.folder.resolve():
            inform(window, f"{found} is the vault that is open now.")
            return
        self.switch_vault(found)

    def switch_vault(self, folder: Path) -> None:
        """Lock this vault, unlock that one; if the person gives up there, this one is asked
        for again (or the program ends, as after a lock)."""
        session = self.session
        if session.is_locked:
            return
        before = session.folder
        session._close_vault_windows()
        note = f"Type the passphrase of the vault in {folder} to open it."
        if UnlockDialog.ask(session.runner, folder, session.clock, note=note):
            session.folder = folder
            session._opened()
        elif UnlockDialog.ask(session.runner, before, session.clock):
            session._opened()
        else:
            session.quit()

    # -- the item shown, after a time-stamp round ----------------------------------------------

    def show_stamp(self) -> None:
        """Update the shown item's details (its time-stamp line) without reloading its picture
        or conversation under the person's eyes."""
        detail = self.session.window.detail
        item_id = self.session.shown_item()
        if item_id is None:
            return

        def loaded(found: Any) -> None:
            if detail.item is not None and detail.item.id == item_id:
                detail._fill_facts(found)

        self.session.runner.submit(lambda job: load_item(job, item_id), on_done=loaded)
