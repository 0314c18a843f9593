"""The timeline: a table model that holds item ids and loads the rows in pages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from evidence_kit.model import Item
from evidence_kit.ui.models import describe
from evidence_kit.ui.models.table import AnyIndex, ColumnsTableModel
from evidence_kit.ui.models.thumbnails import ThumbnailCache
from evidence_kit.ui.tasks import Job, TaskRunner

PAGE = 100
COLUMNS = ("Time", "Kind", "Platform", "Place", "Who posted", "Fingerprint (SHA-256)")
ItemIdRole = Qt.ItemDataRole.UserRole + 1


def _load_page(job: Job, ids: list[int]) -> list[Item]:
    vault = job.need_vault()
    return [vault.item(item_id) for item_id in ids]


class ItemListModel(ColumnsTableModel):
    COLUMNS = COLUMNS

    """Rows are item ids; the items themselves arrive a page at a time from the task runner."""

    def __init__(
        self, runner: TaskRunner, thumbnails: ThumbnailCache, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.thumbnails = thumbnails
        self.thumbnails.loaded.connect(self._thumbnail_loaded)
        self._ids: list[int] = []
        self._rows: dict[int, Item] = {}
        self._asked: set[int] = set()  # page numbers requested
        self._generation = 0

    # -- filling ---------------------------------------------------------------------------

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._generation += 1
        self._ids = list(ids)
        self._rows.clear()
        self._asked.clear()
        self.endResetModel()

    def item_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def item(self, row: int) -> Item | None:
        item_id = self.item_id(row)
        return self._rows.get(item_id) if item_id is not None else None

    def row_of(self, item_id: int) -> int:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return -1

    def _ask_page(self, row: int) -> None:
        page = row // PAGE
        if page in self._asked:
            return
        self._asked.add(page)
        ids = self._ids[page * PAGE : (page + 1) * PAGE]
        generation = self._generation
        self.runner.submit(
            lambda job: _load_page(job, ids),
            on_done=lambda items: self._page_loaded(generation, page, items),
            on_error=lambda exc: self._asked.discard(page),
        )

    def _page_loaded(self, generation: int, page: int, items: list[Item]) -> None:
        if generation != self._generation:
            return
        for item in items:
            self._rows[item.id] = item
        first = page * PAGE
        last = min(first + PAGE, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _thumbnail_loaded(self, item_id: int) -> None:
        row = self.row_of(item_id)
        if row >= 0:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    # -- the model -------------------------------------------------------------------------

    def _count(self) -> int:
        return len(self._ids)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        item_id = self._ids[index.row()]
        if role == ItemIdRole:
            return item_id
        item = self._rows.get(item_id)
        if item is None:
            self._ask_page(index.row())
            if role == Qt.ItemDataRole.DisplayRole:
                return "Loading…" if index.column() == 0 else ""
            return None
        try:
            return self._item_data(item, index.column(), role)
        except Exception:  # a model never raises from data(): odd metadata shows as blank
            return None

    def _item_data(self, item: Item, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            text = (
                describe.local_time_text(describe.evidence_time(item)),
                describe.kind_text(item),
                describe.platform_text(item),
                describe.place_text(item),
                describe.who_text(item),
                describe.short_hash(item),
            )[column]
            if column == 1 and item.withdrawn:
                text += " (withdrawn)"
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return describe.time_tooltip(item)
            if column == 5:
                return item.sha256
            if column == 3:
                return describe.place_text(item)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self.thumbnails.get(item.id)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            return f"{describe.kind_text(item)}, {describe.local_time_text(describe.evidence_time(item))}"
        return None
