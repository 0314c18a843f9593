"""Run on a real X server by test_layout.py: open every main screen of the program with
200-character names in it, and report (as JSON lines) anything off the screen or cut off.

    python tests/e2e/layout_child.py OUT_FOLDER

Checks, for each window: its frame (title bar included) lies on the screen; every visible
control lies inside its window; every wrapped label is tall enough for its text at its width;
a label that cuts its text short says the whole of it in its tooltip. A picture of the screen
is saved for each window.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

LONG = "Dana from the night shift on ward seven, who keeps posting about me in every group " * 3
LONG = LONG[:200]


def main(out: Path) -> int:
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtGui import QGuiApplication, QImage
    from PySide6.QtWidgets import QLabel, QWidget

    from evidence_kit.clock import FixedClock
    from evidence_kit.evidence_time import evidence_time
    from evidence_kit.model import ItemKind
    from evidence_kit.ui.app import make_app
    from evidence_kit.ui.operations.vault_ops import open_vault
    from evidence_kit.ui.session import Session
    from evidence_kit.ui.tasks import Job, TaskRunner
    from evidence_kit.ui.widgets.text import ElidedLabel
    from evidence_kit.vault import TEST_KDF, Vault

    app = make_app(["evidence-kit-gui"])
    folder = out / "vault"
    created = Vault.create(folder, "layout passphrase here", owner=LONG, kdf=TEST_KDF)
    with created.vault as vault, vault.transaction() as writer:
        writer.add_case(LONG)
        for number in range(3):
            sha, size = writer.put([f"file {number}".encode()])
            writer.add_item(
                ItemKind.FILE, sha256=sha, size=size, media_type="text/plain",
                original_name=f"{LONG[: 190]} {number}.txt", case=LONG,
                metadata={"place": {"url": "https://example.org/" + "a" * 180,
                                    "account": LONG, "platform": "Facebook"}},
            )  # fmt: skip
    (folder / ".lock").unlink(missing_ok=True)
    runner = TaskRunner()
    problems: list[dict[str, Any]] = []

    def pump(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait(check: Callable[[], bool], seconds: float = 30) -> None:
        for _ in range(int(seconds * 20)):
            if check():
                return
            pump(50)
        raise TimeoutError("a screen did not get ready")

    opened: list[str] = []
    runner.submit(
        lambda job: open_vault(job, folder, "layout passphrase here", False, FixedClock()),
        on_done=opened.append,
    )
    wait(lambda: bool(opened))
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    session = Session(folder, runner, settings=settings, kdf=TEST_KDF)
    session._opened()
    window = session.window
    wait(lambda: window.items.rowCount() == 3 and window.items.item(2) is not None)
    window.select_item(window.items.item_id(0) or 0)
    wait(lambda: window.detail.item is not None)
    screen = QGuiApplication.primaryScreen().availableGeometry()

    def check(top: QWidget, name: str) -> None:
        top.show()
        top.raise_()
        # until the window manager has placed and framed it (and our windows have fitted
        # themselves to their contents): the frame stays the same for a while
        wait(lambda: top.testAttribute(Qt.WidgetAttribute.WA_Mapped))
        seen: list[tuple[int, int, int, int]] = []
        for _ in range(100):  # the same frame for half a second (the fitting waits 250 ms)
            pump(100)
            seen.append(top.frameGeometry().getRect())
            if len(seen) >= 5 and len(set(seen[-5:])) == 1:
                break
        frame = top.frameGeometry()
        if not screen.contains(frame):
            problems.append({"window": name, "what": "off the screen",
                             "frame": frame.getRect(), "screen": screen.getRect()})  # fmt: skip
        inside = top.rect()
        for widget in top.findChildren(QWidget):
            if not widget.isVisibleTo(top) or widget.window() is not top:
                continue
            if widget.width() <= 0 or widget.height() <= 0:
                continue
            place = widget.rect().translated(widget.mapTo(top, widget.rect().topLeft()))
            if not inside.adjusted(-1, -1, 1, 1).contains(place) and not _scrolled(widget):
                problems.append({"window": name, "what": "outside its window",
                                 "widget": _describe(widget), "rect": place.getRect()})  # fmt: skip
            if isinstance(widget, ElidedLabel):
                if (
                    widget.text() != widget.full_text()
                    and widget.full_text() not in widget.toolTip()
                ):
                    problems.append({"window": name, "what": "cut short with no tooltip",
                                     "widget": _describe(widget)})  # fmt: skip
            elif isinstance(widget, QLabel) and widget.wordWrap() and widget.text().strip():
                need = widget.heightForWidth(widget.width())
                if need > widget.height() + 1 and not _scrolled(widget):
                    problems.append({"window": name, "what": "text cut off",
                                     "widget": _describe(widget), "needs": need,
                                     "has": widget.height()})  # fmt: skip
        QGuiApplication.primaryScreen().grabWindow(0).save(str(out / f"{name}.png"))

    check(window, "main-window")
    from evidence_kit.ui.dialogs.capture_form import CaptureFormDialog
    from evidence_kit.ui.dialogs.create_vault import CreateVaultDialog
    from evidence_kit.ui.dialogs.import_dialog import ImportDialog
    from evidence_kit.ui.dialogs.unlock import WRONG, UnlockDialog
    from evidence_kit.ui.dialogs.verify_window import VerifyWindow
    from evidence_kit.ui.dialogs.withdraw_dialog import WithdrawDialog
    from evidence_kit.ui.operations.importing import Detected

    first = CreateVaultDialog()
    first.passphrase.setText("short")
    check(first, "first-run-short-passphrase")
    first.close()
    unlock = UnlockDialog(runner, folder)
    unlock.message.setText(WRONG)
    check(unlock, "unlock-wrong-passphrase")
    unlock.close()
    picture = QImage(1600, 900, QImage.Format.Format_RGB32)
    picture.fill(0x3B5998)
    form = CaptureFormDialog(
        picture, evidence_time({}, FixedClock().now()), window_title=LONG,
        url="https://example.org/" + "b" * 180, cases=[LONG], case=LONG, parent=window,
    )  # fmt: skip
    check(form, "capture-form")
    form.close()
    question = ImportDialog(f"{LONG}.zip", Detected("whatsapp", "WhatsApp chat export", True),
                            [LONG], LONG, "Europe/London", window)  # fmt: skip
    check(question, "import-questions")
    question.close()
    withdraw = WithdrawDialog(LONG, window)
    check(withdraw, "withdraw")
    withdraw.close()
    session.exporting.start()
    wizard = session.exporting.wizard
    assert wizard is not None
    wizard.choose.whole_case.setChecked(True)
    wait(lambda: wizard.choose.isComplete())
    check(wizard, "hand-over-what-goes-in")
    wizard.next()
    check(wizard, "hand-over-who-for")
    wizard.close()
    checker = VerifyWindow()
    checker.file.setText(str(out / f"{LONG}.zip"))
    check(checker, "verify")
    checker.close()
    for problem in problems:
        print(json.dumps(problem), flush=True)
    print("done", flush=True)
    runner.stop()
    app.quit()
    del Job
    return 0


def _scrolled(widget: Any) -> bool:
    """Inside a scroll area or a list, where being partly out of view is by design."""
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _describe(widget: Any) -> str:
    name = widget.accessibleName() or widget.accessibleDescription() or widget.objectName()
    return f"{type(widget).__name__} {name!r}"


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
