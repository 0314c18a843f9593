"""A global keyboard shortcut for Capture (Ctrl+Alt+S), where the platform allows one.

- X11 (Linux and BSD desktops on Xorg): yes, by a passive key grab on the root window, on a
  thread with its own X connection; the key press comes back to the GUI by signal.
- Wayland: no. Wayland lets no program see keys meant for others; set a shortcut in the
  desktop's keyboard settings that runs `evidence-kit-gui` instead.
- Windows and macOS: not yet (they need RegisterHotKey / a Carbon hot key on the GUI thread).
  The tray icon's menu and the window's own shortcuts are the quick ways in there.
If the key is already taken by another program, the shortcut is not set and `reason` says so.
"""

from __future__ import annotations

import os
import select
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

KEY_TEXT = "Ctrl+Alt+S"


class GlobalShortcut(QObject):
    pressed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.active = False
        self.reason = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Try to register Ctrl+Alt+S. False (with `reason`) where the platform does not allow it."""
        if not sys.platform.startswith(("linux", "freebsd", "openbsd")):
            self.reason = f"A global shortcut is not available on {sys.platform} yet."
            return False
        if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
            self.reason = "Wayland does not allow global shortcuts for programs."
            return False
        if not os.environ.get("DISPLAY"):
            self.reason = "There is no X display."
            return False
        try:
            display, keycode, masks = _grab()
        except Exception as exc:  # python-xlib raises many kinds; the shortcut is optional
            self.reason = f"{KEY_TEXT} could not be set: {exc}"
            return False
        self.active = True
        self._thread = threading.Thread(
            target=self._listen, args=(display, keycode, masks), daemon=True, name="hotkey"
        )
        self._thread.start()
        return True

    def _listen(self, display: Any, keycode: int, masks: list[int]) -> None:
        from Xlib import X

        try:
            while not self._stop.is_set():
                readable, _, _ = select.select([display.fileno()], [], [], 0.2)
                if not readable and not display.pending_events():
                    continue
                while display.pending_events():
                    event = display.next_event()
                    if event.type == X.KeyPress and event.detail == keycode:
                        self.pressed.emit()
        finally:
            root = display.screen().root
            for mask in masks:
                root.ungrab_key(keycode, mask)
            display.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self.active = False


def _grab() -> tuple[Any, int, list[int]]:
    from Xlib import XK, X, display, error

    conn = display.Display()
    root = conn.screen().root
    keycode = conn.keysym_to_keycode(XK.string_to_keysym("s"))
    base = X.ControlMask | X.Mod1Mask
    # the same key with Caps Lock and Num Lock on or off
    masks = [base, base | X.LockMask, base | X.Mod2Mask, base | X.LockMask | X.Mod2Mask]
    catch = error.CatchError(error.BadAccess)
    for mask in masks:
        root.grab_key(keycode, mask, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catch)
    conn.sync()
    if catch.get_error():
        for mask in masks:
            root.ungrab_key(keycode, mask)
        conn.close()
        raise RuntimeError("another program already uses it")
    return conn, keycode, masks
