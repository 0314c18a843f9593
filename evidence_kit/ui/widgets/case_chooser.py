"""Which case something goes in: an existing case, no case yet, or a new one (typed here)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from evidence_kit.model import NOT_IN_A_CASE
from evidence_kit.ui.windows import narrow_combo

NEW_CASE = "A new case…"


class CaseChooserWidget(QWidget):
    """`case()` is the chosen case's name, None for no case; `problem()` says what is missing."""

    changed = Signal()

    def __init__(
        self, cases: list[str], current: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.combo = narrow_combo(QComboBox(self))
        self.combo.setAccessibleName("Case")
        self.combo.setAccessibleDescription("Case")
        self.combo.addItem(NOT_IN_A_CASE, None)
        for name in cases:
            self.combo.addItem(name, name)
        self.combo.addItem(NEW_CASE, NEW_CASE)
        self.combo.setToolTip("A case groups the evidence about one situation.")
        self.new_name = QLineEdit(self)
        self.new_name.setAccessibleName("Name of the new case")
        self.new_name.setPlaceholderText("Name of the new case, e.g. Night shift group")
        self.new_name.setMaxLength(200)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.new_name, 1)
        index = self.combo.findData(current) if current in cases else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.currentIndexChanged.connect(self._changed)
        self.new_name.textChanged.connect(lambda _text: self.changed.emit())
        self._changed()

    def _changed(self) -> None:
        new = self.combo.currentData() == NEW_CASE
        self.new_name.setVisible(new)
        if new:
            self.new_name.setFocus()
        self.changed.emit()

    def case(self) -> str | None:
        data = self.combo.currentData()
        if data == NEW_CASE:
            return " ".join(self.new_name.text().split()) or None
        return data if isinstance(data, str) else None

    def problem(self) -> str:
        if self.combo.currentData() == NEW_CASE and not self.new_name.text().strip():
            return "Type a name for the new case (or choose another)."
        return ""
