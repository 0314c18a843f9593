"""The tray icon: the same capture menu, reachable when the window is hidden or minimised.

A global keyboard shortcut (one that works while another program has the focus) needs help
from the platform: Qt has none. Evidence Kit does not register one on any platform yet; the
tray menu and the window's own shortcuts (Ctrl+Shift+S full screen, Ctrl+Shift+R region) are
the quick ways in. On Windows, macOS and X11 a shortcut can be set in the system's keyboard
settings to run `evidence-kit-gui` (see Help).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from evidence_kit.paths import resource_path
from evidence_kit.ui.widgets.capture_button import CaptureActions


def app_icon() -> QIcon:
    try:
        return QIcon(str(resource_path("icons", "evidence-kit.svg")))
    except FileNotFoundError:
        return QIcon()


class TrayIcon(QObject):
    show_requested = Signal()
    lock_requested = Signal()
    quit_requested = Signal()

    def __init__(self, actions: CaptureActions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = QMenu()
        actions.fill(self.menu)
        self.menu.addSeparator()
        self.menu.addAction("Show Evidence Kit").triggered.connect(self.show_requested.emit)
        self.menu.addAction("Lock now").triggered.connect(self.lock_requested.emit)
        self.menu.addAction("Lock and quit").triggered.connect(self.quit_requested.emit)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip("Evidence Kit — capture the screen")
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        if self.available:
            self.icon.show()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_requested.emit()

    def hide(self) -> None:
        self.icon.hide()
