"""A calm line above the timeline when a backup is due: what is at stake, and one button.
Not a dialog: it waits until the person has a moment; "Later" hides it until the next unlock."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from evidence_kit.ui.widgets.text import plain_label


class BackupBannerWidget(QFrame):
    backup_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backup-banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Backup reminder")
        self.text = plain_label("", self)
        self.text.setAccessibleDescription("Backup reminder")
        self.button = QPushButton("&Back up now…", self)
        self.button.setAccessibleName("Back up now")
        self.button.clicked.connect(self.backup_requested.emit)
        self.later = QPushButton("Later", self)
        self.later.setAccessibleName("Remind me later")
        self.later.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.later)
        self.hide()

    def remind(self, text: str | None) -> None:
        """Show `text`, or hide the banner when no reminder is due (None)."""
        self.text.setText(text or "")
        self.setVisible(bool(text))
