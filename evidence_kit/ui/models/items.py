"""The timeline: a table model that holds item ids and loads the rows in pages.

A page that cannot be loaded shows its error on its rows (and can be tried again), never
"Loading…" for ever; a row whose data cannot be shown says so instead of going blank.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from evidence_kit.ui.errors import error_text
from evidence_kit.ui.models import describe
from evidence_kit.ui.models.table import AnyIndex, ColumnsTableModel
from evidence_kit.ui.models.thumbnails import ThumbnailCache
from evidence_kit.ui.operations.items import Row, load_page
from evidence_kit.ui.tasks import TaskRunner

PAGE = 100
COLUMNS = ("When", "What", "Where, and who posted")
TIPS = (
    "When it happened: when a message was sent, a screenshot captured, or (when nothing "
    "better is known) a file dated or added",
    "What kind of evidence it is",
    "The site or app, the web address, window or file name, and who posted it (or who "
    "wrote in the conversation)",
)
ItemIdRole = Qt.ItemDataRole.UserRole + 1
CANNOT_SHOW = "⚠ This row cannot be shown"


class ItemListModel(ColumnsTableModel):
    """Rows are item ids; the items themselves arrive a page at a time from the task runner."""

    COLUMNS = COLUMNS

    def __init__(
        self, runner: TaskRunner, thumbnails: ThumbnailCache, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.thumbnails = thumbnails
        self.thumbnails.loaded.connect(self._thumbnail_loaded)
        self._ids: list[int] = []
        self._rows: dict[int, Row] = {}
        self._asked: set[int] = set()  # page numbers requested
        self._failed: dict[int, str] = {}  # page number -> what went wrong
        self._generation = 0

    # -- filling ---------------------------------------------------------------------------

    def set_ids(self, ids: list[int] | tuple[int, ...]) -> None:
        self.beginResetModel()
        self._generation += 1
        self._ids = list(ids)
        self._rows.clear()
        self._asked.clear()
        self._failed.clear()
        self.endResetModel()

    def item_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row(self, row: int) -> Row | None:
        item_id = self.item_id(row)
        return self._rows.get(item_id) if item_id is not None else None

    def item(self, row: int) -> Any:
        found = self.row(row)
        return found.item if found is not None else None

    def row_of(self, item_id: int) -> int:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return -1

    def retry(self) -> None:
        """Ask again for the pages that failed."""
        for page in list(self._failed):
            self._failed.pop(page)
            self._asked.discard(page)
        if self._ids:
            self._emit_all()

    def _ask_page(self, row: int) -> None:
        page = row // PAGE
        if page in self._asked:
            return
        self._asked.add(page)
        ids = self._ids[page * PAGE : (page + 1) * PAGE]
        generation = self._generation
        self.runner.submit(
            lambda job: load_page(job, ids),
            on_done=lambda rows: self._page_loaded(generation, page, rows),
            on_error=lambda exc: self._page_failed(generation, page, exc),
        )

    def _page_loaded(self, generation: int, page: int, rows: list[Row]) -> None:
        if generation != self._generation:
            return
        for found in rows:
            self._rows[found.item.id] = found
        self._emit_page(page)

    def _page_failed(self, generation: int, page: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        message, _hint = error_text(exc)
        self._failed[page] = message
        self._emit_page(page)

    def _emit_page(self, page: int) -> None:
        first = page * PAGE
        last = min(first + PAGE, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _emit_all(self) -> None:
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def _thumbnail_loaded(self, item_id: int) -> None:
        row = self.row_of(item_id)
        if row >= 0:
            index = self.index(row, 1)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    # -- the model -------------------------------------------------------------------------

    def _count(self) -> int:
        return len(self._ids)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(TIPS)
        ):
            return TIPS[section]
        return super().headerData(section, orientation, role)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        item_id = self._ids[index.row()]
        if role == ItemIdRole:
            return item_id
        found = self._rows.get(item_id)
        if found is None:
            failed = self._failed.get(index.row() // PAGE)
            if failed is not None:
                return self._error_data(failed, index.column(), role)
            self._ask_page(index.row())
            if role == Qt.ItemDataRole.DisplayRole:
                return "Loading…" if index.column() == 0 else ""
            return None
        try:
            return self._row_data(found, index.column(), role)
        except Exception as exc:  # a model never raises from data(): the row says so
            return self._error_data(f"{type(exc).__name__}", index.column(), role)

    def _error_data(self, message: str, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{CANNOT_SHOW}: {message}" if column == 0 else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{message}\nChoose File → Reload the list to try again."
        return None

    def _row_data(self, found: Row, column: int, role: int) -> Any:
        item = found.item
        if role == Qt.ItemDataRole.DisplayRole:
            when = item.evidence_time
            what = describe.kind_text(item)
            if found.attachment_count:
                what += f"\n+ {found.attachment_count} attachment(s)"
            if item.withdrawn:
                what += "\n(withdrawn)"
            where = [describe.platform_text(item), describe.place_text(item)]
            if found.who:
                where.append(f"by {found.who}")
            last = when.last_text()
            return (
                f"{when.label}\n{when.local_text()}" + (f"\nto {last}" if last else ""),
                what,
                "\n".join(line for line in where if line),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return describe.time_tooltip(item)
            return self._row_data(found, column, Qt.ItemDataRole.DisplayRole) or None
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return self.thumbnails.get(item.id)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            return f"{describe.kind_text(item)}, {describe.when_text(item)}"
        return None
