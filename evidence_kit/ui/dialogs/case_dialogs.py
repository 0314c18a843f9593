"""Small questions about cases: a name for a new case or a renamed one; where to move items."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.dialogs.buttons import act_or_cancel
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import grow_with_contents, narrow_combo


class CaseNameDialog(QDialog):
    """Asks for a case name; an empty or taken name is said, not silently ignored."""

    def __init__(
        self,
        title: str,
        explain: str,
        taken: list[str],
        current: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.setWindowTitle(f"Evidence Kit — {title.lower()}")
        self.setAccessibleName(title)
        self.taken = {name.casefold() for name in taken if name != current}
        self.name = QLineEdit(current, self)
        self.name.setAccessibleName("Case name")
        self.name.setMaxLength(200)
        self.name.setPlaceholderText("A few words, e.g. Night shift group")
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        buttons, _ok = act_or_cancel(self, "&OK", title, self._accept)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(explain, self))
        layout.addWidget(self.name)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.original = current
        self.setMinimumWidth(420)

    def value(self) -> str:
        return " ".join(self.name.text().split())

    def _accept(self) -> None:
        name = self.value()
        if not name:
            self.problem.setText("Type a name for the case.")
        elif name.casefold() in self.taken:
            self.problem.setText(f"There is already a case called “{name}”. Choose another name.")
        elif name == self.original:
            self.problem.setText("That is its name already. Type the new name.")
        else:
            self.accept()

    @classmethod
    def ask(
        cls,
        title: str,
        explain: str,
        taken: list[str],
        current: str = "",
        parent: QWidget | None = None,
    ) -> str | None:
        dialog = cls(title, explain, taken, current, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class MoveDialog(QDialog):
    """Which case the chosen items go to."""

    def __init__(
        self, count: int, cases: list[str], current: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.setWindowTitle("Evidence Kit — move to another case")
        self.setAccessibleName("Move to another case")
        self.case = narrow_combo(QComboBox(self))
        self.case.setAccessibleName("Case to move to")
        self.case.setAccessibleDescription("Case to move to")
        others = [name for name in cases if name != current] or cases
        self.case.addItems(others)
        explain = (
            f"Put the {count} item(s) you chose in this case. The move is recorded in their "
            "history; nothing about the evidence itself changes. A conversation's attachments "
            "move with it."
        )
        buttons, _ok = act_or_cancel(self, "&Move", "Move", self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(explain, self))
        layout.addWidget(self.case)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @classmethod
    def ask(
        cls, count: int, cases: list[str], current: str | None, parent: QWidget | None = None
    ) -> str | None:
        dialog = cls(count, cases, current, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.case.currentText():
            return dialog.case.currentText()
        return None
