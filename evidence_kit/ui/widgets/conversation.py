"""An imported conversation, readable, with a search box. Messages are plain text."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from evidence_kit.ui.models.messages import MessageListModel
from evidence_kit.ui.tasks import TaskRunner


class ConversationWidget(QWidget):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = MessageListModel(runner, self)
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText("Search this conversation (a word or a name)")
        self.search_box.setAccessibleName("Search this conversation")
        self.search_box.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setAccessibleDescription("Number of messages shown")
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAlternatingRowColors(True)
        self.list.setAccessibleName("Messages")
        self.list.setTabKeyNavigation(False)
        self.list.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_box)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(lambda: self.model.search(self.search_box.text()))
        self.search_box.textChanged.connect(lambda _text: self._debounce.start())
        self.model.modelReset.connect(self._counted)
        self.is_email = False
        self._wanted_index: int | None = None

    def show_import(self, item_id: int, is_email: bool = False, at: int | None = None) -> None:
        """Show the import's messages; `at`: scroll to the message with that index."""
        self.is_email = is_email
        self._wanted_index = at
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self.model.show_import(item_id)

    def _counted(self) -> None:
        rows = self.model.rowCount()
        noun = "e-mail(s)" if self.is_email else "message(s)"
        if self.model.problem:
            self.count.setText(f"⚠ The messages cannot be shown: {self.model.problem}")
        elif self.model.searching:
            self.count.setText(f"{rows} {noun} contain “{self.model.searching}”.")
        else:
            self.count.setText(f"{rows} {noun}, in the order of the file.")
        if self._wanted_index is not None and not self.model.searching:
            row = self._wanted_index - self.model._first
            self._wanted_index = None
            if 0 <= row < rows:
                index = self.model.index(row, 0)
                self.list.setCurrentIndex(index)
                self.list.scrollTo(index, QListView.ScrollHint.PositionAtCenter)
