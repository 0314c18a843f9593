"""Thumbnails, made and decoded on the task runner's thread (operations.items), kept in a
small cache."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap

from evidence_kit.ui.operations.items import THUMBNAIL, make_thumbnail
from evidence_kit.ui.tasks import TaskRunner

SIZE = THUMBNAIL
SHOWN = (64, 44)  # as the list shows them


class ThumbnailCache(QObject):
    """Asks the runner for thumbnails once each; emits `loaded(item_id)` when one arrives."""

    loaded = Signal(int)

    def __init__(self, runner: TaskRunner, limit: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.limit = limit
        self._images: OrderedDict[int, QPixmap | None] = OrderedDict()
        self._asked: set[int] = set()

    def get(self, item_id: int) -> QPixmap | None:
        """The thumbnail if it is ready; otherwise ask for it and return None for now."""
        if item_id in self._images:
            self._images.move_to_end(item_id)
            return self._images[item_id]
        if item_id not in self._asked:
            self._asked.add(item_id)
            self.runner.submit(
                lambda job: make_thumbnail(job, item_id),
                on_done=self._arrived(item_id),
                on_error=lambda exc: self._store(item_id, None),
                background=True,
            )
        return None

    def _arrived(self, item_id: int) -> Callable[[object], None]:
        def done(image: object) -> None:
            pixmap = (
                QPixmap.fromImage(image).scaled(
                    *SHOWN,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
                if isinstance(image, QImage)
                else None
            )
            self._store(item_id, pixmap)

        return done

    def _store(self, item_id: int, pixmap: QPixmap | None) -> None:
        self._asked.discard(item_id)
        self._images[item_id] = pixmap
        while len(self._images) > self.limit:
            self._images.popitem(last=False)
        self.loaded.emit(item_id)

    def clear(self) -> None:
        self._images.clear()
        self._asked.clear()
