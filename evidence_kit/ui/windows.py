"""Windows that fit the screen they open on, whatever its size and text scale."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
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
