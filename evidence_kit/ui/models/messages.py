"""An imported conversation: message rows loaded in pages; a search shows only the matches.

Messages are shown as plain text. An e-mail shows who it was from, to whom, and its subject.
A page that cannot be read says so (and what went wrong) instead of "Loading…" for ever.
"""

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

from evidence_kit.ui.errors import error_text
from evidence_kit.ui.operations import messages as ops
from evidence_kit.ui.tasks import TaskRunner

PAGE = ops.PAGE
KEEP_PAGES = 20  # pages kept either side of what a view shows
MessageRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = (("from", "From"), ("to", "To"), ("cc", "Cc"), ("subject", "Subject"))


def _when(message: dict[str, Any]) -> str:
    when = message.get("sent_at_local") or message.get("sent_at") or ""
    return str(when).replace("T", " ")[:16] or "no date"


def message_text(message: dict[str, Any]) -> str:
    """One message as a person reads it (the same words as the command line shows); an e-mail
    with its From, To and Subject first."""
    from evidence_kit.vault.message_codec import describe

    headers = (message.get("extra") or {}).get("headers") or {}
    if isinstance(headers, dict) and any(headers.get(key) for key, _ in HEADERS):
        lines = [f"[{_when(message)}]"]
        lines += [f"{label}: {headers[key]}" for key, label in HEADERS if headers.get(key)]
        return "\n".join(lines) + "\n" + describe(message)
    return describe(message)


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
        self._failed: dict[int, str] = {}
        self._generation = 0
        self._first = 0
        self.searching = ""
        self.problem = ""  # why the count or a search could not be had
        # Set by a view that asks for the rows it shows (`want_rows`): then laying out a long
        # conversation (which reads every row's text) loads nothing by itself.
        self.driven = False

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
        wanted = self.searching
        if wanted:
            self.runner.submit(
                lambda job: ops.search(job, item_id, wanted),
                on_done=lambda rows: self._filled(generation, len(rows), rows),
                on_error=lambda exc: self._count_failed(generation, exc),
            )
        else:
            self.runner.submit(
                lambda job: ops.count(job, item_id),
                on_done=lambda found: self._filled(generation, found[0], [], found[1]),
                on_error=lambda exc: self._count_failed(generation, exc),
            )

    def _count_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        message, _hint = error_text(exc)
        self.beginResetModel()
        self.problem = message
        self._count, self._rows = 0, {}
        self.endResetModel()
        self.loaded.emit()

    def _filled(
        self, generation: int, count: int, rows: list[dict[str, Any]], first: int = 0
    ) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self.problem = ""
        self._first = first
        self._count = count
        self._rows = dict(enumerate(rows))
        self._asked = set(range(0, count // PAGE + 1)) if rows else set()
        self._failed = {}
        self.endResetModel()
        self.loaded.emit()

    def want_rows(self, first: int, last: int) -> None:
        """Load the pages of rows `first` to `last` (those a view shows, and a page either
        side), and forget pages far from them so a long conversation stays in bounded memory."""
        first, last = max(first, 0), min(last, self._count - 1)
        if last < first:
            return
        for page in range(first // PAGE, last // PAGE + 1):
            self._ask_page(page * PAGE)
        near = range(first // PAGE - KEEP_PAGES, last // PAGE + KEEP_PAGES + 1)
        far = {row // PAGE for row in self._rows} - set(near)
        if far and not self.searching:
            for page in far:
                for row in range(page * PAGE, min((page + 1) * PAGE, self._count)):
                    self._rows.pop(row, None)
                self._asked.discard(page)

    def _ask_page(self, row: int) -> None:
        page = row // PAGE
        if page in self._asked or self.item_id is None:
            return
        self._asked.add(page)
        generation, item_id, first = self._generation, self.item_id, self._first
        self.runner.submit(
            lambda job: ops.page(job, item_id, first + page * PAGE),
            on_done=lambda rows: self._page_loaded(generation, page, rows),
            on_error=lambda exc: self._page_failed(generation, page, exc),
        )

    def _page_loaded(self, generation: int, page: int, rows: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        first = page * PAGE
        for offset, message in enumerate(rows):
            self._rows[first + offset] = message
        self._changed(page)
        self.loaded.emit()

    def _page_failed(self, generation: int, page: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._failed[page] = error_text(exc)[0]
        self._changed(page)
        self.loaded.emit()

    def _changed(self, page: int) -> None:
        first = page * PAGE
        last = min(first + PAGE, self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, 0))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        message = self._rows.get(index.row())
        if message is None:
            failed = self._failed.get(index.row() // PAGE)
            if failed is not None:
                shown = f"⚠ These messages cannot be shown: {failed}"
                return shown if role == Qt.ItemDataRole.DisplayRole else None
            if not self.driven:
                self._ask_page(index.row())
            return "Loading…" if role == Qt.ItemDataRole.DisplayRole else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            try:
                return message_text(message)
            except Exception as exc:  # a model never raises from data(): the row says so
                return f"⚠ This message cannot be shown ({type(exc).__name__})"
        if role == MessageRole:
            return message
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(message.get("sent_at_utc") or "")
        return None
