"""Windows that fit the screen they open on, whatever its size and text scale."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QComboBox, QWidget

NORMAL_LINE = 17  # pixels a line of text takes at 100% (DejaVu Sans 9 pt, 96 dpi)
TITLE_BAR = 32
PLACED_MS = 250  # after a window is shown, time for the window manager to place it  # room left for a window manager's title bar it has not reported yet


def available(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 700)


def text_scale(widget: QWidget) -> float:
    """How much larger than usual the text is (2.0 with 200% text), never less than 1."""
    return max(1.0, QFontMetrics(widget.font()).height() / NORMAL_LINE)


def fit_to_screen(widget: QWidget, width: int, height: int) -> QSize:
    """Resize `widget` to `width` × `height` (as wanted with normal text: larger text makes it
    larger), or less where the screen is smaller, leaving room for the window frame; returns
    the size given."""
    room = available(widget)
    scale = text_scale(widget)
    width, height = int(width * scale), int(height * scale)
    size = QSize(min(width, room.width() - 40), min(height, room.height() - 60))
    widget.resize(size)
    return size


def fit_contents(window: QWidget) -> None:
    """Make `window` as tall as what it shows now needs (a message that appeared, a meter), up
    to the screen's height: its text is never squeezed out of sight, nor left in a gap."""
    layout = window.layout()
    # Before the window manager has placed it, Qt sizes it itself (and a resize then would
    # also move it to where Qt last thought it was: the top left corner).
    if (
        layout is None
        or not window.isVisible()
        or not window.testAttribute(Qt.WidgetAttribute.WA_Mapped)
    ):
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
    frame, inner = window.frameGeometry(), window.geometry()
    if frame.bottom() > room.bottom():  # grown past the bottom of the screen: move it up
        title = inner.top() - frame.top()
        top = max(room.top(), room.bottom() - (need + (title or TITLE_BAR)))
        # move() places the frame; before the window manager has said how big its frame
        # is, Qt knows only the window itself: leave room for the title bar then
        window.move(frame.left(), top if title else top + TITLE_BAR)


class _Fitter(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QWidget):
            # (the fitter is the timer's context: a window gone by then is left alone)
            if event.type() == QEvent.Type.LayoutRequest:
                QTimer.singleShot(0, self, lambda: fit_contents(watched))
            elif event.type() == QEvent.Type.Show:  # once placed on the screen
                QTimer.singleShot(PLACED_MS, self, lambda: fit_contents(watched))
        return False


def grow_with_contents(window: QWidget) -> None:
    """From now on, `window` grows whenever its contents need more room."""
    fitter = _Fitter(window)
    window.installEventFilter(fitter)


def narrow_combo(combo: QComboBox, characters: int = 24) -> QComboBox:
    """A combo box that does not grow with its longest choice (a 200-character case name would
    push the window past the screen); the choice is elided, and said whole in its tooltip."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    combo.currentTextChanged.connect(combo.setToolTip)
    return combo
