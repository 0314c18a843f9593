"""The cases on the side of the main window: "All evidence" first, then each case by name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

ALL = "All evidence"
CaseNameRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


class CaseListModel(QAbstractListModel):
    """Row 0 is every item; the other rows are cases. `case_name(row)` is None for row 0."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []

    def set_cases(self, names: list[str]) -> None:
        self.beginResetModel()
        self._names = list(names)
        self.endResetModel()

    def names(self) -> list[str]:
        return list(self._names)

    def case_name(self, row: int) -> str | None:
        return self._names[row - 1] if 1 <= row <= len(self._names) else None

    def row_of(self, name: str | None) -> int:
        if name is None or name not in self._names:
            return 0
        return self._names.index(name) + 1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._names) + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() <= len(self._names):
            return None
        name = self.case_name(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return ALL if name is None else name
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Everything in your vault" if name is None else f"The evidence in case {name}"
        if role == CaseNameRole:
            return name
        return None
