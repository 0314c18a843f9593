"""First run: make the vault. A passphrase twice, with a strength meter, and a name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.widgets.strength_meter import StrengthMeterWidget, refusal
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import grow_with_contents

INTRO = (
    "<h2>Welcome to Evidence Kit</h2>"
    "<p>Evidence Kit keeps your screenshots and messages safe in a locked, encrypted "
    "<b>vault</b> on this computer. Nothing in it can be changed or deleted, and every step "
    "is recorded.</p>"
    "<p>Choose a passphrase to lock it. A few words you will remember, that others would not "
    "guess, work best. Nobody — not even us — can open the vault without it, so you will "
    "also get a recovery code to keep somewhere safe.</p>"
)


@dataclass(frozen=True)
class NewVault:
    passphrase: str
    owner: str


@dataclass(frozen=True)
class ExistingVault:
    """The person already has a vault (on a USB stick, or in another folder)."""

    folder: Path


class CreateVaultDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.setWindowTitle("Evidence Kit — set up your vault")
        self.setAccessibleName("Set up your vault")
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.owner = QLineEdit(self)
        self.owner.setAccessibleName("Your name")
        self.owner.setPlaceholderText("As it should appear on what you hand over")
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("Passphrase again")
        self.meter = StrengthMeterWidget(self)
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        form = QFormLayout()
        form.addRow("Your &name:", self.owner)
        form.addRow("&Passphrase:", self.passphrase)
        form.addRow("", self.meter)
        form.addRow("Passphrase &again:", self.repeat)
        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton(
            "Create my vault", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setAccessibleName("Create my vault")
        self.open_button = self.buttons.addButton(
            "I already have a vault…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.setAccessibleName("Open a vault I already have")
        self.open_button.clicked.connect(self._choose_existing)
        self.existing: Path | None = None
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # The window grows as the meter and messages appear (nothing is cut off).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._example: str | None = None
        self.passphrase.textChanged.connect(self._changed)
        self.repeat.textChanged.connect(self._changed)
        self.owner.textChanged.connect(self._changed)
        self._changed()
        self.create_button.setDefault(True)
        self.setMinimumWidth(520)

    def problems(self) -> str:
        """What is still missing, in plain words ('' when the vault can be made)."""
        first, second = self.passphrase.text(), self.repeat.text()
        refused = refusal(
            first, [self.owner.text()]
        )  # the vault's own rule, as on the command line
        if refused:
            return refused
        if first != second:
            return "Type the same passphrase again in the second box."
        return ""

    def _changed(self) -> None:
        self.meter.update_for(self.passphrase.text(), [self.owner.text()])
        self.problem.setText(self.problems())

    def _accept(self) -> None:
        problem = self.problems()
        self.problem.setText(problem)
        if not problem:
            self.accept()

    def _choose_existing(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from evidence_kit.vault import is_vault

        chosen = QFileDialog.getExistingDirectory(self, "Choose the folder of your vault")
        if not chosen:
            return
        if not is_vault(Path(chosen)):
            QMessageBox.information(
                self,
                "Evidence Kit",
                f"There is no Evidence Kit vault in {chosen}. Choose the folder that holds "
                "evidence.db and keyslots.json.",
            )
            return
        self.existing = Path(chosen)
        self.accept()

    def result_value(self) -> NewVault | ExistingVault:
        if self.existing is not None:
            return ExistingVault(self.existing)
        return NewVault(self.passphrase.text(), self.owner.text().strip())

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> NewVault | ExistingVault | None:
        dialog = cls(parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.result_value()
        return None
