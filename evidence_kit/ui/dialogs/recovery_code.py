"""The recovery code, shown once: save it as a file or print it, and say it was kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.errors import EvidenceKitError
from evidence_kit.ui.errors import show_error
from evidence_kit.ui.windows import grow_with_contents

EXPLAIN = (
    "<h2>Your recovery code</h2>"
    "<p>If you ever forget your passphrase, this code opens your vault instead. "
    "<b>This is the only time it is shown.</b> Print it or save it, and keep it somewhere "
    "safe and private — not on this computer alone.</p>"
)
NEW_CODE = (
    "<h2>Your new recovery code</h2>"
    "<p>This code now opens your vault if you forget your passphrase; "
    "<b>the old code no longer does.</b> This is the only time it is shown. Print it or save "
    "it, keep it somewhere safe and private, and destroy the old one.</p>"
)


def code_page(code: str, vault_folder: str) -> str:
    return (
        "Evidence Kit — recovery code\n\n"
        f"{code}\n\n"
        "This code opens your evidence vault if you forget your passphrase.\n"
        "Keep it private and safe. Anyone with this code and your computer can open the vault.\n"
        f"Vault folder: {vault_folder}\n"
    )


class RecoveryCodeDialog(QDialog):
    def __init__(
        self, code: str, vault_folder: str, parent: QWidget | None = None, explain: str = EXPLAIN
    ) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.code = code
        self.vault_folder = vault_folder
        self.setWindowTitle("Evidence Kit — your recovery code")
        self.setAccessibleName("Your recovery code")
        heading = QLabel(explain, self)
        heading.setWordWrap(True)
        shown = QLabel(code, self)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(font.pointSizeF() * 1.5 if font.pointSizeF() > 0 else 16)
        shown.setFont(font)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setAccessibleDescription("Recovery code")
        self.save_button = QPushButton("&Save as a file…", self)
        self.save_button.setAccessibleName("Save the recovery code as a file")
        self.print_button = QPushButton("&Print…", self)
        self.print_button.setAccessibleName("Print the recovery code")
        self.kept = QCheckBox("I have saved or printed my recovery code and put it somewhere safe")
        self.kept.setAccessibleName("I have kept my recovery code")
        self.buttons = QDialogButtonBox(self)
        self.continue_button = self.buttons.addButton(
            "Continue", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.continue_button.setAccessibleName("Continue")
        self.continue_button.setEnabled(False)
        self.continue_button.setDefault(True)  # Enter continues, once the box is ticked
        self.kept.toggled.connect(self.continue_button.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.save_button.clicked.connect(self._save)
        self.print_button.clicked.connect(self._print)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.print_button)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(shown)
        layout.addLayout(row)
        layout.addWidget(self.kept)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def reject(self) -> None:
        """Escape does not close it: the code must be kept first."""
        if self.kept.isChecked():
            super().reject()

    def save_to(self, path: Path) -> None:
        try:
            path.write_text(code_page(self.code, self.vault_folder), encoding="utf-8")
        except OSError as exc:
            raise EvidenceKitError(
                f"Cannot save the recovery code to {path}: {exc.strerror}.",
                hint="Choose another place, such as a USB stick.",
            ) from exc

    def _save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save the recovery code",
            str(Path.home() / "evidence-kit-recovery-code.txt"),
            "Text (*.txt)",
        )
        if name:
            try:
                self.save_to(Path(name))
            except EvidenceKitError as exc:
                show_error(self, exc)

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            document = QTextDocument()
            document.setPlainText(code_page(self.code, self.vault_folder))
            document.print_(printer)

    @classmethod
    def ask(
        cls, code: str, vault_folder: str, parent: QWidget | None = None, explain: str = EXPLAIN
    ) -> None:
        cls(code, vault_folder, parent, explain).exec()
