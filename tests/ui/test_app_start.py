"""`evidence-kit-gui` with no screen says so in words instead of Qt aborting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from evidence_kit.ui.app import no_screen_reason


def test_no_screen_reason() -> None:
    assert no_screen_reason({}, "linux") is not None
    assert no_screen_reason({"DISPLAY": ":0"}, "linux") is None
    assert no_screen_reason({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert no_screen_reason({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert no_screen_reason({}, "win32") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check is for Linux")
def test_gui_without_a_screen_exits_with_a_plain_error(tmp_path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["EVIDENCE_KIT_HOME"] = str(tmp_path / "vault")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from evidence_kit.ui.app import main; sys.exit(main([]))"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("Error: Evidence Kit needs a screen")
    assert not (tmp_path / "vault").exists()
