"""An imported conversation, readable, with a search box. Messages are plain text."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from evidence_kit.ui.models.messages import MessageListModel, MessageRole
from evidence_kit.ui.tasks import TaskRunner


class ConversationWidget(QWidget):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = MessageListModel(runner, self)
        self.model.driven = True  # the rows shown are asked for by `_want_visible`
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
        # Lay out a long conversation a batch at a time between events, so 200,000 messages
        # never freeze the window; only the rows in view are loaded.
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(200)
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
        self._visible = QTimer(self)
        self._visible.setSingleShot(True)
        self._visible.setInterval(30)
        self._visible.timeout.connect(self._want_visible)
        self.list.verticalScrollBar().valueChanged.connect(lambda _v: self._visible.start())
        self.model.modelReset.connect(self._visible.start)
        self.model.layoutChanged.connect(self._visible.start)
        self.is_email = False
        self._wanted_index: int | None = None

    def _want_visible(self) -> None:
        """Ask for the rows in view (and a page around them)."""
        rect = self.list.viewport().rect()
        top = self.list.indexAt(rect.topLeft())
        bottom = self.list.indexAt(rect.bottomLeft())
        first = top.row() if top.isValid() else 0
        last = bottom.row() if bottom.isValid() else first + 50
        self.model.want_rows(first - 20, last + 20)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._visible.start()

    def show_import(self, item_id: int, is_email: bool = False, at: int | None = None) -> None:
        """Show the import's messages; `at`: scroll to the message with that index."""
        self.is_email = is_email
        self._wanted_index = at
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self.model.show_import(item_id)

    def chosen_ranges(self) -> list[tuple[int, int, int]]:
        """The messages chosen in the list as (item id, first index, last index), runs of
        consecutive indexes joined: what an incident links (`--messages ITEM:FROM-TO`)."""
        if self.model.item_id is None:
            return []
        found = sorted(
            {
                int(message["index"])
                for index in self.list.selectionModel().selectedIndexes()
                if isinstance(message := index.data(MessageRole), dict) and "index" in message
            }
        )
        runs: list[tuple[int, int, int]] = []
        for number in found:
            if runs and runs[-1][2] == number - 1:
                runs[-1] = (runs[-1][0], runs[-1][1], number)
            else:
                runs.append((self.model.item_id, number, number))
        return runs

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
