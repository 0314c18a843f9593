"""The detail pane: the picture or conversation, every fact, the full SHA-256, notes, history."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.model import CustodyEvent, Item, ItemKind
from evidence_kit.ui.errors import show_error
from evidence_kit.ui.models import describe
from evidence_kit.ui.models.custody import CustodyModel
from evidence_kit.ui.tasks import Job, TaskRunner
from evidence_kit.ui.widgets.conversation import ConversationWidget
from evidence_kit.ui.widgets.image_viewer import ImageViewerWidget

MAX_PICTURE = 256 * 1024 * 1024


@dataclass
class Loaded:
    item: Item
    events: list[CustodyEvent]
    image: QImage | None


def load_item(job: Job, item_id: int) -> Loaded:
    vault = job.need_vault()
    item = vault.item(item_id)
    events = vault.custody_events(f"item:{item_id}")
    image = None
    if describe.is_image(item) and item.size <= MAX_PICTURE:
        buffer = io.BytesIO()
        for chunk in vault.content(item_id):
            buffer.write(chunk)
        decoded = QImage.fromData(buffer.getvalue())
        image = None if decoded.isNull() else decoded
    return Loaded(item, events, image)


def add_note(job: Job, item_id: int, text: str) -> int:
    with job.need_vault().transaction() as writer:
        return writer.add_note(item_id, text)


def withdraw(job: Job, item_id: int, reason: str) -> None:
    with job.need_vault().transaction() as writer:
        writer.withdraw(item_id, reason)


def _fill(parent: QTreeWidgetItem | QTreeWidget, value: Any, key: str = "") -> None:
    label = key.replace("_", " ")
    if isinstance(value, dict):
        node = QTreeWidgetItem([label, ""])
        _attach(parent, node)
        for sub_key, sub_value in value.items():
            _fill(node, sub_value, str(sub_key))
        node.setExpanded(True)
    elif isinstance(value, list) and value and isinstance(value[0], dict | list):
        node = QTreeWidgetItem([label, f"{len(value)}"])
        _attach(parent, node)
        for number, sub_value in enumerate(value, 1):
            _fill(node, sub_value, f"{number}")
    else:
        shown = "not known" if value is None else str(value)
        node = QTreeWidgetItem([label, shown])
        node.setToolTip(1, shown)  # long values are cut short in the column
        _attach(parent, node)


def _attach(parent: QTreeWidgetItem | QTreeWidget, node: QTreeWidgetItem) -> None:
    if isinstance(parent, QTreeWidget):
        parent.addTopLevelItem(node)
    else:
        parent.addChild(node)


class ItemDetailWidget(QWidget):
    note_added = Signal(int)  # item id

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.item: Item | None = None
        self.title = QLabel("Choose an item on the left to see it here.", self)
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Item")
        self.sha = QLineEdit(self)
        self.sha.setReadOnly(True)
        self.sha.setAccessibleName("Full SHA-256 fingerprint of this file")
        self.sha.setToolTip(
            "The SHA-256 is a fingerprint of the exact file: any change to it would change this."
        )
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.setAccessibleName("Copy the SHA-256 fingerprint")
        self.copy_button.clicked.connect(self.copy_hash)
        sha_row = QHBoxLayout()
        sha_row.addWidget(QLabel("SHA-256:", self))
        sha_row.addWidget(self.sha, 1)
        sha_row.addWidget(self.copy_button)
        self.withdraw_button = QPushButton("Withdraw…", self)
        self.withdraw_button.setAccessibleName("Withdraw this item")
        self.withdraw_button.setToolTip(
            "Added by mistake? Withdrawing leaves it out of what you hand over. "
            "Nothing is deleted: it stays in the vault with your reason."
        )
        self.withdraw_button.clicked.connect(self.ask_withdraw)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Item details")
        self.viewer = ImageViewerWidget(self)
        self.conversation = ConversationWidget(runner, self)
        self.facts = QTreeWidget(self)
        self.facts.setHeaderLabels(["What", "Value"])
        self.facts.setAccessibleName("Everything recorded about this item")
        self.facts.setColumnWidth(0, 200)
        self.notes = QListWidget(self)
        self.notes.setAccessibleName("Notes, oldest first")
        self.notes.setWordWrap(True)
        self.note_text = QPlainTextEdit(self)
        self.note_text.setAccessibleName("New note")
        self.note_text.setPlaceholderText(
            "Add a note: what happened, how it affected you, who saw it. "
            "Notes are kept for good; earlier notes stay as they are."
        )
        self.note_text.setMaximumHeight(90)
        self.add_note_button = QPushButton("Add note", self)
        self.add_note_button.setAccessibleName("Add note")
        self.add_note_button.clicked.connect(self.submit_note)
        notes_page = QWidget(self)
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.addWidget(self.notes, 1)
        notes_layout.addWidget(self.note_text)
        notes_layout.addWidget(self.add_note_button)
        self.custody_model = CustodyModel(self)
        self.custody = QTableView(self)
        self.custody.setModel(self.custody_model)
        self.custody.setAccessibleName("What has been done to this item")
        self.custody.horizontalHeader().setStretchLastSection(True)
        self.custody.verticalHeader().hide()
        self.picture_tab = self.tabs.addTab(self.viewer, "Picture")
        self.conversation_tab = self.tabs.addTab(self.conversation, "Conversation")
        self.tabs.addTab(self.facts, "Details")
        self.tabs.addTab(notes_page, "Notes")
        self.tabs.addTab(self.custody, "History")
        layout = QVBoxLayout(self)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.withdraw_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)
        layout.addLayout(sha_row)
        layout.addWidget(self.tabs, 1)
        self.setEnabled(False)

    def show_item(self, item_id: int | None) -> None:
        if item_id is None:
            self.item = None
            self.setEnabled(False)
            return
        self.runner.submit(
            lambda job: load_item(job, item_id), on_done=self._loaded, on_error=self._failed
        )

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _loaded(self, loaded: Loaded) -> None:
        item = self.item = loaded.item
        self.setEnabled(True)
        time_text = describe.local_time_text(describe.evidence_time(item))
        where = describe.place_text(item)
        title = f"<b>{describe.kind_text(item)}</b> — {time_text}"
        if where:
            title += f"<br>{where}"
        if item.withdrawn and item.withdrawal:
            title += f"<br><i>Withdrawn: {item.withdrawal.reason}</i>"
        self.title.setText(title)
        self.title.setToolTip(describe.time_tooltip(item))
        self.sha.setText(item.sha256 or "(a written note has no file)")
        self.sha.setCursorPosition(0)
        self.withdraw_button.setEnabled(not item.withdrawn)
        self.viewer.set_image(loaded.image)
        is_import = item.kind is ItemKind.IMPORT
        self.tabs.setTabVisible(self.picture_tab, loaded.image is not None)
        self.tabs.setTabVisible(self.conversation_tab, is_import)
        if is_import:
            self.conversation.show_import(item.id)
        self.facts.clear()
        summary: dict[str, Any] = {
            "kind": describe.kind_text(item),
            "evidence time": describe.time_tooltip(item),
            "added to the vault (UTC)": item.added_at.isoformat(),
            "original name": item.original_name,
            "media type": item.media_type,
            "size (bytes)": item.size,
            "sha256": item.sha256,
            "case": item.case,
            "made from item": item.parent_id,
        }
        _fill(self.facts, summary, "this item")
        for key, value in item.metadata.items():
            _fill(self.facts, value, str(key))
        self.notes.clear()
        for note in item.notes:
            self.notes.addItem(f"{note.added_at.astimezone():%d %b %Y %H:%M} — {note.text}")
        self.custody_model.set_events(loaded.events)
        self.custody.resizeColumnsToContents()
        if loaded.image is None and self.tabs.currentIndex() == self.picture_tab:
            self.tabs.setCurrentIndex(self.conversation_tab if is_import else 2)

    def copy_hash(self) -> None:
        if self.item and self.item.sha256:
            QGuiApplication.clipboard().setText(self.item.sha256)

    def submit_note(self) -> None:
        text = self.note_text.toPlainText().strip()
        if not text or self.item is None:
            return
        item_id = self.item.id
        self.add_note_button.setEnabled(False)

        def done(_note_id: object) -> None:
            self.add_note_button.setEnabled(True)
            self.note_text.clear()
            self.note_added.emit(item_id)
            self.show_item(item_id)

        def failed(exc: BaseException) -> None:
            self.add_note_button.setEnabled(True)
            show_error(self, exc)

        self.runner.submit(lambda job: add_note(job, item_id, text), on_done=done, on_error=failed)

    def ask_reason(self) -> str | None:
        """Asks why the item is withdrawn (tests replace this)."""
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(
            self,
            "Withdraw this item",
            "Why is it withdrawn? (for example: added by mistake, a duplicate)\n"
            "Nothing is deleted: it stays in your vault with this reason, and is left out of "
            "what you hand over.",
        )
        return text.strip() if ok and text.strip() else None

    def ask_withdraw(self) -> None:
        if self.item is None:
            return
        reason = self.ask_reason()
        if reason is None:
            return
        item_id = self.item.id

        def done(_result: object) -> None:
            self.note_added.emit(item_id)
            self.show_item(item_id)

        self.runner.submit(
            lambda job: withdraw(job, item_id, reason),
            on_done=done,
            on_error=lambda exc: show_error(self, exc),
        )
