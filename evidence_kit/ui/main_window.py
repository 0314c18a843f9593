"""The main window: layout and wiring only. What the buttons do lives in `session.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.models.cases import CaseListModel, Entry
from evidence_kit.ui.models.items import ItemListModel
from evidence_kit.ui.models.thumbnails import SHOWN as ICON
from evidence_kit.ui.models.thumbnails import ThumbnailCache
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.backup_banner import BackupBannerWidget
from evidence_kit.ui.widgets.capture_button import CaptureActions, CaptureButton
from evidence_kit.ui.widgets.item_detail import ItemDetailWidget
from evidence_kit.ui.widgets.search_results import SearchResultsWidget
from evidence_kit.ui.widgets.text import ElidedLabel, plain_label
from evidence_kit.ui.windows import fit_to_screen, text_scale

IDLE_CHOICES = ((5, "5 minutes"), (10, "10 minutes"), (30, "30 minutes"), (0, "Never"))
EMPTY_HINT = (
    "Nothing here yet. Press “Capture the screen” to keep a picture of what you see, or "
    "“Import” (or drop a file here) to keep a chat or e-mail export."
)


class MainWindow(QMainWindow):
    import_requested = Signal(object)  # a list of Paths (dropped), or None to ask for them
    receive_requested = Signal()
    redact_requested = Signal()  # the chosen picture, in the box editor
    hide_messages_requested = Signal()  # the chosen import's messages
    export_requested = Signal()
    verify_requested = Signal()
    lock_requested = Signal()
    quit_requested = Signal()
    close_requested = Signal()  # the window's close button: the session decides
    help_requested = Signal()
    case_changed = Signal(object)  # an Entry of the case list
    idle_minutes_chosen = Signal(int)
    new_case_requested = Signal()
    rename_case_requested = Signal()
    move_requested = Signal()
    casefile_requested = Signal()  # the case file window (incidents, people, statement, …)
    search_requested = Signal(str)  # empty: back to the timeline
    passphrase_requested = Signal()
    tray_mode_chosen = Signal(bool)
    reload_requested = Signal()
    # keeping the vault safe (flows/safekeeping.py)
    backup_requested = Signal()
    open_vault_requested = Signal()
    recovery_code_requested = Signal()
    timestamps_requested = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("Evidence Kit")
        self.setAccessibleName("Evidence Kit")
        self.setAcceptDrops(True)
        self.capture_actions = CaptureActions(self)
        self.capture_button = CaptureButton(self.capture_actions, self)
        self.import_button = self._big_button("&Import a chat\nor e-mail…", "Import a file")
        self.export_button = self._big_button("Han&d over\n(sealed bundle)…", "Hand over")
        self.import_button.clicked.connect(lambda: self.import_requested.emit(None))
        self.export_button.clicked.connect(self.export_requested.emit)
        self.lock_button = QPushButton("&Lock now", self)
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

        # left: the cases
        self.cases = CaseListModel(self)
        self.case_list = QListView(self)
        self.case_list.setModel(self.cases)
        self.case_list.setAccessibleName("Cases")
        self.case_list.setTabKeyNavigation(False)
        self.case_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.case_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # the whole in the tooltip
        self.case_list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.case_changed.emit(self.cases.entry(current.row()))
        )
        self.new_case_button = QPushButton("New case…", self)
        self.new_case_button.setAccessibleName("Make a new case")
        self.new_case_button.clicked.connect(self.new_case_requested.emit)
        self.rename_case_button = QPushButton("Rename this case…", self)
        self.rename_case_button.setAccessibleName("Rename this case")
        self.rename_case_button.clicked.connect(self.rename_case_requested.emit)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        cases_title = QLabel("<b>Cases</b>", self)
        cases_title.setBuddy(self.case_list)
        left_layout.addWidget(cases_title)
        left_layout.addWidget(self.case_list, 1)
        left_layout.addWidget(self.new_case_button)
        left_layout.addWidget(self.rename_case_button)
        left.setMinimumWidth(max(160, self.rename_case_button.sizeHint().width()))

        # middle: search everything, the timeline, moving items
        self.search_box = QLineEdit(self)
        self.search_box.setAccessibleName("Search everything")
        self.search_box.setPlaceholderText("Search everything: messages, notes, places, names…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(
            lambda: self.search_requested.emit(self.search_box.text().strip())
        )
        self.search_box.textChanged.connect(
            lambda text: self.search_requested.emit("") if not text.strip() else None
        )
        QShortcut(QKeySequence("Escape"), self.search_box, self.search_box.clear)
        self.timeline_title = ElidedLabel("All evidence, in the order it happened", self)
        self.timeline_title.setAccessibleDescription("What the list shows")
        self.thumbnails = ThumbnailCache(runner, parent=self)
        self.items = ItemListModel(runner, self.thumbnails, self)
        self.item_table = QTableView(self)
        self.item_table.setModel(self.items)
        self.item_table.setAccessibleName("Evidence, in the order it happened")
        self.item_table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.item_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.item_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.item_table.setWordWrap(True)
        self.item_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.item_table.verticalHeader().hide()
        self.item_table.setIconSize(QSize(*ICON))
        header = self.item_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # where, and who: the rest of the room
        metrics = self.item_table.fontMetrics()
        self.item_table.setColumnWidth(0, metrics.horizontalAdvance("Wed 00 Sep 0000 00:00") + 16)
        self.item_table.setColumnWidth(1, ICON[0] + metrics.horizontalAdvance("Conversation") + 24)
        self.item_table.verticalHeader().setDefaultSectionSize(
            max(ICON[1], 3 * metrics.height()) + 8
        )
        self.item_table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.results = SearchResultsWidget(self)
        self.middle_stack = QStackedWidget(self)
        self.middle_stack.addWidget(self.item_table)
        self.middle_stack.addWidget(self.results)
        self.empty_hint = plain_label(EMPTY_HINT, self)
        self.move_button = QPushButton("&Move to another case…", self)
        self.move_button.setAccessibleName("Move the chosen items to another case")
        self.move_button.clicked.connect(self.move_requested.emit)
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.search_box)
        middle_layout.addWidget(self.timeline_title)
        middle_layout.addWidget(self.empty_hint)
        middle_layout.addWidget(self.middle_stack, 1)
        middle_layout.addWidget(self.move_button, 0, Qt.AlignmentFlag.AlignLeft)
        middle.setMinimumWidth(300)

        self.detail = ItemDetailWidget(runner, self)
        self.detail.setMinimumWidth(280)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        scale = text_scale(self)
        splitter.setSizes([int(180 * scale), int(640 * scale), int(460 * scale)])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        self.backup_banner = BackupBannerWidget(self)
        self.backup_banner.backup_requested.connect(self.backup_requested.emit)
        layout.addWidget(self.backup_banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.busy = QLabel(self)
        self.busy.setAccessibleDescription("Status")
        self.statusBar().addPermanentWidget(self.busy)
        runner.busy_changed.connect(lambda busy: self.busy.setText("Working…" if busy else ""))
        self.items.modelReset.connect(
            lambda: self.empty_hint.setVisible(self.items.rowCount() == 0)
        )
        self._menus()
        self.setTabOrder(self.lock_button, self.case_list)
        self.setTabOrder(self.case_list, self.new_case_button)
        self.setTabOrder(self.new_case_button, self.rename_case_button)
        self.setTabOrder(self.rename_case_button, self.search_box)
        self.setTabOrder(self.search_box, self.item_table)
        self.setTabOrder(self.item_table, self.results.list)
        self.setTabOrder(self.results.list, self.move_button)
        self.setTabOrder(self.move_button, self.detail.withdraw_button)
        self._selection_changed(QItemSelection(), QItemSelection())
        fit_to_screen(self, 1280, 780)

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
            ("&Hand over (make a sealed bundle)…", self.export_requested.emit, "Ctrl+E"),
            ("&Check a bundle you received…", self.verify_requested.emit, ""),
            ("Recei&ve a bundle (keep it in my vault)…", self.receive_requested.emit, ""),
            ("&Search everything", self.focus_search, "Ctrl+F"),
            ("&Reload the list", self.reload_requested.emit, "F5"),
            ("&Lock now", self.lock_requested.emit, "Ctrl+L"),
        ):
            action = file_menu.addAction(text)
            action.triggered.connect(signal)
            if keys:
                action.setShortcut(QKeySequence(keys))
        file_menu.addSeparator()
        quit_action = file_menu.addAction("Lock and &quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.quit_requested.emit)
        self.capture_actions.fill(bar.addMenu("&Capture"))
        case_menu = bar.addMenu("C&ase")
        for text, signal, keys in (
            ("&New case…", self.new_case_requested.emit, "Ctrl+N"),
            ("&Rename this case…", self.rename_case_requested.emit, ""),
            ("&Move the chosen items to another case…", self.move_requested.emit, "Ctrl+M"),
            ("Case &file (incidents, people, statement, chronology)…",
             self.casefile_requested.emit, "Ctrl+K"),
        ):  # fmt: skip
            action = case_menu.addAction(text)
            action.triggered.connect(signal)
            if keys:
                action.setShortcut(QKeySequence(keys))
        self._redact_menu(bar.addMenu("&Redact"))
        settings = bar.addMenu("&Settings")
        lock_menu = settings.addMenu("&Lock the vault when I am away for")
        self.idle_group = QActionGroup(self)
        for minutes, text in IDLE_CHOICES:
            action = QAction(text, self.idle_group)
            action.setCheckable(True)
            action.setData(minutes)
            action.triggered.connect(lambda _=False, m=minutes: self.idle_minutes_chosen.emit(m))
            lock_menu.addAction(action)
        settings.addAction("Change my &passphrase…").triggered.connect(
            self.passphrase_requested.emit
        )
        self.tray_action = settings.addAction("Keep running in the &tray when I close the window")
        self.tray_action.setCheckable(True)
        self.tray_action.toggled.connect(self.tray_mode_chosen.emit)
        self._safekeeping_menus(file_menu, settings)
        help_menu = bar.addMenu("&Help")
        guidance = help_menu.addAction("&Help and guidance (what to record, who can help)")
        guidance.setShortcut(QKeySequence.StandardKey.HelpContents)
        guidance.triggered.connect(self.help_requested.emit)

    def _safekeeping_menus(self, file_menu: Any, settings: Any) -> None:
        opening = QAction("&Open another vault or backup…", self)
        opening.triggered.connect(self.open_vault_requested.emit)
        file_menu.insertAction(file_menu.actions()[3], opening)
        settings.addSeparator()
        for text, signal in (
            ("&Back up…", self.backup_requested),
            ("New &recovery code…", self.recovery_code_requested),
            ("Trusted &time-stamps…", self.timestamps_requested),
        ):
            settings.addAction(text).triggered.connect(signal.emit)

    def _redact_menu(self, menu: QMenu) -> None:
        """Redact the chosen item: enabled for what it can be done to (a picture, a chat)."""
        self.redact_action = menu.addAction("Hide parts of this &picture…")
        self.redact_action.setShortcut(QKeySequence("Ctrl+R"))
        self.redact_action.triggered.connect(self.redact_requested.emit)
        self.hide_action = menu.addAction("Hide &messages or words in this chat…")
        self.hide_action.triggered.connect(self.hide_messages_requested.emit)

        def shown(loaded: Any) -> None:
            item = loaded.item
            self.redact_action.setEnabled(loaded.image is not None and item.sha256 is not None)
            self.hide_action.setEnabled(item.kind.value == "import")

        for action in (self.redact_action, self.hide_action):
            action.setEnabled(False)
        self.detail.loaded.connect(shown)

    def set_idle_minutes(self, minutes: int) -> None:
        for action in self.idle_group.actions():
            action.setChecked(action.data() == minutes)

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.selected_rows()
        self.move_button.setEnabled(bool(rows))
        if not rows and hasattr(self, "redact_action"):
            self.redact_action.setEnabled(False)
            self.hide_action.setEnabled(False)
        self.detail.show_item(self.items.item_id(rows[-1]) if rows else None)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.item_table.selectionModel().selectedRows()})

    def selected_item_ids(self) -> list[int]:
        return [i for i in (self.items.item_id(row) for row in self.selected_rows()) if i]

    def current_entry(self) -> Entry:
        return self.cases.entry(self.case_list.currentIndex().row())

    def current_case(self) -> str | None:
        return self.current_entry().case

    def select_entry(self, case: str | None, uncased: bool = False) -> None:
        self.case_list.setCurrentIndex(self.cases.index(self.cases.row_of(case, uncased)))

    def select_case(self, name: str | None) -> None:
        self.select_entry(name)

    def select_item(self, item_id: int) -> None:
        row = self.items.row_of(item_id)
        if row >= 0:
            self.item_table.selectRow(row)
            self.item_table.scrollTo(self.items.index(row, 0))

    def show_results(self, showing: bool) -> None:
        self.middle_stack.setCurrentIndex(1 if showing else 0)

    # -- closing, and drag and drop: a dropped file is imported ----------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """The session decides: hide to the tray, or lock and quit."""
        event.ignore()
        self.close_requested.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Files and folders dropped together are one import (the parts of a download join)."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_requested.emit(paths)
        event.acceptProposedAction()
