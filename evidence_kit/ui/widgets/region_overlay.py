"""Region: the frozen screen fills the display; drag a rectangle, or move and size it with the
keyboard (arrows, Ctrl+arrows, Shift for bigger steps) and press Enter; Esc cancels."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

HELP = (
    "Drag a rectangle around what you want to keep — or use the arrow keys to move it and "
    "Ctrl+arrows to size it (Shift: bigger steps). Enter keeps it. Esc cancels."
)
STEP, BIG_STEP = 10, 80  # widget pixels per key press


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
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        needed = painter.boundingRect(QRect(10, 0, self.width() - 20, 1000), flags, HELP)
        box = QRect(0, 0, self.width(), needed.height() + 16)
        painter.fillRect(box, QColor(0, 0, 0, 170))
        painter.drawText(box.adjusted(10, 0, -10, 0), flags, HELP)
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
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.hide()
            self.cancelled.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            rect = self.selection()
            if rect.width() >= 4 and rect.height() >= 4:
                self.hide()
                self.selected.emit(rect)
            return
        moves = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key not in moves:
            super().keyPressEvent(event)
            return
        if self._start is None or self._end is None:  # the first key: a rectangle to start from
            w, h = self.width(), self.height()
            self._start, self._end = QPoint(w // 3, h // 3), QPoint(2 * w // 3, 2 * h // 3)
        dx, dy = moves[Qt.Key(key)]
        step = BIG_STEP if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else STEP
        rect = _span(self._start, self._end)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # size
            rect.setWidth(max(8, rect.width() + dx * step))
            rect.setHeight(max(8, rect.height() + dy * step))
        else:  # move, staying on the screen
            rect.translate(dx * step, dy * step)
            rect.moveLeft(max(0, min(rect.left(), self.width() - rect.width())))
            rect.moveTop(max(0, min(rect.top(), self.height() - rect.height())))
        rect = rect.intersected(self.rect())
        self._start, self._end = rect.topLeft(), QPoint(rect.right() + 1, rect.bottom() + 1)
        self.update()


def _span(a: QPoint, b: QPoint) -> QRect:
    """The rectangle between two corners (QRect(QPoint, QPoint) would add one pixel)."""
    return QRect(min(a.x(), b.x()), min(a.y(), b.y()), abs(a.x() - b.x()), abs(a.y() - b.y()))
