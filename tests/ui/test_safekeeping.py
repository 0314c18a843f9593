"""Settings → Back up… and its reminder, Settings → New recovery code…, File → Open another
vault or backup…: each screen's rules, on a real vault in a temporary folder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from evidence_kit.errors import WrongPassphrase, WrongRecoveryCode
from evidence_kit.ui.dialogs.new_recovery_code import REPLACED, NewRecoveryCodeDialog
from evidence_kit.ui.dialogs.recovery_code import NEW_CODE, RecoveryCodeDialog
from evidence_kit.ui.dialogs.unlock import UnlockDialog
from evidence_kit.ui.flows import safekeeping as flow
from evidence_kit.ui.operations.safekeeping import reminder_text, vault_in
from evidence_kit.ui.operations.vault_ops import open_vault
from evidence_kit.ui.session import Session
from evidence_kit.vault import Vault, is_vault
from evidence_kit.vault.backup import BACKUP_ACTION
from tests.conftest import PASSPHRASE
from tests.ui.conftest import run_task
from tests.ui.demo import add_screenshots

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def session(qtbot, open_runner, vault_dir: Path, settings, clock):  # type: ignore[no-untyped-def]
    made = Session(vault_dir, open_runner, settings=settings, clock=clock)
    qtbot.addWidget(made.window)
    made.ids = run_task(qtbot, open_runner, lambda job: add_screenshots(job, 2))
    clock.at += timedelta(days=8)  # the evidence has waited eight days for a backup
    with qtbot.waitSignal(made.safekeeping.reminded, timeout=10_000):
        made._opened()
    return made


def test_the_reminder_waits_for_a_week_of_new_evidence() -> None:
    assert reminder_text(None, 0, None, NOW) is None  # nothing to lose yet
    assert reminder_text(None, 3, NOW - timedelta(days=6), NOW) is None  # not a week yet
    never = reminder_text(None, 3, NOW - timedelta(days=7), NOW)
    assert never and "3 pieces of evidence" in never and "no backup yet" in never
    last = NOW - timedelta(days=30)
    again = reminder_text(last, 1, NOW - timedelta(days=9), NOW)
    assert again and f"{last.astimezone():%d %B %Y}" in again and "1 piece of evidence" in again
    # Backed up a month ago and nothing added since: nothing to remind.
    assert reminder_text(last, 0, None, NOW) is None


def test_back_up_now_copies_checks_records_and_hides_the_reminder(  # type: ignore[no-untyped-def]
    qtbot, session, tmp_path: Path, monkeypatch, shown_errors
) -> None:
    banner = session.window.backup_banner
    assert not banner.isHidden() and "no backup yet" in banner.text.text()
    usb = tmp_path / "usb stick"
    monkeypatch.setattr(flow, "choose_folder", lambda _parent, _title: usb)
    started: list[object] = []
    session.safekeeping.backup_started.connect(started.append)
    with qtbot.waitSignal(session.safekeeping.backed_up, timeout=30_000) as done:
        banner.button.click()  # "Back up now" on the banner runs Settings → Back up…
        assert started and not started[0].isModal()  # type: ignore[attr-defined]
        assert QApplication.activeModalWidget() is None  # the vault stays usable meanwhile
    copy = done.args[0].folder
    assert copy.parent == usb and is_vault(copy)
    qtbot.waitUntil(lambda: banner.isHidden(), timeout=10_000)
    told = shown_errors[-1].text()
    assert str(copy) in told and "same passphrase" in told and "Open another vault" in told
    # The copy opens as a vault of its own with the same passphrase, holding the same items;
    # the vault itself has the backup on its custody chain.
    with Vault.open(copy, PASSPHRASE) as opened:
        assert sorted(opened.item_ids()) == sorted(session.ids)
    events = run_task(qtbot, session.runner, lambda job: job.need_vault().custody_events())
    assert any(event.action == BACKUP_ACTION for event in events)


def test_a_backup_that_cannot_be_made_says_why_and_writes_nothing(  # type: ignore[no-untyped-def]
    qtbot, session, tmp_path: Path, monkeypatch, shown_errors
) -> None:
    a_file = tmp_path / "not-a-folder.txt"
    a_file.write_text("hello")
    monkeypatch.setattr(flow, "choose_folder", lambda _parent, _title: a_file)
    session.safekeeping.backup()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=10_000)
    assert "is a file, not a folder" in shown_errors[-1].text()
    assert a_file.read_text() == "hello"
    assert not session.window.backup_banner.isHidden()  # still due
    events = run_task(qtbot, session.runner, lambda job: job.need_vault().custody_events())
    assert not any(event.action == BACKUP_ACTION for event in events)


def test_a_new_recovery_code_needs_the_passphrase_and_retires_the_old_one(  # type: ignore[no-untyped-def]
    qtbot, open_runner, vault_dir: Path, recovery_code: str
) -> None:
    dialog = NewRecoveryCodeDialog(open_runner)
    qtbot.addWidget(dialog)
    dialog.ok.click()
    assert "Type your passphrase" in dialog.problem.text() and dialog.code is None
    dialog.passphrase.setText("not my passphrase at all")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "not your passphrase" in dialog.problem.text(), timeout=10_000)
    assert dialog.code is None and dialog.ok.isEnabled()
    # Nothing changed: the old code still opens the vault.
    run_task(
        qtbot, open_runner, lambda job: job.need_vault().confirm(recovery_code, recovery_code=True)
    )
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.ok.click()
    new = dialog.code
    assert new and new != recovery_code
    vault = open_runner.vault
    assert vault is not None
    with pytest.raises(WrongRecoveryCode):
        run_task(
            qtbot,
            open_runner,
            lambda job: job.need_vault().confirm(recovery_code, recovery_code=True),
        )
    run_task(qtbot, open_runner, lambda job: job.need_vault().confirm(new, recovery_code=True))


def test_the_new_code_is_shown_to_be_kept_and_the_old_is_said_to_be_dead(  # type: ignore[no-untyped-def]
    qtbot, session, monkeypatch, shown_errors
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        NewRecoveryCodeDialog, "ask", classmethod(lambda cls, runner, parent: "NEW-CODE")
    )
    monkeypatch.setattr(
        RecoveryCodeDialog,
        "ask",
        classmethod(lambda cls, code, folder, parent, explain: shown.append((code, explain))),
    )
    session.safekeeping.new_recovery_code()
    assert shown == [("NEW-CODE", NEW_CODE)]
    assert "old code no longer does" in NEW_CODE
    assert shown_errors[-1].text() == REPLACED


def test_the_new_code_page_must_be_kept_first_as_on_the_first_day(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    dialog = RecoveryCodeDialog("ABCDE-12345", str(tmp_path), None, NEW_CODE)
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "new recovery code" in texts and "old code no longer does" in texts
    assert "ABCDE-12345" in texts
    assert not dialog.continue_button.isEnabled()
    dialog.kept.setChecked(True)
    assert dialog.continue_button.isEnabled()


def test_open_another_vault_says_plainly_when_a_folder_is_not_one(  # type: ignore[no-untyped-def]
    qtbot, session, tmp_path: Path, monkeypatch, shown_errors
) -> None:
    holiday = tmp_path / "Holiday photos"
    holiday.mkdir()
    (holiday / "beach.jpg").write_bytes(b"\xff\xd8 not really")
    monkeypatch.setattr(flow, "choose_folder", lambda _parent, _title: holiday)
    asked: list[Path] = []
    monkeypatch.setattr(UnlockDialog, "ask", classmethod(lambda cls, *a, **k: asked.append(a[1])))
    session.safekeeping.open_other()
    assert asked == [] and not session.is_locked  # the vault stays open
    told = shown_errors[-1].text()
    assert (
        str(holiday) in told
        and "not an Evidence Kit vault" in told
        and "Nothing was changed" in told
    )


def fake_unlock(qtbot, clock, asked: list, refuse: Path | None = None):  # type: ignore[no-untyped-def]
    """UnlockDialog.ask as a person who types the right passphrase (or closes the window of
    `refuse`); each folder asked for (and the words shown) goes into `asked`."""

    def unlock(cls, runner, folder, clock_=None, parent=None, note=""):  # type: ignore[no-untyped-def]
        asked.append((folder, note))
        if folder == refuse:
            return False
        found: list[object] = []
        runner.submit(
            lambda job: open_vault(job, folder, PASSPHRASE, False, clock), on_done=found.append
        )
        qtbot.waitUntil(lambda: bool(found), timeout=20_000)
        return True

    return classmethod(unlock)


def test_opening_a_backup_locks_this_vault_and_unlocks_the_copy(  # type: ignore[no-untyped-def]
    qtbot, session, tmp_path: Path, monkeypatch, clock
) -> None:
    usb = tmp_path / "usb"
    run_task(qtbot, session.runner, lambda job: flow.make_backup(job, usb))
    # The person picks the USB stick itself: the backup inside it is found.
    assert vault_in(usb) is not None and vault_in(usb).parent == usb  # type: ignore[union-attr]
    monkeypatch.setattr(flow, "choose_folder", lambda _parent, _title: usb)
    asked: list[tuple[Path, str]] = []
    monkeypatch.setattr(UnlockDialog, "ask", fake_unlock(qtbot, clock, asked))
    before = session.folder
    with qtbot.waitSignal(session.unlocked, timeout=20_000):
        session.safekeeping.open_other()
    copy = vault_in(usb)
    assert asked and asked[0][0] == copy and str(copy) in asked[0][1]
    assert session.folder == copy and not session.is_locked
    assert session.runner.vault is not None and session.runner.vault.folder == copy
    with Vault.open(before, PASSPHRASE):  # the first vault was closed: its lock was let go
        pass
    qtbot.waitUntil(lambda: session.window.items.rowCount() == len(session.ids), timeout=10_000)


def test_giving_up_on_the_other_vault_asks_for_this_one_again(  # type: ignore[no-untyped-def]
    qtbot, session, tmp_path: Path, monkeypatch, clock
) -> None:
    other = tmp_path / "other"
    run_task(qtbot, session.runner, lambda job: flow.make_backup(job, other))
    copy = vault_in(other)
    asked: list[tuple[Path, str]] = []  # the person closes the other vault's unlock window
    monkeypatch.setattr(UnlockDialog, "ask", fake_unlock(qtbot, clock, asked, refuse=copy))
    before = session.folder
    with qtbot.waitSignal(session.unlocked, timeout=20_000):
        session.safekeeping.switch_vault(copy)  # type: ignore[arg-type]
    assert (
        [folder for folder, _note in asked] == [copy, before]
        and session.folder == before
        and not session.is_locked
    )


def test_wrong_passphrase_is_refused_by_the_core_too(qtbot, open_runner) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.ui.operations.safekeeping import new_recovery_code

    with pytest.raises(WrongPassphrase):
        run_task(qtbot, open_runner, lambda job: new_recovery_code(job, "guess"))
