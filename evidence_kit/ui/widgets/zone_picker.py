"""A time zone chosen by typing a city or a country: matching places are listed to pick from."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from evidence_kit import timezones


def zone_now(zone: str) -> str:
    offset = datetime.now(ZoneInfo(zone)).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}" if len(offset) == 5 else "UTC"


class ZonePickerWidget(QWidget):
    changed = Signal()

    def __init__(self, zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setAccessibleName("City or country")
        self.search.setPlaceholderText("Type a city or a country, e.g. London or Spain")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Matching time zones")
        self.list.setMaximumHeight(140)
        self.chosen = QLabel(self)
        self.chosen.setTextFormat(Qt.TextFormat.PlainText)
        self.chosen.setWordWrap(True)
        self.chosen.setAccessibleDescription("Chosen time zone")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.chosen)
        self._zone: str | None = None
        self.search.textChanged.connect(self._typed)
        self.list.currentItemChanged.connect(self._picked)
        self.search.setText(timezones.city(zone) if zone != "UTC" else "UTC")
        self._select(zone)

    def _typed(self, text: str) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for match in timezones.matches(text):
            entry = QListWidgetItem(match.label)
            entry.setData(Qt.ItemDataRole.UserRole, match.zone)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        unique = timezones.resolve(text)
        self._select(unique) if unique else self._set(None)

    def _select(self, zone: str | None) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == zone:
                self.list.setCurrentRow(row)
                return
        self._set(None)

    def _picked(self, current: QListWidgetItem | None, _previous: object = None) -> None:
        self._set(current.data(Qt.ItemDataRole.UserRole) if current is not None else None)

    def _set(self, zone: str | None) -> None:
        self._zone = zone
        if zone:
            self.chosen.setText(f"Times will be read as {zone} (now {zone_now(zone)}).")
        elif self.search.text().strip() and self.list.count() == 0:
            self.chosen.setText(
                f"No place called “{self.search.text().strip()}” was found. Try the nearest "
                "big city, or the country."
            )
        elif self.search.text().strip():
            self.chosen.setText("Choose one of the places above.")
        else:
            self.chosen.setText("Type a city or a country.")
        self.changed.emit()

    def zone(self) -> str | None:
        return self._zone

    def problem(self) -> str:
        return "" if self._zone else self.chosen.text()
