"""Every control has an accessible name and can take the keyboard focus."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from evidence_kit.evidence_time import evidence_time
from evidence_kit.ui.dialogs.capture_form import CaptureFormDialog
from evidence_kit.ui.dialogs.create_vault import CreateVaultDialog
from evidence_kit.ui.dialogs.export_wizard import ExportWizard
from evidence_kit.ui.dialogs.help import HelpDialog
from evidence_kit.ui.dialogs.import_dialog import ImportDialog
from evidence_kit.ui.dialogs.recovery_code import RecoveryCodeDialog
from evidence_kit.ui.dialogs.safeguarding import SafeguardingDialog
from evidence_kit.ui.dialogs.unlock import UnlockDialog
from evidence_kit.ui.dialogs.verify_window import VerifyWindow
from evidence_kit.ui.main_window import MainWindow
from evidence_kit.ui.operations.importing import Detected

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QAbstractItemView)


def qt_part(widget: QWidget) -> bool:
    """Qt's own parts of a control (headers, a combo box's list and line edit, clear buttons)."""
    ancestor = widget.parentWidget()
    while ancestor is not None:
        if isinstance(ancestor, QComboBox | QLineEdit):
            return True
        ancestor = ancestor.parentWidget()
    return widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView)


def unnamed(top: QWidget) -> list[str]:
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.parent() is None:
            continue
        if qt_part(widget):
            continue
        name = widget.accessibleName() or (
            widget.text().replace("&", "") if isinstance(widget, QAbstractButton) else ""
        )
        if not name.strip():
            missing.append(f"{type(widget).__name__} in {type(top).__name__}")
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(
            widget, QAbstractButton
        ):
            missing.append(f"{type(widget).__name__} cannot take the keyboard focus")
    return missing


@pytest.fixture
def screens(runner, tmp_path: Path) -> list[QWidget]:  # type: ignore[no-untyped-def]
    def start(*args):  # type: ignore[no-untyped-def]
        raise AssertionError("not started in this test")

    image = QImage(20, 20, QImage.Format.Format_RGB32)
    return [
        MainWindow(runner),
        CreateVaultDialog(),
        RecoveryCodeDialog("ABC", str(tmp_path)),
        UnlockDialog(runner, tmp_path),
        CaptureFormDialog(image, evidence_time({}, datetime.now(UTC))),
        ImportDialog("chat.txt", Detected("whatsapp", "chat", True), ["Work"], None, "UTC"),
        ExportWizard(
            start,
            lister=lambda *a: None,
            cases=["Work"],
            case="Work",
            selected=[1],
            owner="A",
            folder=tmp_path,
        ),
        VerifyWindow(runner),
        HelpDialog(),
        SafeguardingDialog(),
    ]


def test_every_control_is_named_and_reachable(qtbot, screens) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for screen in screens:
        qtbot.addWidget(screen)
        problems += unnamed(screen)
    assert problems == []


def test_the_main_acts_have_keyboard_shortcuts(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(runner)
    qtbot.addWidget(window)
    keys = {
        a.text().replace("&", ""): a.shortcut().toString()
        for a in window.findChildren(type(window.capture_actions.actions[0]))
    }
    assert keys["Full screen"] == "Ctrl+Shift+S"
    assert keys["Region…"] == "Ctrl+Shift+R"
    assert keys["Lock now"] == "Ctrl+L"
    assert keys["Import a file…"] == "Ctrl+I"
