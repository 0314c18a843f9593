"""The global shortcut on a real X server: Ctrl+Alt+S pressed anywhere reaches the program."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from evidence_kit.ui.hotkey import GlobalShortcut
from tests.support.xvfb import Xvfb

pytestmark = pytest.mark.xvfb


def test_ctrl_alt_s_is_caught_on_x11(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert shutil.which("xdotool"), "xdotool is needed (packaging/install-system-deps.sh)"
    with Xvfb() as server:
        monkeypatch.setenv("DISPLAY", server.display)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        shortcut = GlobalShortcut()
        assert shortcut.start(), shortcut.reason
        try:
            with qtbot.waitSignal(shortcut.pressed, timeout=10_000):
                subprocess.run(["xdotool", "key", "ctrl+alt+s"], env=server.env(), check=True)
            # a second program cannot take the same key: it is told why, calmly
            other = GlobalShortcut()
            assert not other.start()
            assert "already uses it" in other.reason
        finally:
            shortcut.stop()


def test_no_display_says_why(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    shortcut = GlobalShortcut()
    assert not shortcut.start()
    assert "Wayland" in shortcut.reason
