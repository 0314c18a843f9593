"""The big Capture button and its menu (the tray icon uses the same menu)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

MODES = (
    ("all", "&Full screen", "Capture the whole screen"),
    ("region", "&Region…", "Drag a rectangle around the part to keep"),
    ("window", "&Window", "Capture the window in front"),
)
DELAYS = (3, 5, 10)


class CaptureActions(QObject):
    """The capture actions, shared by the button, the menu bar and the tray icon."""

    triggered = Signal(str, int)  # mode ("all", "region", "window"), delay in seconds

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actions: list[QAction] = []
        for mode, text, tip in MODES:
            action = QAction(text, self)
            action.setToolTip(tip)
            action.triggered.connect(lambda _=False, m=mode: self.triggered.emit(m, 0))
            self.actions.append(action)
        self.actions[0].setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.actions[1].setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.delayed: list[QAction] = []
        for seconds in DELAYS:
            action = QAction(f"Full screen in {seconds} seconds", self)
            action.setToolTip(f"Wait {seconds} seconds (to open a menu), then capture")
            action.triggered.connect(lambda _=False, s=seconds: self.triggered.emit("all", s))
            self.delayed.append(action)

    def fill(self, menu: QMenu) -> QMenu:
        for action in self.actions:
            menu.addAction(action)
        delayed = menu.addMenu("&Delayed")
        for action in self.delayed:
            delayed.addAction(action)
        return menu


class CaptureButton(QToolButton):
    def __init__(self, actions: CaptureActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.capture_actions = actions
        self.setText("Capture\nthe screen")
        self.setAccessibleName("Capture the screen")
        self.setToolTip("Take a picture of the screen now (Ctrl+Shift+S). The arrow offers more.")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.setMenu(actions.fill(QMenu(self)))
        self.clicked.connect(lambda: actions.triggered.emit("all", 0))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3 if font.pointSizeF() > 0 else 13)
        font.setBold(True)
        self.setFont(font)
        self.setMinimumSize(QSize(150, 64))
