"""GUI test fixtures: a task runner per test, settings in a temp file, errors collected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from evidence_kit.ui.tasks import TaskRunner


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:  # type: ignore[no-untyped-def]
    made = TaskRunner()
    yield made
    made.stop()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """Every message box the program would show, kept here instead of shown (so none waits for
    an answer); a test that expects none asserts this list is empty."""
    boxes: list[QMessageBox] = []
    monkeypatch.setattr("evidence_kit.ui.errors._present", boxes.append)
    return boxes


@pytest.fixture
def open_runner(runner: TaskRunner, vault_dir: Path, qtbot, clock) -> TaskRunner:  # type: ignore[no-untyped-def]
    """A runner that already owns the test vault, opened on its own thread."""
    from evidence_kit.ui.operations.vault_ops import open_vault
    from tests.conftest import PASSPHRASE

    run_task(qtbot, runner, lambda job: open_vault(job, vault_dir, PASSPHRASE, False, clock))
    return runner


def run_task(qtbot, runner: TaskRunner, fn):  # type: ignore[no-untyped-def]
    """Run `fn(job)` on the runner and return its result (waits on the signal)."""
    found: list[object] = []
    failed: list[BaseException] = []
    runner.submit(fn, on_done=found.append, on_error=failed.append)
    qtbot.waitUntil(lambda: bool(found or failed), timeout=20_000)
    if failed:
        raise failed[0]
    return found[0]


@pytest.fixture(autouse=True)
def _no_forgotten_dialog(qtbot) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A modal dialog that a test forgot to answer would wait for ever: close it and fail."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    from evidence_kit.ui.dialogs.progress import ProgressDialog

    forgotten: list[str] = []
    seen: dict[int, int] = {}

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or isinstance(modal, ProgressDialog):
            return
        seen[id(modal)] = seen.get(id(modal), 0) + 1
        if seen[id(modal)] >= 20 and isinstance(modal, QDialog):  # ten seconds
            forgotten.append(type(modal).__name__)
            modal.reject()

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(check)
    timer.start()
    yield
    timer.stop()
    assert not forgotten, f"a dialog was left waiting for an answer: {forgotten}"


@pytest.fixture
def session(qtbot, open_runner, vault_dir: Path, settings, shown_errors):  # type: ignore[no-untyped-def]
    """The program's session on the test vault with two screenshots in case "Work", opened.
    (Test files that need another start define their own `session`.)"""
    from evidence_kit.ui.session import Session
    from tests.ui.demo import add_screenshots

    run_task(qtbot, open_runner, lambda job: add_screenshots(job, 2))
    made = Session(vault_dir, open_runner, settings=settings)
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    return made
