"""Why an item is withdrawn. The reason is required, and the dialog says so."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QPlainTextEdit, QVBoxLayout, QWidget

from evidence_kit.ui.dialogs.buttons import act_or_cancel
from evidence_kit.ui.widgets.text import ElidedLabel, plain_label
from evidence_kit.ui.windows import grow_with_contents

EXPLAIN = (
    "Withdrawing leaves this item out of what you hand over. Nothing is deleted: it stays in "
    "your vault with your reason, and the withdrawal is recorded in its history."
)


class WithdrawDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grow_with_contents(self)
        self.setWindowTitle("Evidence Kit — withdraw this item")
        self.setAccessibleName("Withdraw this item")
        what = ElidedLabel(title, self)
        what.setAccessibleDescription("Item")
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName("Why it is withdrawn")
        self.reason.setPlaceholderText("For example: added by mistake, or a copy of another item")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(100)
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        buttons, _ok = act_or_cancel(self, "&Withdraw", "Withdraw", self._accept)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(plain_label(EXPLAIN, self))
        layout.addWidget(plain_label("Why is it withdrawn?", self))
        layout.addWidget(self.reason)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def value(self) -> str:
        return self.reason.toPlainText().strip()

    def _accept(self) -> None:
        if not self.value():
            self.problem.setText("Write a reason first: it is kept with the item for good.")
            self.reason.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, title: str, parent: QWidget | None = None) -> str | None:
        dialog = cls(title, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
