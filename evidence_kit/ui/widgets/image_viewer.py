"""A picture viewer: fit to the window, zoom in and out, drag to move around."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class _View(QGraphicsView):
    def __init__(self, viewer: ImageViewerWidget) -> None:
        super().__init__(viewer)
        self.viewer = viewer

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.viewer.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)
        else:
            super().wheelEvent(event)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        if self.viewer.fitting:
            self.viewer.fit()


class ImageViewerWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene = QGraphicsScene(self)
        self.view = _View(self)
        self.view.setScene(self.scene)
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.view.setAccessibleName("Picture")
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pixmap_item = QGraphicsPixmapItem()
        self.pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene.addItem(self.pixmap_item)
        self.fitting = True
        self.scale_factor = 1.0
        buttons = QHBoxLayout()
        for text, name, slot in (
            ("Fit", "Fit the picture to the window", self.fit),
            ("Actual size", "Show the picture at its actual size", self.actual_size),
            ("Zoom in", "Zoom in", lambda: self.zoom(1.25)),
            ("Zoom out", "Zoom out", lambda: self.zoom(0.8)),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.zoom(1.25))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.zoom(0.8))

    def set_image(self, image: QImage | None) -> None:
        self.pixmap_item.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self.scene.setSceneRect(self.pixmap_item.boundingRect())
        self.fit()

    def has_image(self) -> bool:
        return not self.pixmap_item.pixmap().isNull()

    def fit(self) -> None:
        self.fitting = True
        if self.has_image():
            self.view.fitInView(self.pixmap_item, Qt.AspectRatioMode.KeepAspectRatio)
            self.scale_factor = self.view.transform().m11()

    def actual_size(self) -> None:
        self.fitting = False
        self.view.resetTransform()
        self.scale_factor = 1.0

    def zoom(self, factor: float) -> None:
        new = self.scale_factor * factor
        if not 0.05 <= new <= 20:
            return
        self.fitting = False
        self.view.scale(factor, factor)
        self.scale_factor = new
