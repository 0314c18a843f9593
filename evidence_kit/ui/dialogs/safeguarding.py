"""Shown before the first capture: the rule about images of children (policy 2.7.4)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.dialogs.help import help_html


class SafeguardingDialog(QDialog):
    """Shown before the first capture: the rule about images of children (policy 2.7.4)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Kit — before you capture")
        self.setAccessibleName("Before you capture")
        self.browser = QTextBrowser(self)
        self.browser.setHtml(help_html("safeguarding.html"))
        self.browser.setAccessibleName("Before you capture")
        self.understood = QCheckBox("I understand", self)
        self.understood.setAccessibleName("I understand")
        buttons = QDialogButtonBox(self)
        self.go = buttons.addButton("Continue to capture", QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setAccessibleName("Continue to capture")
        self.go.setEnabled(False)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.understood.toggled.connect(self.go.setEnabled)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(self.understood)
        layout.addWidget(buttons)
        self.resize(560, 360)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> bool:
        return cls(parent).exec() == QDialog.DialogCode.Accepted
