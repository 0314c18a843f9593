"""The main window: layout and wiring only. What the buttons do lives in `session.py`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.models.cases import CaseListModel
from evidence_kit.ui.models.items import ItemListModel
from evidence_kit.ui.models.thumbnails import SIZE, ThumbnailCache
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.capture_button import CaptureActions, CaptureButton
from evidence_kit.ui.widgets.item_detail import ItemDetailWidget

IDLE_CHOICES = ((5, "5 minutes"), (10, "10 minutes"), (30, "30 minutes"), (0, "Never"))


class MainWindow(QMainWindow):
    import_requested = Signal(object)  # a Path, or None to ask for one
    export_requested = Signal()
    verify_requested = Signal()
    lock_requested = Signal()
    help_requested = Signal()
    case_changed = Signal(object)  # case name or None for everything
    idle_minutes_chosen = Signal(int)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("Evidence Kit")
        self.setAcceptDrops(True)
        self.capture_actions = CaptureActions(self)
        self.capture_button = CaptureButton(self.capture_actions, self)
        self.import_button = self._big_button("Import a chat\nor e-mail…", "Import a file")
        self.export_button = self._big_button("Hand over\n(sealed bundle)…", "Export")
        self.import_button.clicked.connect(lambda: self.import_requested.emit(None))
        self.export_button.clicked.connect(self.export_requested.emit)
        self.lock_button = QPushButton("Lock now", self)
        self.lock_button.setAccessibleName("Lock now")
        self.lock_button.clicked.connect(self.lock_requested.emit)
        self.help_button = QPushButton("Help", self)
        self.help_button.setAccessibleName("Help and guidance")
        self.help_button.clicked.connect(self.help_requested.emit)
        top = QHBoxLayout()
        for button in (self.capture_button, self.import_button, self.export_button):
            top.addWidget(button)
        top.addStretch()
        top.addWidget(self.help_button)
        top.addWidget(self.lock_button)

        self.cases = CaseListModel(self)
        self.case_list = QListView(self)
        self.case_list.setModel(self.cases)
        self.case_list.setAccessibleName("Cases")
        self.case_list.setMaximumWidth(260)
        self.case_list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.case_changed.emit(self.cases.case_name(current.row()))
        )
        self.thumbnails = ThumbnailCache(runner, parent=self)
        self.items = ItemListModel(runner, self.thumbnails, self)
        self.item_table = QTableView(self)
        self.item_table.setModel(self.items)
        self.item_table.setAccessibleName("Evidence, oldest first")
        self.item_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.item_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.item_table.verticalHeader().hide()
        self.item_table.verticalHeader().setDefaultSectionSize(SIZE // 2 + 8)
        self.item_table.setIconSize(QSize(SIZE, SIZE // 2))
        header = self.item_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((215, 100, 90, 185, 150)):
            self.item_table.setColumnWidth(column, width)
        self.item_table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail = ItemDetailWidget(runner, self)
        self.empty_hint = QLabel(
            "Nothing here yet. Press <b>Capture the screen</b> to keep a picture of what you "
            "see, or <b>Import</b> (or drop a file here) to keep a chat or e-mail export.",
            self,
        )
        self.empty_hint.setWordWrap(True)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Cases</b>", self))
        left_layout.addWidget(self.case_list)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.empty_hint)
        middle_layout.addWidget(self.item_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([160, 800, 440])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.busy = QLabel(self)
        self.busy.setAccessibleName("Status")
        self.statusBar().addPermanentWidget(self.busy)
        runner.busy_changed.connect(lambda busy: self.busy.setText("Working…" if busy else ""))
        self.items.modelReset.connect(
            lambda: self.empty_hint.setVisible(self.items.rowCount() == 0)
        )
        self._menus()
        self.resize(1280, 780)

    def _big_button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setMinimumHeight(self.capture_button.minimumHeight())
        return button

    def _menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for text, signal, keys in (
            ("&Import a file…", lambda: self.import_requested.emit(None), "Ctrl+I"),
            ("&Hand over (export a sealed bundle)…", self.export_requested.emit, "Ctrl+E"),
            ("&Check a bundle you received…", self.verify_requested.emit, ""),
            ("&Lock now", self.lock_requested.emit, "Ctrl+L"),
        ):
            action = file_menu.addAction(text)
            action.triggered.connect(signal)
            if keys:
                action.setShortcut(QKeySequence(keys))
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.capture_actions.fill(bar.addMenu("&Capture"))
        settings = bar.addMenu("&Settings")
        lock_menu = settings.addMenu("Lock the vault when I am away for")
        self.idle_group = QActionGroup(self)
        for minutes, text in IDLE_CHOICES:
            action = QAction(text, self.idle_group)
            action.setCheckable(True)
            action.setData(minutes)
            action.triggered.connect(lambda _=False, m=minutes: self.idle_minutes_chosen.emit(m))
            lock_menu.addAction(action)
        help_menu = bar.addMenu("&Help")
        guidance = help_menu.addAction("&Help and guidance (what to record, who can help)")
        guidance.setShortcut(QKeySequence.StandardKey.HelpContents)
        guidance.triggered.connect(self.help_requested.emit)

    def set_idle_minutes(self, minutes: int) -> None:
        for action in self.idle_group.actions():
            action.setChecked(action.data() == minutes)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.selected_rows()
        self.detail.show_item(self.items.item_id(rows[-1]) if rows else None)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.item_table.selectionModel().selectedRows()})

    def selected_item_ids(self) -> list[int]:
        return [i for i in (self.items.item_id(row) for row in self.selected_rows()) if i]

    def current_case(self) -> str | None:
        return self.cases.case_name(self.case_list.currentIndex().row())

    def select_case(self, name: str | None) -> None:
        self.case_list.setCurrentIndex(self.cases.index(self.cases.row_of(name)))

    def select_item(self, item_id: int) -> None:
        row = self.items.row_of(item_id)
        if row >= 0:
            self.item_table.selectRow(row)
            self.item_table.scrollTo(self.items.index(row, 0))

    # -- drag and drop: a dropped file is imported ------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.import_requested.emit(Path(url.toLocalFile()))
        event.acceptProposedAction()
