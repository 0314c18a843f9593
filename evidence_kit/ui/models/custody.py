"""An item's custody events: what was done to it, when, by whom."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from evidence_kit.model import CustodyEvent
from evidence_kit.ui.models.table import AnyIndex, ColumnsTableModel

COLUMNS = ("When", "What was done", "By", "Link in the chain")
LINK_TIP = (
    "Each step's check code (SHA-256) covers the step before it, so no step can be changed or "
    "removed unnoticed. The whole code is in the tooltip of each line."
)


class CustodyModel(ColumnsTableModel):
    COLUMNS = COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and section == 3:
            return LINK_TIP
        return super().headerData(section, orientation, role)

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
                return f"{event.hash}\n{LINK_TIP}"
            if index.column() == 0:
                return event.at.isoformat()
        return None
