"""Region: the frozen screen fills the display; drag a rectangle; Esc cancels."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

HELP = "Drag a rectangle around what you want to keep.  Esc cancels."


class RegionOverlayWidget(QWidget):
    """Emits `selected(QRect)` in the image's pixels, or `cancelled`."""

    selected = Signal(QRect)
    cancelled = Signal()

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.setWindowFlags(
            Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.Tool
        )
        self.setAccessibleName("Choose a region of the screen")
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._start: QPoint | None = None
        self._end: QPoint | None = None

    def show_over_screen(self) -> None:
        """Cover the whole desktop: one screen full-screen, or every monitor at once."""
        from PySide6.QtGui import QGuiApplication

        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setGeometry(screens[0].virtualGeometry())
            self.show()
        else:
            self.setGeometry(0, 0, self.image.width(), self.image.height())
            self.showFullScreen()
        self.activateWindow()
        self.setFocus()

    def _scale(self) -> tuple[float, float]:
        width, height = max(self.width(), 1), max(self.height(), 1)
        return self.image.width() / width, self.image.height() / height

    def selection(self) -> QRect:
        """The rectangle dragged so far, in the image's pixels."""
        if self._start is None or self._end is None:
            return QRect()
        sx, sy = self._scale()
        rect = _span(self._start, self._end)
        return QRect(
            round(rect.x() * sx),
            round(rect.y() * sy),
            round(rect.width() * sx),
            round(rect.height() * sy),
        ).intersected(self.image.rect())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawImage(self.rect(), self.image)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 90))
        if self._start is not None and self._end is not None:
            rect = _span(self._start, self._end)
            target = rect
            sx, sy = self._scale()
            source = QRect(
                round(rect.x() * sx),
                round(rect.y() * sy),
                round(rect.width() * sx),
                round(rect.height() * sy),
            )
            painter.drawImage(target, self.image, source)
            painter.setPen(QPen(QColor(255, 200, 0), 2))
            painter.drawRect(rect)
        painter.setPen(QColor(255, 255, 255))
        box = QRect(0, 0, self.width(), 40)
        painter.fillRect(box, QColor(0, 0, 0, 170))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, HELP)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._start = self._end = event.position().toPoint()
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._end = event.position().toPoint()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._start is None:
            return
        self._end = event.position().toPoint()
        rect = self.selection()
        if rect.width() < 4 or rect.height() < 4:
            self._start = self._end = None
            self.update()
            return
        self.hide()
        self.selected.emit(rect)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)


def _span(a: QPoint, b: QPoint) -> QRect:
    """The rectangle between two corners (QRect(QPoint, QPoint) would add one pixel)."""
    return QRect(min(a.x(), b.x()), min(a.y(), b.y()), abs(a.x() - b.x()), abs(a.y() - b.y()))
