"""The one time-zone question of an import whose times carry no zone."""

from __future__ import annotations

import zoneinfo

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)


class TimeZoneDialog(QDialog):
    """'Times in this file are read as Europe/London — change?'"""

    def __init__(self, label: str, zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Kit — time zone")
        text = QLabel(
            f"<p>This {label} writes its times without saying which time zone they are in.</p>"
            f"<p><b>Times in this file are read as {zone}</b> (this computer's zone). "
            "If the phone or computer that made the export was set to another zone, choose "
            "it here. Your choice is recorded with the import.</p>",
            self,
        )
        text.setWordWrap(True)
        self.zone = QComboBox(self)
        self.zone.setEditable(True)
        self.zone.addItems(sorted(zoneinfo.available_timezones()))
        self.zone.setCurrentText(zone)
        self.zone.setAccessibleName("Time zone of the times in the file")
        buttons = QDialogButtonBox(self)
        ok = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setAccessibleName("Import with this time zone")
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.zone)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    @classmethod
    def ask(cls, label: str, zone: str, parent: QWidget | None = None) -> str | None:
        dialog = cls(label, zone, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.zone.currentText().strip() or zone
        return None
