"""Help: the safeguarding guidance from the policy, and how the program works."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.paths import resource_path


def help_html(name: str) -> str:
    try:
        return resource_path("help", name).read_text(encoding="utf-8")
    except OSError:
        return "<p>The help pages are missing; please reinstall Evidence Kit.</p>"


class HelpDialog(QDialog):
    def __init__(self, page: str = "guidance.html", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Kit — help and guidance")
        self.setAccessibleName("Help and guidance")
        self.browser = QTextBrowser(self)
        self.browser.setHtml(help_html(page))
        self.browser.setAccessibleName("Help and guidance")
        self.browser.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 620)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> None:
        cls(parent=parent).exec()
