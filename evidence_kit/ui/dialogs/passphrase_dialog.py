"""Settings → Change passphrase: the current one (or the recovery code), then a new one twice.
The same strength rule as `evidence-kit passphrase`; the evidence is not re-encrypted."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.errors import WrongPassphrase, WrongRecoveryCode
from evidence_kit.ui.dialogs.buttons import act_or_cancel
from evidence_kit.ui.errors import error_text
from evidence_kit.ui.operations.vault_ops import change_passphrase, reset_passphrase
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.strength_meter import StrengthMeterWidget, refusal
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import grow_with_contents

EXPLAIN = (
    "Your new passphrase locks the vault from now on. Your evidence is not touched, and your "
    "recovery code keeps working."
)


class PassphraseDialog(QDialog):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.runner = runner
        self.setWindowTitle("Evidence Kit — change your passphrase")
        self.setAccessibleName("Change your passphrase")
        self.current = QLineEdit(self)
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.current.setAccessibleName("Current passphrase")
        self.use_code = QCheckBox("I forgot it: use my &recovery code instead", self)
        self.use_code.setAccessibleName("Use my recovery code instead")
        self.use_code.toggled.connect(self._mode)
        self.new = QLineEdit(self)
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        self.new.setAccessibleName("New passphrase")
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("New passphrase again")
        self.meter = StrengthMeterWidget(self)
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        form = QFormLayout()
        self.current_label = "&Current passphrase:"
        form.addRow(self.current_label, self.current)
        form.addRow("", self.use_code)
        form.addRow("&New passphrase:", self.new)
        form.addRow("", self.meter)
        form.addRow("New passphrase &again:", self.again)
        self.form = form
        buttons, self.ok = act_or_cancel(
            self, "Change &passphrase", "Change passphrase", self.submit
        )
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(EXPLAIN, self))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.new.textChanged.connect(lambda text: self.meter.update_for(text))
        self.setMinimumWidth(480)

    def _mode(self, recovery: bool) -> None:
        self.current.clear()
        self.current.setEchoMode(
            QLineEdit.EchoMode.Normal if recovery else QLineEdit.EchoMode.Password
        )
        self.current.setAccessibleName("Recovery code" if recovery else "Current passphrase")
        label = self.form.labelForField(self.current)
        if label is not None:
            label.setText("&Recovery code:" if recovery else self.current_label)  # type: ignore[attr-defined]

    def problems(self) -> str:
        if not self.current.text():
            return (
                "Type your recovery code."
                if self.use_code.isChecked()
                else "Type your current passphrase."
            )
        refused = refusal(self.new.text())
        if refused:
            return refused
        if self.new.text() != self.again.text():
            return "Type the same new passphrase again in the last box."
        return ""

    def submit(self) -> None:
        problem = self.problems()
        if problem:
            self.problem.setText(problem)
            return
        self.ok.setEnabled(False)
        self.problem.setText("Changing…")
        secret, new = self.current.text(), self.new.text()
        if self.use_code.isChecked():
            self.runner.submit(
                lambda job: reset_passphrase(job, secret, new),
                on_done=lambda _r: self.accept(),
                on_error=self._failed,
            )
        else:
            self.runner.submit(
                lambda job: change_passphrase(job, secret, new),
                on_done=lambda _r: self.accept(),
                on_error=self._failed,
            )

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(exc, WrongRecoveryCode):
            self.problem.setText("That recovery code is not right for this vault. Nothing changed.")
        elif isinstance(exc, WrongPassphrase):
            self.problem.setText("That is not your current passphrase. Nothing changed.")
        else:
            message, hint = error_text(exc)
            self.problem.setText(f"{message} {hint or ''}".strip())

    @classmethod
    def ask(cls, runner: TaskRunner, parent: QWidget | None = None) -> bool:
        return cls(runner, parent).exec() == QDialog.DialogCode.Accepted
