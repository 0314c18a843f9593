"""The main window on the timeline: cases, items, detail pane, notes, Lock now, idle lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from evidence_kit.ui.dialogs.unlock import UnlockDialog
from evidence_kit.ui.operations.vault_ops import open_vault
from evidence_kit.ui.session import Session
from tests.conftest import PASSPHRASE
from tests.ui.conftest import run_task
from tests.ui.demo import add_screenshots


@pytest.fixture
def session(qtbot, open_runner, vault_dir: Path, settings, shown_errors):  # type: ignore[no-untyped-def]
    ids = run_task(qtbot, open_runner, lambda job: add_screenshots(job, 3))
    made = Session(vault_dir, open_runner, settings=settings)
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    made.ids = ids
    return made


def test_timeline_lists_items_with_time_place_who_and_hash(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    model = session.window.items
    assert model.rowCount() == 3
    assert session.window.cases.names() == ["Work"]
    qtbot.waitUntil(lambda: model.item(0) is not None, timeout=10_000)
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert row[0] == "Captured\nTue 10 Mar 2026 09:26" and row[1] == "Screenshot"
    assert row[2] == "Facebook\nhttps://facebook.example/post/0\nby @not_a_real_person"
    tooltip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Europe/London" in tooltip and "UTC" in tooltip
    qtbot.waitUntil(
        lambda: model.index(0, 1).data(Qt.ItemDataRole.DecorationRole) is not None, timeout=10_000
    )


def test_detail_pane_shows_picture_hash_and_custody_and_keeps_notes(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    window = session.window
    detail = window.detail
    window.show()
    with qtbot.waitSignal(detail.custody_model.modelReset, timeout=10_000):
        window.select_item(session.ids[1])
    assert detail.item is not None and detail.item.id == session.ids[1]
    assert detail.sha.text() == detail.item.sha256 and len(detail.sha.text()) == 64
    assert detail.viewer.has_image()
    assert detail.custody_model.rowCount() >= 1
    assert detail.custody_model.index(0, 1).data() == "screenshot added"
    detail.copy_hash()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == detail.item.sha256
    for number, text in enumerate(("first note", "second note"), 1):
        detail.note_text.setPlainText(text)
        qtbot.mouseClick(detail.add_note_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=number: detail.notes.count() == n, timeout=10_000)
    assert detail.notes.count() == 2
    assert session.window.selected_item_ids() == [session.ids[1]]  # still selected
    assert "first note" in detail.notes.item(0).text()
    assert "second note" in detail.notes.item(1).text()
    assert [e.action for e in (detail.custody_model._events)][-2:] == ["note added", "note added"]


def test_zoom_and_fit(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    detail = session.window.detail
    session.window.show()
    with qtbot.waitSignal(detail.custody_model.modelReset, timeout=10_000):
        session.window.select_item(session.ids[0])
    viewer = detail.viewer
    viewer.actual_size()
    viewer.zoom(1.25)
    assert viewer.scale_factor == pytest.approx(1.25)
    assert not viewer.fitting
    viewer.fit()
    assert viewer.fitting


def test_choosing_a_case_filters_the_timeline(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    run_task(qtbot, session.runner, lambda job: add_screenshots(job, 1, case="Home"))
    with qtbot.waitSignal(session.refreshed, timeout=10_000):
        session.refresh()
    assert session.window.items.rowCount() == 4
    with qtbot.waitSignal(session.refreshed, timeout=10_000):
        session.window.select_case("Home")
    assert session.window.items.rowCount() == 1


def test_lock_now_closes_the_vault_and_unlock_brings_it_back(
    qtbot, session, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    asked: list[bool] = []

    def fake_ask(cls, runner, folder, clock=None, parent=None) -> bool:  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: runner.vault is None, timeout=10_000)
        asked.append(True)
        return False  # the person closes the unlock window

    monkeypatch.setattr(UnlockDialog, "ask", classmethod(fake_ask))
    monkeypatch.setattr("evidence_kit.ui.session.QApplication.quit", lambda: None)
    session.window.show()
    with qtbot.waitSignal(session.locked, timeout=10_000):
        qtbot.mouseClick(session.window.lock_button, Qt.MouseButton.LeftButton)
    assert asked == [True]
    assert not session.window.isVisible()
    assert session.window.items.rowCount() == 0
    assert session.is_locked


def test_idle_time_locks_the_vault(qtbot, session, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(UnlockDialog, "ask", classmethod(lambda cls, *a, **k: False))
    monkeypatch.setattr("evidence_kit.ui.session.QApplication.quit", lambda: None)
    session.set_idle_minutes(5)
    assert session.settings.value("idle_minutes", type=int) == 5
    with qtbot.waitSignal(session.locked, timeout=5_000):
        session.idle.set_interval_ms(50)
    assert session.is_locked


def test_the_window_opens_on_the_case_used_last(
    qtbot, open_runner, vault_dir: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    run_task(qtbot, open_runner, lambda job: add_screenshots(job, 2, case="Work"))
    run_task(qtbot, open_runner, lambda job: add_screenshots(job, 1, case="Home"))
    settings.setValue("case", "Home")
    made = Session(vault_dir, open_runner, settings=settings)
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    assert made.case == "Home" and made.window.current_case() == "Home"
    assert made.window.items.rowCount() == 1
    settings.setValue("case", "Gone")
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    assert made.case is None and made.window.items.rowCount() == 3


def test_first_run_can_open_an_existing_vault(
    qtbot, runner, vault_dir: Path, settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.ui.dialogs.create_vault import CreateVaultDialog, ExistingVault

    monkeypatch.setattr(
        CreateVaultDialog, "ask", classmethod(lambda cls, parent=None: ExistingVault(vault_dir))
    )
    opened: list[Path] = []

    def fake_unlock(cls, runner, folder, clock=None, parent=None) -> bool:  # type: ignore[no-untyped-def]
        opened.append(folder)
        run_task(qtbot, runner, lambda job: open_vault(job, folder, PASSPHRASE, False, None))
        return True

    monkeypatch.setattr(UnlockDialog, "ask", classmethod(fake_unlock))
    made = Session(tmp_path / "no-vault-here", runner, settings=settings)
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        assert made.start()
    assert opened == [vault_dir] and made.folder == vault_dir


def test_withdraw_keeps_the_item_with_its_reason(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    detail = session.window.detail
    session.window.show()
    with qtbot.waitSignal(detail.custody_model.modelReset, timeout=10_000):
        session.window.select_item(session.ids[2])
    monkeypatch.setattr(detail, "ask_reason", lambda: "a duplicate of the first one")
    with qtbot.waitSignal(detail.custody_model.modelReset, timeout=10_000):
        detail.withdraw_button.click()
    assert detail.item is not None and detail.item.withdrawn
    assert "Withdrawn: a duplicate" in detail.status.text()
    assert not detail.withdraw_button.isEnabled()
    assert detail.custody_model._events[-1].action == "item withdrawn"
    qtbot.waitUntil(
        lambda: "(withdrawn)" in (session.window.items.index(2, 1).data() or ""), timeout=10_000
    )
