"""Windows that fit the screen they open on, whatever its size and text scale."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def available(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 700)


def fit_to_screen(widget: QWidget, width: int, height: int) -> QSize:
    """Resize `widget` to `width` × `height`, or less where the screen is smaller (leaving room
    for the window frame); returns the size given."""
    room = available(widget)
    size = QSize(min(width, room.width() - 40), min(height, room.height() - 60))
    widget.resize(size)
    return size


def fit_contents(window: QWidget) -> None:
    """Make `window` as tall as what it shows now needs (a message that appeared, a meter), up
    to the screen's height: its text is never squeezed out of sight, nor left in a gap."""
    layout = window.layout()
    if layout is None or not window.isVisible():  # before it is shown, Qt sizes it itself
        return
    width = window.width()
    need = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    room = available(window)
    need = max(min(need, room.height() - 60), layout.totalMinimumSize().height())
    if need == window.height():
        return
    window.resize(width, need)
    frame = window.frameGeometry()
    if frame.bottom() > room.bottom():  # grown past the bottom of the screen: move it up
        window.move(frame.left(), max(room.top(), room.bottom() - frame.height()))


class _Fitter(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and isinstance(watched, QWidget):
            QTimer.singleShot(0, lambda: fit_contents(watched))
        return False


def grow_with_contents(window: QWidget) -> None:
    """From now on, `window` grows whenever its contents need more room."""
    fitter = _Fitter(window)
    window.installEventFilter(fitter)
