"""The rules of the program's life: the hand-over wizard can be finished with the name from
set-up, closing locks and quits (unless the tray was chosen), a second start shows the first,
failures always reach the person, Tab leaves every list, and a region can be chosen by keys."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWizard

from evidence_kit.ui.errors import install_excepthook
from evidence_kit.ui.models.items import CANNOT_SHOW, ItemListModel
from evidence_kit.ui.models.thumbnails import ThumbnailCache
from evidence_kit.ui.session import Session
from evidence_kit.ui.widgets.region_overlay import RegionOverlayWidget
from tests.ui.conftest import run_task
from tests.ui.demo import add_screenshots


@pytest.fixture
def session(qtbot, open_runner, vault_dir: Path, settings):  # type: ignore[no-untyped-def]
    made = Session(vault_dir, open_runner, settings=settings)
    qtbot.addWidget(made.window)
    made.ids = run_task(qtbot, open_runner, lambda job: add_screenshots(job, 2))
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    return made


def test_the_wizard_is_finished_with_the_name_from_set_up(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    window = session.window
    window.select_item(session.ids[0])  # a row is chosen: still, a case is handed over whole
    with qtbot.waitSignal(session.refreshed, timeout=10_000):
        window.select_case("Work")
    with qtbot.waitSignal(session.exporting.wizard_opened, timeout=5_000) as opened:
        window.export_button.click()
    wizard = opened.args[0]
    qtbot.addWidget(wizard)
    assert wizard.choose.whole_case.isChecked() and not wizard.choose.selected.isChecked()
    qtbot.waitUntil(wizard.choose.isComplete, timeout=10_000)
    wizard.next()
    page = wizard.audience
    assert page.name.text() == "Test Owner"  # filled in at set-up, not typed again
    assert page.isComplete() and wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.name.clear()
    assert not page.isComplete() and "Type your name" in page.problem.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.name.setText("Alex Doe")
    assert page.isComplete() and page.problem.text() == ""
    wizard.next()
    qtbot.waitUntil(wizard.contents.isComplete, timeout=10_000)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.reject()


def test_everything_is_the_default_when_no_case_is_shown(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    session.window.select_item(session.ids[1])
    with qtbot.waitSignal(session.exporting.wizard_opened, timeout=5_000) as opened:
        session.exporting.start()
    wizard = opened.args[0]
    qtbot.addWidget(wizard)
    assert wizard.choose.everything.isChecked()
    qtbot.waitUntil(wizard.choose.isComplete, timeout=10_000)
    assert wizard.choose.list.topLevelItemCount() == 2
    wizard.reject()


def test_closing_the_window_locks_and_quits(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    monkeypatch.setattr(session.tray, "available", False)
    session.settings.setValue("keep_in_tray", True)  # chosen once, but there is no tray now
    session.window.show()
    session.window.close()
    assert quits == [True] and session.is_locked and not session.window.isVisible()
    qtbot.waitUntil(lambda: session.runner.vault is None, timeout=10_000)  # the vault is closed


def test_with_a_tray_chosen_closing_hides_and_says_so_once(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    quits: list[bool] = []
    told: list[str] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    monkeypatch.setattr(session.tray, "available", True)
    monkeypatch.setattr(session.tray.icon, "showMessage", lambda title, text: told.append(text))
    session.settings.setValue("keep_in_tray", True)
    for _ in range(2):
        session.window.show()
        session.window.close()
        assert not session.window.isVisible() and not session.is_locked
    assert quits == [] and len(told) == 1 and "still running" in told[0]
    session.show_window()
    assert session.window.isVisible()


def test_a_second_start_asks_the_first_to_show_itself(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.ui.single import ShowRequests, ask_first_to_show

    shown: list[bool] = []
    folder = tmp_path / "vault"
    assert not ask_first_to_show(folder)  # nobody listening yet
    listener = ShowRequests(folder, lambda: shown.append(True))
    import threading

    answered: list[bool] = []
    thread = threading.Thread(target=lambda: answered.append(ask_first_to_show(folder)))
    thread.start()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=10_000)
    assert answered == [True]
    assert not ask_first_to_show(tmp_path / "another vault")
    listener.server.close()


def test_a_task_without_a_handler_reaches_the_person(qtbot, open_runner, shown_errors) -> None:  # type: ignore[no-untyped-def]
    def fails(job):  # type: ignore[no-untyped-def]
        raise ValueError("a bug")

    task = open_runner.submit(fails)
    qtbot.waitUntil(lambda: task.done and bool(shown_errors), timeout=10_000)
    assert "unexpected" in shown_errors[0].text()


def test_loading_that_was_cut_short_by_locking_is_not_an_error(qtbot, runner, shown_errors) -> None:  # type: ignore[no-untyped-def]
    task = runner.submit(lambda job: job.need_vault())  # no vault: locked
    qtbot.waitUntil(lambda: task.done, timeout=10_000)
    qtbot.wait(50)
    assert shown_errors == []


def test_an_unexpected_error_anywhere_is_shown(qtbot, shown_errors, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    import threading

    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthook()
    try:
        raise RuntimeError("in a slot")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    thread = threading.Thread(target=lambda: 1 / 0)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown_errors) == 2, timeout=5_000)
    assert all("unexpected" in box.text() for box in shown_errors)
    assert "RuntimeError" in shown_errors[0].detailedText()


def test_a_page_that_cannot_load_says_so(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    model = ItemListModel(runner, ThumbnailCache(runner))  # no vault: every page fails
    model.set_ids([1, 2])
    assert model.index(0, 0).data() == "Loading…"
    qtbot.waitUntil(lambda: str(model.index(0, 0).data()).startswith(CANNOT_SHOW), timeout=10_000)
    assert "locked" in model.index(1, 0).data()
    assert "Reload" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_tab_leaves_every_list(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    views = session.window.findChildren(QAbstractItemView)
    assert views and [v.accessibleName() for v in views if v.tabKeyNavigation()] == []
    window = session.window
    window.show()
    qtbot.waitExposed(window)
    window.item_table.setFocus()
    qtbot.keyClick(window.item_table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not window.item_table


def test_a_region_by_keys(qtbot) -> None:  # type: ignore[no-untyped-def]
    overlay = RegionOverlayWidget(QImage(400, 300, QImage.Format.Format_RGB32))
    qtbot.addWidget(overlay)
    overlay.resize(400, 300)
    chosen: list[QRect] = []
    overlay.selected.connect(chosen.append)
    qtbot.keyClick(overlay, Qt.Key.Key_Right)  # a rectangle appears, moved 10 px
    start = overlay.selection()
    assert start == QRect(143, 100, 133, 100)
    qtbot.keyClick(overlay, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # 80 px down
    qtbot.keyClick(overlay, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # wider
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    assert chosen == [QRect(143, 180, 143, 100)]
