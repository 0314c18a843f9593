"""What the two redaction dialogs share: the reason (required, kept with the copy), what is
still needed, and Save / Cancel. A dialog says what is missing of its own choice (`missing`)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLineEdit, QWidget

from evidence_kit.ui.dialogs.buttons import act_or_cancel
from evidence_kit.ui.widgets.text import plain_label

NO_REASON = "Say why these parts are hidden (the reason is kept with the copy)."


class HidingDialog(QDialog):
    def __init__(self, example: str, save: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Why these parts are hidden")
        self.reason.setPlaceholderText(f"Why, e.g. “{example}”")
        self.reason.textChanged.connect(lambda _t: self._changed())
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        self.buttons: QDialogButtonBox
        self.buttons, self.save_button = act_or_cancel(self, f"&{save}", save, self._save)
        self.reason_row = QHBoxLayout()
        label = plain_label("&Why they are hidden (kept with the copy):", self, wrap=False)
        label.setBuddy(self.reason)
        self.reason_row.addWidget(label)
        self.reason_row.addWidget(self.reason, 1)

    def missing(self) -> str:
        """What of the dialog's own choice is still missing (empty: nothing)."""
        raise NotImplementedError

    def _changed(self) -> None:
        self.problem.setText(self.problems())

    def problems(self) -> str:
        found = [self.missing(), "" if self.reason.text().strip() else NO_REASON]
        return " ".join(p for p in found if p)

    def _save(self) -> None:
        if self.problems():
            self.problem.setText(self.problems())
            return
        self.accept()

    def reason_text(self) -> str:
        return self.reason.text().strip()
