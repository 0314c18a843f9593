"""The redaction editor's picture: boxes drawn, moved and resized with the mouse or the keyboard.

Boxes are kept in the picture's own pixels (what the core paints), whatever the zoom: the
widget maps a point on the screen to a pixel by dividing by the zoom, and back by multiplying.

Keyboard: the arrow keys move the chosen box (Shift: ten pixels at a time); Ctrl (or Alt) with
the arrow keys makes it wider/narrower, taller/shorter; Delete removes it; Page Up/Page Down
choose the previous/next box.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

HANDLE = 5  # half the size of a resize handle, in screen pixels
MIN_DRAWN = 3  # a drag shorter than this (in picture pixels) makes no box
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.05, 16.0)

# which edges a handle moves: (left, top, right, bottom)
Edges = tuple[bool, bool, bool, bool]
_HANDLES: tuple[Edges, ...] = (
    (True, True, False, False), (False, True, True, False),
    (True, False, False, True), (False, False, True, True),
    (True, False, False, False), (False, True, False, False),
    (False, False, True, False), (False, False, False, True),
)  # fmt: skip


class BoxCanvas(QWidget):
    changed = Signal()  # a box was added, moved, resized or removed, or another chosen

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.zoom = 1.0
        self.boxes: list[QRect] = []  # in the picture's pixels
        self.current = -1
        self._drag: tuple[str, QPoint, QRect, Edges] | None = None  # mode, start pixel, box then
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Picture to redact")
        self._describe()

    # -- geometry ------------------------------------------------------------------------

    @property
    def bounds(self) -> QRect:
        return QRect(0, 0, self.image.width(), self.image.height())

    def sizeHint(self) -> QSize:
        return QSize(
            max(1, round(self.image.width() * self.zoom)),
            max(1, round(self.image.height() * self.zoom)),
        )

    def set_zoom(self, zoom: float) -> None:
        self.zoom = min(max(zoom, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        self.setFixedSize(self.sizeHint())
        self.update()

    def fit(self, room: QSize) -> None:
        """The zoom that shows the whole picture in `room` (never larger than 100%)."""
        if self.image.width() and self.image.height():
            self.set_zoom(
                min(1.0, room.width() / self.image.width(), room.height() / self.image.height())
            )

    def to_pixel(self, point: QPointF | QPoint) -> QPoint:
        """The picture pixel under a point of the widget (clamped to the picture)."""
        x = math.floor(point.x() / self.zoom)
        y = math.floor(point.y() / self.zoom)
        return QPoint(min(max(x, 0), self.image.width()), min(max(y, 0), self.image.height()))

    def to_screen(self, box: QRect) -> QRectF:
        z = self.zoom
        return QRectF(box.x() * z, box.y() * z, box.width() * z, box.height() * z)

    def pixel_boxes(self) -> list[tuple[int, int, int, int]]:
        """The boxes as the core takes them: X, Y, WIDTH, HEIGHT in the picture's pixels."""
        return [(b.x(), b.y(), b.width(), b.height()) for b in self.boxes]

    # -- changing the boxes ----------------------------------------------------------------

    def add_box(self) -> int:
        """A box in the middle of what shows (a quarter of the picture's size, at least 20 px),
        chosen, for the keyboard to move and resize."""
        w = max(20, self.image.width() // 4)
        h = max(20, self.image.height() // 8)
        box = QRect(0, 0, min(w, self.image.width()), min(h, self.image.height()))
        visible = self.visibleRegion().boundingRect()
        centre = self.to_pixel(visible.center()) if not visible.isEmpty() else self.bounds.center()
        box.moveCenter(centre)
        self.boxes.append(self._inside(box))
        return self.choose(len(self.boxes) - 1)

    def remove_current(self) -> None:
        if 0 <= self.current < len(self.boxes):
            del self.boxes[self.current]
            self.current = min(self.current, len(self.boxes) - 1)
            self._changed()

    def choose(self, index: int) -> int:
        self.current = index if 0 <= index < len(self.boxes) else -1
        self._changed()
        return self.current

    def nudge(self, dx: int, dy: int) -> None:
        if self.current < 0:
            return
        box = QRect(self.boxes[self.current])
        box.translate(dx, dy)
        self.boxes[self.current] = self._inside(box)
        self._changed()

    def grow(self, dw: int, dh: int) -> None:
        if self.current < 0:
            return
        box = QRect(self.boxes[self.current])
        box.setWidth(max(1, box.width() + dw))
        box.setHeight(max(1, box.height() + dh))
        self.boxes[self.current] = box.intersected(self.bounds)
        self._changed()

    def _inside(self, box: QRect) -> QRect:
        """`box` moved (not cut) to lie within the picture."""
        box = QRect(box)
        box.setWidth(min(box.width(), self.image.width()))
        box.setHeight(min(box.height(), self.image.height()))
        box.moveLeft(min(max(box.left(), 0), self.image.width() - box.width()))
        box.moveTop(min(max(box.top(), 0), self.image.height() - box.height()))
        return box

    def _changed(self) -> None:
        self._describe()
        self.update()
        self.changed.emit()

    def _describe(self) -> None:
        if self.current >= 0:
            x, y, w, h = self.pixel_boxes()[self.current]
            text = (
                f"Box {self.current + 1} of {len(self.boxes)}: {w} by {h} pixels, {x} from the "
                f"left, {y} from the top. Arrow keys move it; Ctrl with arrow keys resizes it."
            )
        else:
            text = f"{len(self.boxes)} box(es). Use “Add a box”, or draw one with the mouse."
        self.setAccessibleDescription(text)
        self.setToolTip(text)

    # -- the mouse -------------------------------------------------------------------------

    def _handles(self, box: QRect) -> list[tuple[QRectF, Edges]]:
        r = self.to_screen(box)
        mid_x, mid_y = r.center().x(), r.center().y()
        out = []
        for edges in _HANDLES:
            left, top, right, bottom = edges
            x = r.left() if left else r.right() if right else mid_x
            y = r.top() if top else r.bottom() if bottom else mid_y
            out.append((QRectF(x - HANDLE, y - HANDLE, 2 * HANDLE, 2 * HANDLE), edges))
        return out

    def _hit(self, point: QPointF) -> tuple[int, Edges | None]:
        """The box under `point` and the handle (edges) grabbed, or (-1, None)."""
        if self.current >= 0:
            for rect, edges in self._handles(self.boxes[self.current]):
                if rect.contains(point):
                    return self.current, edges
        for index in reversed(range(len(self.boxes))):
            if self.to_screen(self.boxes[index]).contains(point):
                return index, None
        return -1, None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.setFocus()
        point = event.position()
        pixel = self.to_pixel(point)
        index, edges = self._hit(point)
        if index >= 0 and edges is not None:
            self._drag = ("resize", pixel, QRect(self.boxes[index]), edges)
        elif index >= 0:
            self.choose(index)
            self._drag = ("move", pixel, QRect(self.boxes[index]), (False,) * 4)  # type: ignore[arg-type]
        else:
            self.boxes.append(QRect(pixel, QSize(0, 0)))
            self.current = len(self.boxes) - 1
            self._drag = ("draw", pixel, QRect(pixel, QSize(0, 0)), (False,) * 4)  # type: ignore[arg-type]

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            _index, edges = self._hit(event.position())
            self.setCursor(
                Qt.CursorShape.SizeAllCursor if edges is None and _index >= 0
                else Qt.CursorShape.CrossCursor if edges is None
                else Qt.CursorShape.SizeFDiagCursor
            )  # fmt: skip
            return
        mode, start, before, edges = self._drag
        pixel = self.to_pixel(event.position())
        if mode == "draw":
            box = QRect(min(start.x(), pixel.x()), min(start.y(), pixel.y()),
                        abs(pixel.x() - start.x()), abs(pixel.y() - start.y()))  # fmt: skip
        elif mode == "move":
            box = self._inside(before.translated(pixel - start))
        else:
            left, top, right, bottom = edges
            x1, y1 = before.left(), before.top()
            x2, y2 = before.left() + before.width(), before.top() + before.height()
            x1, x2 = (pixel.x() if left else x1), (pixel.x() if right else x2)
            y1, y2 = (pixel.y() if top else y1), (pixel.y() if bottom else y2)
            box = QRect(min(x1, x2), min(y1, y2), max(1, abs(x2 - x1)), max(1, abs(y2 - y1)))
        self.boxes[self.current] = box.intersected(self.bounds) if mode != "move" else box
        self._describe()
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        mode = self._drag[0]
        self._drag = None
        box = self.boxes[self.current]
        if mode == "draw" and (box.width() < MIN_DRAWN or box.height() < MIN_DRAWN):
            del self.boxes[self.current]  # a click, not a drag: no box
            self.current = -1
        self._changed()

    # -- the keyboard ----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        mods = event.modifiers()
        step = 10 if mods & Qt.KeyboardModifier.ShiftModifier else 1
        sizing = bool(
            mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        )
        arrows = {
            Qt.Key.Key_Left: (-step, 0), Qt.Key.Key_Right: (step, 0),
            Qt.Key.Key_Up: (0, -step), Qt.Key.Key_Down: (0, step),
        }  # fmt: skip
        if key in arrows and self.current >= 0:
            dx, dy = arrows[key]
            self.grow(dx, dy) if sizing else self.nudge(dx, dy)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.current >= 0:
            self.remove_current()
        elif key == Qt.Key.Key_PageDown and self.boxes:
            self.choose((self.current + 1) % len(self.boxes))
        elif key == Qt.Key.Key_PageUp and self.boxes:
            self.choose((self.current - 1) % len(self.boxes))
        else:
            super().keyPressEvent(event)

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.zoom < 1)
        painter.drawImage(QRectF(self.rect()), self.image)
        for index, box in enumerate(self.boxes):
            chosen = index == self.current
            rect = self.to_screen(box)
            painter.fillRect(rect, QColor(0, 0, 0, 200))  # what will be solid black
            painter.setPen(QPen(QColor(230, 30, 30) if chosen else QColor(255, 200, 0), 2))
            painter.drawRect(rect)
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(rect.adjusted(4, 2, 0, 0), str(index + 1))
            if chosen:
                painter.setBrush(QBrush(QColor(255, 255, 255)))
                painter.setPen(QPen(QColor(230, 30, 30), 1))
                for handle, _edges in self._handles(box):
                    painter.drawRect(handle)
                painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.hasFocus():
            painter.setPen(QPen(self.palette().highlight().color(), 2, Qt.PenStyle.DashLine))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        painter.end()
