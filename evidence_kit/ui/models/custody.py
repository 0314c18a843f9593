"""An item's custody events: what was done to it, when, by whom."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from evidence_kit.model import CustodyEvent
from evidence_kit.ui.models.table import AnyIndex, ColumnsTableModel

COLUMNS = ("When", "What was done", "By", "Event hash")


class CustodyModel(ColumnsTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._events: list[CustodyEvent] = []

    def set_events(self, events: list[CustodyEvent]) -> None:
        self.beginResetModel()
        self._events = list(events)
        self.endResetModel()

    def _count(self) -> int:
        return len(self._events)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event = self._events[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                event.at.astimezone().strftime("%d %b %Y %H:%M:%S"),
                event.action,
                event.actor,
                event.hash[:16],
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 3:
                return event.hash
            if index.column() == 0:
                return event.at.isoformat()
        return None
