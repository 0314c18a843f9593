"""Settings → New recovery code: the passphrase again, then a new code (shown once, as on the
first day); the old code stops opening the vault."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from evidence_kit.errors import WrongPassphrase
from evidence_kit.ui.dialogs.buttons import act_or_cancel
from evidence_kit.ui.errors import error_text
from evidence_kit.ui.operations.safekeeping import new_recovery_code
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import grow_with_contents

EXPLAIN = (
    "A new recovery code replaces the one you have now: do this if your printed or saved code "
    "may have been seen or lost. Once it is made, the old code no longer opens this vault. "
    "(A backup made before today still opens with the old code and your passphrase of then.)"
)
REPLACED = (
    "Your new recovery code is in use. The old one no longer opens this vault: destroy the old "
    "printout or file. Your passphrase has not changed."
)


class NewRecoveryCodeDialog(QDialog):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.runner = runner
        self.code: str | None = None
        self.setWindowTitle("Evidence Kit — new recovery code")
        self.setAccessibleName("New recovery code")
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Your passphrase")
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        form = QFormLayout()
        form.addRow("Your &passphrase:", self.passphrase)
        buttons, self.ok = act_or_cancel(
            self, "&Make a new code", "Make a new recovery code", self.submit
        )
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(EXPLAIN, self))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def submit(self) -> None:
        if not self.passphrase.text():
            self.problem.setText("Type your passphrase first: it shows it is you.")
            return
        self.ok.setEnabled(False)
        self.problem.setText("Making a new code…")
        secret = self.passphrase.text()
        self.runner.submit(
            lambda job: new_recovery_code(job, secret), on_done=self._made, on_error=self._failed
        )

    def _made(self, code: str) -> None:
        self.code = code
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(exc, WrongPassphrase):
            self.problem.setText("That is not your passphrase. Nothing changed.")
        else:
            message, hint = error_text(exc)
            self.problem.setText(f"{message} {hint or ''}".strip())

    @classmethod
    def ask(cls, runner: TaskRunner, parent: QWidget | None = None) -> str | None:
        """The new code, or None if the person cancelled."""
        dialog = cls(runner, parent)
        dialog.exec()
        return dialog.code
