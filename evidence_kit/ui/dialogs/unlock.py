"""Unlock the vault. A wrong passphrase gets a calm line and another try."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.clock import Clock
from evidence_kit.errors import WrongPassphrase, WrongRecoveryCode
from evidence_kit.ui.errors import show_error
from evidence_kit.ui.operations.vault_ops import open_vault
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import grow_with_contents

WRONG = (
    "That did not open the vault. Nothing has changed and nothing is lost. "
    "Take your time and try again: capital letters and spaces count."
)
WRONG_CODE = (
    "That recovery code did not open the vault. Check each group of letters and digits "
    "on your printed or saved page, and try again."
)


class UnlockDialog(QDialog):
    def __init__(
        self,
        runner: TaskRunner,
        folder: Path,
        clock: Clock | None = None,
        parent: QWidget | None = None,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.runner = runner
        self.folder = folder
        self.clock = clock
        self.attempts = 0
        self.setWindowTitle("Evidence Kit — unlock")
        self.setAccessibleName("Unlock your vault")
        title = QLabel("<h2>Unlock your evidence vault</h2>", self)
        self.note = note or "Type your passphrase to open your vault."
        self.explain = plain_label(self.note, self)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Passphrase")
        self.use_code = QCheckBox("I forgot it: use my &recovery code instead", self)
        self.use_code.setAccessibleName("Use my recovery code instead")
        self.use_code.toggled.connect(self._mode_changed)
        self.message = plain_label("", self)
        self.message.setAccessibleDescription("Message")
        self.buttons = QDialogButtonBox(self)
        self.unlock_button = self.buttons.addButton(
            "Unlock", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)
        quit_button = self.buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setAccessibleName("Close")
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # The window grows with its message (a long one is never cut off).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        for widget in (title, self.explain, self.secret, self.use_code, self.message, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(460)

    def _mode_changed(self, recovery: bool) -> None:
        self.secret.clear()
        self.secret.setAccessibleName("Recovery code" if recovery else "Passphrase")
        self.secret.setEchoMode(
            QLineEdit.EchoMode.Normal if recovery else QLineEdit.EchoMode.Password
        )
        self.explain.setText(
            "Type the recovery code you printed or saved (the dashes do not matter)."
            if recovery
            else self.note
        )

    def try_unlock(self) -> None:
        secret = self.secret.text()
        if not secret:
            self.message.setText("Type your passphrase first.")
            return
        self.unlock_button.setEnabled(False)
        self.message.setText("Opening…")
        folder, recovery, clock = self.folder, self.use_code.isChecked(), self.clock
        self.runner.submit(
            lambda job: open_vault(job, folder, secret, recovery, clock),
            on_done=lambda owner: self.accept(),
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.attempts += 1
        self.unlock_button.setEnabled(True)
        self.secret.selectAll()
        self.secret.setFocus()
        if isinstance(exc, WrongPassphrase | WrongRecoveryCode):
            self.message.setText(WRONG_CODE if isinstance(exc, WrongRecoveryCode) else WRONG)
        else:
            self.message.setText("")
            show_error(self, exc)

    @classmethod
    def ask(
        cls,
        runner: TaskRunner,
        folder: Path,
        clock: Clock | None = None,
        parent: QWidget | None = None,
        note: str = "",
    ) -> bool:
        return cls(runner, folder, clock, parent, note).exec() == QDialog.DialogCode.Accepted
