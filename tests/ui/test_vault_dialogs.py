"""First run (create, recovery code) and unlock (wrong, then right)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from evidence_kit.ui.dialogs.create_vault import CreateVaultDialog, NewVault
from evidence_kit.ui.dialogs.recovery_code import RecoveryCodeDialog
from evidence_kit.ui.dialogs.unlock import WRONG, UnlockDialog
from evidence_kit.ui.session import Session
from evidence_kit.ui.widgets.strength_meter import refusal
from evidence_kit.vault import TEST_KDF, Vault, is_vault
from evidence_kit.vault.strength import judge
from tests.conftest import PASSPHRASE


def test_create_dialog_needs_the_same_strong_passphrase_twice(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = CreateVaultDialog()
    qtbot.addWidget(dialog)
    assert "Choose a passphrase" in dialog.problem.text()  # says what is missing
    # Long enough for the old length rule, and still refused: the meter is the core's judgement.
    qtbot.keyClicks(dialog.passphrase, "password1!")
    dialog.repeat.setText("password1!")
    assert refusal("password1!") and refusal("password1!") in dialog.problem.text()
    assert "too easy to guess" in dialog.problem.text()
    example = dialog.problem.text().split("“")[1].split("”")[0]
    assert len(example.split()) == 4 and judge(example).acceptable
    assert dialog.meter.bar.value() < 60
    assert "common" in dialog.meter.label.text().lower()
    assert dialog.meter.label.text().startswith(judge("password1!").summary)
    dialog.create_button.click()
    assert dialog.result() == 0 and dialog.problem.text()  # not accepted
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.repeat, PASSPHRASE + "x")
    assert "same passphrase" in dialog.problem.text()
    dialog.repeat.setText(PASSPHRASE)
    assert dialog.problem.text() == ""
    assert dialog.meter.bar.value() >= 60
    qtbot.keyClicks(dialog.owner, "Alex Doe")
    assert dialog.result_value() == NewVault(PASSPHRASE, "Alex Doe")


def test_the_meter_and_the_name_field_use_the_core_judgement(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = CreateVaultDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.owner, "Morgan Featherstonehaugh")
    # The owner's own name is a word an attacker would try first.
    dialog.passphrase.setText("morgan featherstonehaugh")
    dialog.repeat.setText("morgan featherstonehaugh")
    assert "too easy to guess" in dialog.problem.text()
    assert judge("morgan featherstonehaugh", ["Morgan Featherstonehaugh"]).score < 3


def test_recovery_code_must_be_kept_before_continuing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = RecoveryCodeDialog("ABCDE-12345", str(tmp_path))
    qtbot.addWidget(dialog)
    assert not dialog.continue_button.isEnabled()
    dialog.reject()  # Escape does not lose the code
    assert not dialog.isHidden() or dialog.result() == 0
    dialog.save_to(tmp_path / "code.txt")
    assert "ABCDE-12345" in (tmp_path / "code.txt").read_text()
    dialog.kept.setChecked(True)
    assert dialog.continue_button.isEnabled()


def test_first_run_creates_the_vault_and_shows_the_code_once(
    qtbot, runner, settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown_errors
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "new-vault"
    shown: list[str] = []
    monkeypatch.setattr(
        CreateVaultDialog, "ask", classmethod(lambda cls, parent=None: NewVault(PASSPHRASE, "Alex"))
    )
    monkeypatch.setattr(
        RecoveryCodeDialog,
        "ask",
        classmethod(lambda cls, code, folder, parent=None: shown.append(code)),
    )
    session = Session(folder, runner, kdf=TEST_KDF, settings=settings)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.refreshed, timeout=20_000):
        assert session.start()
    assert is_vault(folder)
    assert len(shown) == 1 and len(shown[0]) > 20
    assert session.owner == "Alex"
    assert session.window.isVisible()
    assert not shown_errors
    runner.stop()
    with Vault.open_with_recovery_code(folder, shown[0]) as vault:
        assert vault.owner == "Alex"


def test_unlock_wrong_then_right(qtbot, runner, vault_dir: Path, shown_errors) -> None:  # type: ignore[no-untyped-def]
    dialog = UnlockDialog(runner, vault_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.secret, "not my passphrase")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text() == WRONG, timeout=10_000)
    assert dialog.isVisible() and dialog.attempts == 1
    assert dialog.unlock_button.isEnabled()
    assert runner.vault is None
    dialog.secret.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    assert runner.vault is not None and runner.vault.owner == "Test Owner"
    assert not shown_errors


def test_recovery_code_unlocks_too(qtbot, runner, vault_dir: Path, recovery_code: str) -> None:  # type: ignore[no-untyped-def]
    dialog = UnlockDialog(runner, vault_dir)
    qtbot.addWidget(dialog)
    dialog.use_code.setChecked(True)
    dialog.secret.setText(recovery_code.lower())
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.try_unlock()
    assert runner.vault is not None
