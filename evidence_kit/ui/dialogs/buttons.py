"""The row of buttons under a question: one that acts, and Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def act_or_cancel(
    dialog: QDialog, text: str, name: str, act: Callable[[], None]
) -> tuple[QDialogButtonBox, QPushButton]:
    """`text` (with its & key) runs `act`; Cancel (and Esc) closes the dialog."""
    buttons = QDialogButtonBox(dialog)
    ok = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setAccessibleName(name)
    ok.setDefault(True)
    cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName("Cancel")
    buttons.accepted.connect(act)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok
