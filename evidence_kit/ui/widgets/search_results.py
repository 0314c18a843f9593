"""Search across everything: the hits (messages, notes, places), each opening its item."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from evidence_kit.ui.operations.search import Hit

HitRole = Qt.ItemDataRole.UserRole + 1


class SearchResultsWidget(QWidget):
    """Emits `chosen(item_id, message_index or None)` when a hit is opened (Enter or click)."""

    chosen = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleDescription("Search result count")
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels(["Found in", "What", "Text"])
        self.list.setAccessibleName("Search results")
        self.list.setRootIsDecorated(False)
        self.list.setTabKeyNavigation(False)
        self.list.setColumnWidth(0, 220)
        self.list.setColumnWidth(1, 90)
        self.list.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.hits: list[Hit] = []

    def show_hits(self, text: str, hits: list[Hit]) -> None:
        self.hits = hits
        self.list.clear()
        for hit in hits:
            entry = QTreeWidgetItem([f"{hit.title} ({hit.when})", hit.kind, hit.snippet])
            for column in range(3):
                entry.setToolTip(column, entry.text(column))
            entry.setData(0, HitRole, (hit.item_id, hit.message_index))
            self.list.addTopLevelItem(entry)
        if hits:
            self.summary.setText(
                f"{len(hits)} place(s) mention “{text}”. Press Enter (or double-click) to open one."
            )
            first = self.list.topLevelItem(0)
            if first is not None:
                self.list.setCurrentItem(first)
        else:
            self.summary.setText(
                f"Nothing in your vault mentions “{text}”. Try fewer words, or the start of a word."
            )

    def _activated(self, entry: QTreeWidgetItem, _column: int) -> None:
        item_id, index = entry.data(0, HitRole)
        self.chosen.emit(int(item_id), index)
