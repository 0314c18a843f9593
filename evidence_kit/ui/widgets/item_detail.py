"""The detail pane: the picture or conversation, its attachments, every fact, the file's
fingerprint, notes and history. Every string from evidence is shown as plain text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
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

from evidence_kit.model import Item, ItemKind
from evidence_kit.ui.dialogs.attachment_viewer import AttachmentViewerDialog, ask_save_copy
from evidence_kit.ui.dialogs.withdraw_dialog import WithdrawDialog
from evidence_kit.ui.models import describe, facts
from evidence_kit.ui.models.custody import CustodyModel
from evidence_kit.ui.operations import items as ops
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.conversation import ConversationWidget
from evidence_kit.ui.widgets.image_viewer import ImageViewerWidget
from evidence_kit.ui.widgets.text import ElidedLabel, plain_label

FINGERPRINT_TIP = (
    "The file's fingerprint (SHA-256): a check number worked out from every byte of the file. "
    "Any change to the file, however small, would change it. The bundle you hand over lists "
    "the same number, so anyone can check the file is the one you kept."
)
ItemIdRole = Qt.ItemDataRole.UserRole + 1


def _fill(parent: QTreeWidgetItem | QTreeWidget, value: Any, key: str = "") -> None:
    title, tip = facts.label(key) if key and not key.isdigit() else (key, "")
    if isinstance(value, dict):
        node = QTreeWidgetItem([title, ""])
        _attach(parent, node)
        for sub_key, sub_value in value.items():
            _fill(node, sub_value, str(sub_key))
        node.setExpanded(True)
    elif isinstance(value, list) and value and isinstance(value[0], dict | list):
        node = QTreeWidgetItem([title, f"{len(value)}"])
        _attach(parent, node)
        for number, sub_value in enumerate(value, 1):
            _fill(node, sub_value, f"{number}")
    else:
        shown = facts.value_text(value)
        node = QTreeWidgetItem([title, shown])
        node.setToolTip(1, shown)  # long values are cut short in the column
        _attach(parent, node)
    node.setToolTip(0, f"{title}\n{tip}" if tip else title)  # a long label is cut short


def _attach(parent: QTreeWidgetItem | QTreeWidget, node: QTreeWidgetItem) -> None:
    if isinstance(parent, QTreeWidget):
        parent.addTopLevelItem(node)
    else:
        parent.addChild(node)


def _no_cell_tabbing(view: QAbstractItemView) -> None:
    """Tab leaves the list (arrow keys move inside it): no keyboard trap."""
    view.setTabKeyNavigation(False)


class ItemDetailWidget(QWidget):
    note_added = Signal(int)  # item id (a note, or a withdrawal, was recorded)
    loaded = Signal(object)  # the ops.Loaded shown

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.item: Item | None = None
        self.shown: ops.Loaded | None = None
        self.title = ElidedLabel("Choose an item in the list to see it here.", self)
        self.title.setAccessibleDescription("Item")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.when = ElidedLabel("", self)
        self.when.setAccessibleDescription("When it happened")
        self.where = ElidedLabel("", self)
        self.where.setAccessibleDescription("Where it was")
        self.stamp = ElidedLabel("", self)
        self.stamp.setAccessibleDescription("Trusted time-stamp")
        self.status = plain_label("", self)
        self.status.setAccessibleDescription("Withdrawn")
        self.sha = QLineEdit(self)
        self.sha.setReadOnly(True)
        self.sha.setAccessibleName("Fingerprint of the file (SHA-256)")
        self.sha.setToolTip(FINGERPRINT_TIP)
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.setAccessibleName("Copy the file's fingerprint")
        self.copy_button.clicked.connect(self.copy_hash)
        sha_row = QHBoxLayout()
        fingerprint = QLabel("Fingerprint of the file:", self)
        fingerprint.setToolTip(FINGERPRINT_TIP)
        sha_row.addWidget(fingerprint)
        sha_row.addWidget(self.sha, 1)
        sha_row.addWidget(self.copy_button)
        self.withdraw_button = QPushButton("&Withdraw…", self)
        self.withdraw_button.setAccessibleName("Withdraw this item")
        self.withdraw_button.setToolTip(
            "Added by mistake? Withdrawing leaves it out of what you hand over. "
            "Nothing is deleted: it stays in the vault with your reason."
        )
        self.withdraw_button.clicked.connect(self.ask_withdraw)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Item details")
        self.tabs.setToolTip(
            "Alt+P picture, Alt+V conversation, Alt+T attachments, Alt+E details, Alt+N notes, "
            "Alt+Y history"
        )
        self.viewer = ImageViewerWidget(self)
        self.conversation = ConversationWidget(runner, self)
        self.attachments = QTreeWidget(self)
        self.attachments.setHeaderLabels(["Attachment", "When", "Kind", "Size"])
        self.attachments.setAccessibleName("Attachments")
        self.attachments.setRootIsDecorated(False)
        self.attachments.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.attachments.itemActivated.connect(lambda _entry, _col: self.open_attachment())
        self.open_button = QPushButton("&Open", self)
        self.open_button.setAccessibleName("Open the attachment")
        self.open_button.clicked.connect(self.open_attachment)
        self.save_button = QPushButton("Save a copy…", self)
        self.save_button.setAccessibleName("Save a copy of the attachment")
        self.save_button.setToolTip("A plain copy outside the vault, for another program.")
        self.save_button.clicked.connect(self.save_attachment)
        self.attachments.currentItemChanged.connect(lambda *_: self._attachment_buttons())
        attachments_page = QWidget(self)
        attachments_layout = QVBoxLayout(attachments_page)
        attachments_layout.addWidget(self.attachments, 1)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.save_button)
        row.addStretch()
        attachments_layout.addLayout(row)
        self.facts = QTreeWidget(self)
        self.facts.setHeaderLabels(["What", "Value"])
        self.facts.setAccessibleName("Everything recorded about this item")
        self.facts.setColumnWidth(0, 220)
        self.notes = QListWidget(self)
        self.notes.setAccessibleName("Notes, oldest first")
        self.notes.setWordWrap(True)
        self.note_text = QPlainTextEdit(self)
        self.note_text.setAccessibleName("New note")
        self.note_text.setTabChangesFocus(True)
        self.note_text.setPlaceholderText(
            "Add a note: what happened, how it affected you, who saw it. "
            "Notes are kept for good; earlier notes stay as they are."
        )
        self.note_text.setMaximumHeight(90)
        self.note_problem = plain_label("", self)
        self.note_problem.setAccessibleDescription("What is still needed")
        self.add_note_button = QPushButton("Add note", self)
        self.add_note_button.setAccessibleName("Add note")
        self.add_note_button.clicked.connect(self.submit_note)
        notes_page = QWidget(self)
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.addWidget(self.notes, 1)
        notes_layout.addWidget(self.note_text)
        notes_layout.addWidget(self.note_problem)
        notes_layout.addWidget(self.add_note_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.custody_model = CustodyModel(self)
        self.custody = QTableView(self)
        self.custody.setModel(self.custody_model)
        self.custody.setAccessibleName("What has been done to this item")
        self.custody.horizontalHeader().setStretchLastSection(True)
        self.custody.verticalHeader().hide()
        for view in (self.attachments, self.facts, self.notes, self.custody):
            _no_cell_tabbing(view)
        self.picture_tab = self.tabs.addTab(self.viewer, "&Picture")
        self.conversation_tab = self.tabs.addTab(self.conversation, "Con&versation")
        self.attachments_tab = self.tabs.addTab(attachments_page, "A&ttachments")
        self.facts_tab = self.tabs.addTab(self.facts, "D&etails")
        self.notes_tab = self.tabs.addTab(notes_page, "&Notes")
        self.history_tab = self.tabs.addTab(self.custody, "Histor&y")
        layout = QVBoxLayout(self)
        title_row = QHBoxLayout()
        title_column = QVBoxLayout()
        title_column.addWidget(self.title)
        title_column.addWidget(self.when)
        title_column.addWidget(self.where)
        title_column.addWidget(self.stamp)
        title_column.addWidget(self.status)
        title_row.addLayout(title_column, 1)
        title_row.addWidget(self.withdraw_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title_row)
        layout.addLayout(sha_row)
        layout.addWidget(self.tabs, 1)
        self.status.hide()
        self.setEnabled(False)

    # -- showing ---------------------------------------------------------------------------

    def show_item(self, item_id: int | None) -> None:
        if item_id is None:
            self.item = self.shown = None
            self.title.set_full_text("Choose an item in the list to see it here.")
            self.when.set_full_text("")
            self.where.set_full_text("")
            self.stamp.set_full_text("")
            self.status.hide()
            self.sha.clear()
            self.viewer.set_image(None)
            self.setEnabled(False)
            return
        self.runner.submit(lambda job: ops.load_item(job, item_id), on_done=self._loaded)

    def _loaded(self, loaded: ops.Loaded) -> None:
        item = self.item = loaded.item
        self.shown = loaded
        self.setEnabled(True)
        self.title.set_full_text(describe.kind_text(item))
        self.when.set_full_text(describe.when_text(item), describe.time_tooltip(item))
        where = describe.place_text(item)
        self.where.set_full_text(where)
        self.where.setVisible(bool(where))
        if item.withdrawn and item.withdrawal:
            self.status.setText(f"Withdrawn: {item.withdrawal.reason}")
            self.status.show()
        else:
            self.status.hide()
        self.sha.setText(item.sha256 or "(a written note has no file)")
        self.sha.setCursorPosition(0)
        self.withdraw_button.setEnabled(not item.withdrawn)
        self.viewer.set_image(loaded.image)
        is_import = item.kind is ItemKind.IMPORT
        self.tabs.setTabVisible(self.picture_tab, loaded.image is not None)
        self.tabs.setTabVisible(self.conversation_tab, is_import)
        self.tabs.setTabVisible(self.attachments_tab, bool(loaded.attachments))
        self.tabs.setTabText(self.attachments_tab, f"A&ttachments ({len(loaded.attachments)})")
        if is_import:
            self.conversation.show_import(item.id, describe.is_email(item))
        self._fill_attachments(loaded.attachments)
        self._fill_facts(loaded)
        self.notes.clear()
        for note in item.notes:
            self.notes.addItem(f"{note.added_at.astimezone():%d %b %Y %H:%M} — {note.text}")
        self.note_problem.setText("")
        self.custody_model.set_events(loaded.events)
        self.custody.resizeColumnsToContents()
        current = self.tabs.currentIndex()
        main = (
            self.picture_tab
            if loaded.image is not None
            else self.conversation_tab
            if is_import
            else self.facts_tab
        )
        # Looking at the evidence itself: show this item's own (its picture, its messages);
        # on its notes, history or attachments: stay there when it has them.
        if current in (self.picture_tab, self.conversation_tab, self.facts_tab) or not (
            self.tabs.isTabVisible(current)
        ):
            self.tabs.setCurrentIndex(main)
        self.loaded.emit(loaded)

    def _fill_attachments(self, rows: list[ops.Row]) -> None:
        self.attachments.clear()
        for found in rows:
            attachment = found.item
            entry = QTreeWidgetItem(
                [
                    describe.title_text(attachment),
                    describe.when_text(attachment),
                    describe.file_kind(attachment),
                    describe.size_text(attachment.size),
                ]
            )
            entry.setData(0, ItemIdRole, attachment.id)
            entry.setToolTip(0, describe.title_text(attachment))
            self.attachments.addTopLevelItem(entry)
        for column in (1, 2, 3):
            self.attachments.resizeColumnToContents(column)
        if rows:
            first = self.attachments.topLevelItem(0)
            if first is not None:
                self.attachments.setCurrentItem(first)
        self._attachment_buttons()

    def _fill_facts(self, loaded: ops.Loaded) -> None:
        item = loaded.item
        self.stamp.set_full_text(describe.timestamp_text(loaded.stamp, loaded.stamps_on))
        self.facts.clear()
        summary: dict[str, Any] = {
            "What it is": describe.kind_text(item),
            "When it happened": describe.time_tooltip(item),
            "Case": describe.case_text(item),
            "Who posted it": loaded.row.who or "not known",
            "Added to the vault (UTC)": item.added_at.isoformat(),
            "Original file name": item.original_name,
            "Kind of file": (
                f"{describe.file_kind(item)} ({item.media_type})" if item.media_type else None
            ),
            "Size": describe.size_text(item.size) if item.sha256 else None,
            "Fingerprint of the file (SHA-256)": item.sha256,
            "Made from item": item.parent_id,
            "Trusted time-stamp": describe.timestamp_text(loaded.stamp, loaded.stamps_on),
        }
        received = describe.received_text(item)
        if received:
            summary["Received"] = received
        top = QTreeWidgetItem(["This item", ""])
        self.facts.addTopLevelItem(top)
        for key, value in summary.items():
            node = QTreeWidgetItem([key, facts.value_text(value)])
            node.setToolTip(0, key)
            node.setToolTip(1, facts.value_text(value))
            top.addChild(node)
        top.setExpanded(True)
        for key, value in item.metadata.items():
            _fill(self.facts, value, str(key))

    def _attachment_buttons(self) -> None:
        chosen = self._chosen_attachment()
        self.open_button.setEnabled(chosen is not None and ops.can_open(chosen))
        self.save_button.setEnabled(chosen is not None)

    def _chosen_attachment(self) -> Item | None:
        entry = self.attachments.currentItem()
        if entry is None or self.shown is None:
            return None
        wanted = entry.data(0, ItemIdRole)
        return next((r.item for r in self.shown.attachments if r.item.id == wanted), None)

    def open_attachment(self) -> None:
        chosen = self._chosen_attachment()
        if chosen is None:
            return
        if not ops.can_open(chosen):
            self.save_attachment()
            return
        item_id = chosen.id
        self.runner.submit(
            lambda job: ops.open_attachment(job, item_id),
            on_done=lambda opened: setattr(
                self, "viewer_dialog", AttachmentViewerDialog.show_opened(opened, self)
            ),
        )

    def save_attachment(self) -> None:
        chosen = self._chosen_attachment()
        if chosen is not None:
            ask_save_copy(self.runner, chosen, self)

    def copy_hash(self) -> None:
        if self.item and self.item.sha256:
            QGuiApplication.clipboard().setText(self.item.sha256)

    # -- notes and withdrawal ------------------------------------------------------------------

    def submit_note(self) -> None:
        text = self.note_text.toPlainText().strip()
        if self.item is None:
            return
        if not text:
            self.note_problem.setText("Write the note in the box first.")
            self.note_text.setFocus()
            return
        item_id = self.item.id
        self.add_note_button.setEnabled(False)

        def done(_note_id: object) -> None:
            self.add_note_button.setEnabled(True)
            self.note_text.clear()
            self.note_problem.setText("")
            self.note_added.emit(item_id)
            self.show_item(item_id)

        def failed(exc: BaseException) -> None:
            from evidence_kit.ui.errors import show_error

            self.add_note_button.setEnabled(True)
            show_error(self, exc)

        self.runner.submit(
            lambda job: ops.add_note(job, item_id, text), on_done=done, on_error=failed
        )

    def ask_reason(self) -> str | None:
        """Asks why the item is withdrawn (an empty reason is refused in the dialog)."""
        if self.item is None:
            return None
        item = self.item
        return WithdrawDialog.ask(
            f"{describe.kind_text(item)}: {describe.title_text(item)} ({describe.when_text(item)})",
            self,
        )

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

        self.runner.submit(lambda job: ops.withdraw(job, item_id, reason), on_done=done)
