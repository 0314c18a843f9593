"""The real program on a real X server: the window hides while the real screen is grabbed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.xvfb import Xvfb

pytestmark = pytest.mark.xvfb

CHILD = textwrap.dedent(
    """
    import io, sys
    from pathlib import Path
    from PIL import Image
    from PySide6.QtWidgets import QApplication
    from evidence_kit.ui.app import make_app
    from evidence_kit.capture import Details
    from evidence_kit.ui.dialogs.capture_form import CaptureFormDialog
    from evidence_kit.ui.operations.vault_ops import open_vault
    from evidence_kit.ui.session import Session
    from evidence_kit.ui.tasks import TaskRunner
    from PySide6.QtCore import QSettings, QEventLoop, QTimer

    folder, settings_file = Path(sys.argv[1]), sys.argv[2]
    app = make_app(["test"])
    runner = TaskRunner()
    opened = []
    runner.submit(lambda job: open_vault(job, folder, sys.argv[3], False, None), on_done=opened.append)
    def pump(ms):
        loop = QEventLoop(); QTimer.singleShot(ms, loop.quit); loop.exec()
    while not opened:
        pump(20)
    session = Session(folder, runner, settings=QSettings(settings_file, QSettings.Format.IniFormat))
    session.settings.setValue("safeguarding_shown", True)
    seen = {}
    def ask(cls, preview, evidence_time, **kw):
        seen["visible"] = session.window.isVisible()
        return Details("https://example.org/post", "other", "@someone", "test", None)
    CaptureFormDialog.ask = classmethod(ask)
    session._opened()
    session.window.setGeometry(100, 100, 600, 400)
    pump(500)
    saved = []
    session.capture.saved.connect(saved.append)
    session.capture.start("all")
    for _ in range(300):
        if saved:
            break
        pump(50)
    item_id = saved[0]
    data = []
    runner.submit(lambda job: b"".join(job.need_vault().content(item_id)), on_done=data.append)
    while not data:
        pump(20)
    picture = Image.open(io.BytesIO(data[0])).convert("RGB")
    print("SIZE", picture.size)
    print("CENTRE", picture.getpixel((400, 300)))
    print("VISIBLE_AFTER", session.window.isVisible())
    runner.stop()
    """
)


def test_the_window_is_not_in_its_own_capture(vault_dir: Path, tmp_path: Path) -> None:
    from tests.conftest import PASSPHRASE

    with Xvfb([(1024, 768)]) as server:
        env = server.env(dict(os.environ))
        env["QT_QPA_PLATFORM"] = "xcb"
        result = subprocess.run(
            [sys.executable, "-c", CHILD, str(vault_dir), str(tmp_path / "s.ini"), PASSPHRASE],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=Path(__file__).resolve().parents[2],
        )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines["SIZE"] == "(1024, 768)"
    # Xvfb's root window is black; the program's window (light or dark grey) stood there
    assert lines["CENTRE"] == "(0, 0, 0)", lines
    assert lines["VISIBLE_AFTER"] == "True"
