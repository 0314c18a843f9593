"""The cases on the side of the main window: "All evidence", each case, "Not in a case yet"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from evidence_kit.model import NOT_IN_A_CASE, Case

ALL = "All evidence"
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Entry:
    """One row: everything (`case` None, not `uncased`), a case, or the items in none."""

    title: str
    count: int
    case: str | None = None
    uncased: bool = False


class CaseListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = [Entry(ALL, 0)]

    def set_cases(self, cases: list[Case], uncased: int, total: int) -> None:
        self.beginResetModel()
        self._entries = [
            Entry(ALL, total),
            *(Entry(case.name, case.item_count, case.name) for case in cases),
            Entry(NOT_IN_A_CASE, uncased, None, True),
        ]
        self.endResetModel()

    def names(self) -> list[str]:
        return [e.case for e in self._entries if e.case is not None]

    def entry(self, row: int) -> Entry:
        return self._entries[row] if 0 <= row < len(self._entries) else self._entries[0]

    def case_name(self, row: int) -> str | None:
        return self.entry(row).case

    def row_of(self, case: str | None, uncased: bool = False) -> int:
        for row, entry in enumerate(self._entries):
            if entry.case == case and entry.uncased == uncased:
                return row
        return 0

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{entry.title} ({entry.count})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{entry.title}, {entry.count} item(s)"
        if role == Qt.ItemDataRole.ToolTipRole:
            if entry.uncased:
                return "Evidence you have not put in a case yet"
            if entry.case is None:
                return "Everything in your vault"
            return f"The evidence in the case “{entry.case}”"
        return None
