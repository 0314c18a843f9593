"""An imported conversation: message rows loaded in pages; a search shows only the matches."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from evidence_kit.ui.tasks import Job, TaskRunner

PAGE = 200
SEARCH_LIMIT = 2000
MessageRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def message_text(message: dict[str, Any]) -> str:
    """One message as a person reads it (the same words as the command line shows)."""
    from evidence_kit.vault.message_codec import describe

    return describe(message)


def _count(job: Job, item_id: int) -> tuple[int, int]:
    """How many messages, and the index of the first (indexes count on from there)."""
    vault = job.need_vault()
    first = next(iter(vault.messages(item_id, limit=1)), None)
    return vault.message_count(item_id), int(first["index"]) if first else 0


def _page(job: Job, item_id: int, offset: int) -> list[dict[str, Any]]:
    return list(job.need_vault().messages(item_id, offset=offset, limit=PAGE))


def _search(job: Job, item_id: int, text: str) -> list[dict[str, Any]]:
    words = text.casefold().split()
    found: list[dict[str, Any]] = []
    for message in job.need_vault().messages(item_id):
        if job.cancel():
            _stop()
        body = f"{message.get('sender') or ''} {message.get('text') or ''}".casefold()
        if all(word in body for word in words):
            found.append(message)
            if len(found) >= SEARCH_LIMIT:
                break
    return found


def _stop() -> None:
    from evidence_kit.errors import Cancelled

    raise Cancelled()


class MessageListModel(QAbstractListModel):
    """All messages of one import in file order, or (while searching) the matching ones."""

    loaded = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.item_id: int | None = None
        self._count = 0
        self._rows: dict[int, dict[str, Any]] = {}
        self._asked: set[int] = set()
        self._generation = 0
        self._first = 0
        self.searching = ""

    def show_import(self, item_id: int) -> None:
        self.item_id = item_id
        self.search("")

    def search(self, text: str) -> None:
        """Empty text shows every message."""
        if self.item_id is None:
            return
        self._generation += 1
        generation, item_id = self._generation, self.item_id
        self.searching = text.strip()
        if self.searching:
            self.runner.submit(
                lambda job: _search(job, item_id, self.searching),
                on_done=lambda rows: self._filled(generation, len(rows), rows),
            )
        else:
            self.runner.submit(
                lambda job: _count(job, item_id),
                on_done=lambda found: self._filled(generation, found[0], [], found[1]),
            )

    def _filled(
        self, generation: int, count: int, rows: list[dict[str, Any]], first: int = 0
    ) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._first = first
        self._count = count
        self._rows = dict(enumerate(rows))
        self._asked = set(range(0, count // PAGE + 1)) if rows else set()
        self.endResetModel()
        self.loaded.emit()

    def _ask_page(self, row: int) -> None:
        page = row // PAGE
        if page in self._asked or self.item_id is None:
            return
        self._asked.add(page)
        generation, item_id, first = self._generation, self.item_id, self._first
        self.runner.submit(
            lambda job: _page(job, item_id, first + page * PAGE),
            on_done=lambda rows: self._page_loaded(generation, page, rows),
        )

    def _page_loaded(self, generation: int, page: int, rows: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        first = page * PAGE
        for offset, message in enumerate(rows):
            self._rows[first + offset] = message
        last = min(first + len(rows), self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, 0))
        self.loaded.emit()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        message = self._rows.get(index.row())
        if message is None:
            self._ask_page(index.row())
            return "Loading…" if role == Qt.ItemDataRole.DisplayRole else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            try:
                return message_text(message)
            except Exception:  # a model never raises from data()
                return ""
        if role == MessageRole:
            return message
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(message.get("sent_at_utc") or "")
        return None
