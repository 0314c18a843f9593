"""An attachment opened inside the program: a picture, a text, or an e-mail. Nothing is
written to disk to show it. Other kinds are saved as a copy (see `save_copy`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.model import Item
from evidence_kit.ui.errors import inform
from evidence_kit.ui.models import describe
from evidence_kit.ui.operations.items import Opened
from evidence_kit.ui.operations.items import save_copy as save_copy_op
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.image_viewer import ImageViewerWidget
from evidence_kit.ui.widgets.text import ElidedLabel, plain_label
from evidence_kit.ui.windows import fit_to_screen

OUTSIDE_WARNING = (
    "The copy is an ordinary file outside your vault: it is not encrypted, and anyone who "
    "uses this computer could open it. The original stays safe in the vault. Delete the copy "
    "when you no longer need it."
)


class AttachmentViewerDialog(QDialog):
    def __init__(self, opened: Opened, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = opened.item
        self.setWindowTitle("Evidence Kit — attachment")
        self.setAccessibleName("Attachment")
        name = ElidedLabel(describe.title_text(item), self)
        name.setAccessibleDescription("Attachment name")
        layout = QVBoxLayout(self)
        layout.addWidget(name)
        layout.addWidget(plain_label(f"{describe.when_text(item)}", self))
        if opened.headers:
            form = QFormLayout()
            for label, value in opened.headers:
                shown = ElidedLabel(value, self)
                shown.setAccessibleDescription(label)
                form.addRow(f"{label}:", shown)
            layout.addLayout(form)
        self.viewer: ImageViewerWidget | None = None
        self.text: QPlainTextEdit | None = None
        if opened.image is not None:
            self.viewer = ImageViewerWidget(self)
            self.viewer.set_image(opened.image)
            layout.addWidget(self.viewer, 1)
        else:
            self.text = QPlainTextEdit(self)
            self.text.setReadOnly(True)
            self.text.setPlainText(opened.text or "")
            self.text.setAccessibleName("Text of the attachment")
            layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 620)

    @classmethod
    def show_opened(cls, opened: Opened, parent: QWidget | None = None) -> AttachmentViewerDialog:
        dialog = cls(opened, parent)
        dialog.open()
        return dialog


def ask_save_copy(runner: TaskRunner, item: Item, parent: QWidget | None = None) -> None:
    """Warn plainly that a copy leaves the vault, ask where, and write it on the worker."""
    answer = QMessageBox(parent)
    answer.setWindowTitle("Evidence Kit — save a copy")
    answer.setIcon(QMessageBox.Icon.Warning)
    answer.setTextFormat(Qt.TextFormat.PlainText)
    answer.setText(f"Save a copy of {describe.title_text(item)}?")
    answer.setInformativeText(OUTSIDE_WARNING)
    save = answer.addButton("Save a copy…", QMessageBox.ButtonRole.AcceptRole)
    answer.addButton(QMessageBox.StandardButton.Cancel)
    answer.exec()
    if answer.clickedButton() is not save:
        return
    suggested = str(Path.home() / (item.original_name or f"item-{item.id}"))
    name, _ = QFileDialog.getSaveFileName(parent, "Save a copy outside the vault", suggested)
    if not name:
        return
    target, item_id = Path(name), item.id

    def saved(_size: object) -> None:
        inform(parent, f"A copy was saved as {target}.\n\n{OUTSIDE_WARNING}")

    runner.submit(lambda job: save_copy_op(job, item_id, target), on_done=saved)
