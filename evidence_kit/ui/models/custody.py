"""An item's custody events: what was done to it, when, by whom."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from evidence_kit.model import CustodyEvent

COLUMNS = ("When", "What was done", "By", "Event hash")
AnyIndex = QModelIndex | QPersistentModelIndex


class CustodyModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events: list[CustodyEvent] = []

    def set_events(self, events: list[CustodyEvent]) -> None:
        self.beginResetModel()
        self._events = list(events)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event = self._events[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                event.at.astimezone().strftime("%d %b %Y %H:%M:%S"),
                event.action,
                event.owner if event.owner == event.os_user else f"{event.owner} ({event.os_user})",
                event.hash[:16],
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 3:
                return event.hash
            if index.column() == 0:
                return event.at.isoformat()
        return None
