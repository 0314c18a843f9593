"""The case file window (Case → Case file…, Ctrl+K): incidents from the chosen items, revisions
as versions, refusals shown in the form with nothing stored, people with normalised numbers, the
statement kept exactly as typed, the chronology with which time each entry is, and the keyboard.
Everything written is read back with the core, not only from the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTableWidget, QTabWidget, QWidget

from evidence_kit.casefile import incidents, people, statement
from evidence_kit.ui.dialogs.casefile_forms import IncidentForm, PersonForm
from evidence_kit.ui.dialogs.casefile_window import CaseFileWindow
from evidence_kit.ui.session import Session
from tests.casefile.conftest import write_case_files
from tests.ui.conftest import run_task
from tests.ui.demo import add_screenshots


@pytest.fixture
def session(qtbot, open_runner, vault_dir: Path, settings, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LANG", "en_GB.UTF-8")  # a number without +44 is British
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_TELEPHONE", raising=False)
    run_task(qtbot, open_runner, lambda job: add_screenshots(job, 3))
    made = Session(vault_dir, open_runner, settings=settings)
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made.window.select_case("Work")
    assert made.case == "Work"
    return made


def core(qtbot, session, fn):  # type: ignore[no-untyped-def]
    """Read the vault with the core on the worker (what was really stored)."""
    return run_task(qtbot, session.runner, lambda job: fn(job.need_vault()))


def open_casefile(qtbot, session) -> CaseFileWindow:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(session.casefile.loaded, timeout=10_000):
        window = session.casefile.open()
    assert window is not None and window.view is not None
    return window


def choose_rows(session: Session, rows: list[int]) -> list[int]:
    table = session.window.item_table
    table.clearSelection()
    flags = table.selectionModel().SelectionFlag
    for row in rows:
        table.selectionModel().select(session.window.items.index(row, 0), flags.Select | flags.Rows)
    return session.window.selected_item_ids()


def cell(table: QTableWidget, row: int, column: int) -> str:
    found = table.item(row, column)
    assert found is not None, (row, column)
    return found.text()


def wait_form(qtbot, session, kind: type) -> Any:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: isinstance(session.casefile.form, kind), timeout=10_000)
    form = session.casefile.form
    qtbot.waitUntil(form.isVisible, timeout=5_000)
    return form


def save(qtbot, session, form) -> None:  # type: ignore[no-untyped-def]
    """Press the form's Save and wait until it is stored and the window shows it."""
    with qtbot.waitSignal(session.casefile.loaded, timeout=10_000):
        qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    assert session.casefile.form is None


def add_incident(qtbot, session, window, when: str, title: str, **fields: str):  # type: ignore[no-untyped-def]
    qtbot.mouseClick(window.add_incident, Qt.MouseButton.LeftButton)
    form: IncidentForm = wait_form(qtbot, session, IncidentForm)
    form.when.setText(when)
    form.zone.setText("Europe/London")
    form.title.setText(title)
    for name, value in fields.items():
        widget = getattr(form, name)
        widget.setPlainText(value) if hasattr(widget, "setPlainText") else widget.setText(value)
    return form


def test_an_incident_from_two_chosen_items_is_stored_with_them_and_listed(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    chosen = choose_rows(session, [0, 2])
    assert len(chosen) == 2
    window = open_casefile(qtbot, session)
    assert window.incident_table.rowCount() == 0
    form = add_incident(qtbot, session, window, "2026-11-20 21:14", "Threat after the meeting",
                        what="He said I would regret going to HR.")  # fmt: skip
    form.people.new.setText("Gareth Holloway")
    assert form.links.count() == 2
    assert all("facebook.example" in form.links.item(r).text() for r in range(2))
    save(qtbot, session, form)
    [stored] = core(qtbot, session, lambda vault: incidents.latest(vault))
    assert sorted(stored.items) == sorted(chosen)
    assert stored.title == "Threat after the meeting" and stored.zone == "Europe/London"
    assert stored.when == "2026-11-20T21:14:00+00:00"
    assert window.incident_table.rowCount() == 1
    row = [cell(window.incident_table, 0, c) for c in range(6)]
    assert row[0] == "Fri 20 Nov 2026 21:14 Europe/London"
    assert row[1:3] == ["Threat after the meeting", "Gareth Holloway"]
    assert row[3] == "2 item(s)" and row[4] == "version 1"


def test_a_link_removed_in_the_form_is_not_stored(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    chosen = choose_rows(session, [0, 1])
    window = open_casefile(qtbot, session)
    form = add_incident(qtbot, session, window, "2026-11-21 08:00", "Comment under my photo")
    form.links.setCurrentRow(0)
    qtbot.mouseClick(form.remove, Qt.MouseButton.LeftButton)
    save(qtbot, session, form)
    [stored] = core(qtbot, session, lambda vault: incidents.latest(vault))
    assert stored.items == (chosen[1],)


def test_a_revision_shows_version_2_and_keeps_version_1(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    choose_rows(session, [1])
    window = open_casefile(qtbot, session)
    form = add_incident(qtbot, session, window, "2026-11-20 21:14", "Threat by text")
    save(qtbot, session, form)
    window.incident_table.selectRow(0)
    qtbot.mouseClick(window.revise_incident, Qt.MouseButton.LeftButton)
    form = wait_form(qtbot, session, IncidentForm)
    assert form.title.text() == "Threat by text" and form.when.text() == "2026-11-20 21:14"
    assert form.links.count() == 1  # the link it had is kept
    form.title.setText("Threat by text: “you’ve got till Friday”")
    form.offences.item(0).setCheckState(Qt.CheckState.Checked)
    save(qtbot, session, form)
    [first, second] = core(qtbot, session, lambda vault: incidents.versions(vault, 1))
    assert (first.version, first.title, first.offences) == (1, "Threat by text", ())
    assert second.version == 2 and second.title.endswith("“you’ve got till Friday”")
    assert second.items == first.items and len(second.offences) == 1
    assert cell(window.incident_table, 0, 4) == "version 2"
    assert "2 version(s) kept" in window.incident_detail.toPlainText()


@pytest.mark.parametrize(
    ("when", "until", "title", "said"),
    [
        ("2026-11-20 21:14", "", "   ", "needs a title"),
        ("2026-11-20 21:14", "2026-11-20 20:00", "Call at night", "ends"),
        ("20th of November", "", "Call at night", "20th of November"),
    ],
)
def test_a_refused_incident_is_explained_in_the_form_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    qtbot, session, when, until, title, said
) -> None:
    window = open_casefile(qtbot, session)
    form = add_incident(qtbot, session, window, when, title)
    form.until.setText(until)
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.problem.isHidden(), timeout=10_000)
    assert form.problem.text().startswith("Not saved: ") and said in form.problem.text()
    assert form.isVisible() and form.save.isEnabled()  # what was typed is still there
    assert core(qtbot, session, lambda vault: incidents.latest(vault)) == []
    assert core(qtbot, session, lambda vault: people.everyone(vault)) == []
    form.reject()


def test_a_person_with_a_local_phone_number_shows_it_in_full(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    window = open_casefile(qtbot, session)
    window.tabs.setCurrentIndex(1)
    qtbot.mouseClick(window.add_person, Qt.MouseButton.LeftButton)
    form: PersonForm = wait_form(qtbot, session, PersonForm)
    form.name.setText("Gareth Holloway")
    form.role.setCurrentText("reported person")
    form.identifiers.setPlainText("phone: 07700 900123\ninstagram: @gaz_h")
    save(qtbot, session, form)
    [stored] = core(qtbot, session, lambda vault: people.everyone(vault))
    assert stored.identifiers[0].value == "+447700900123"
    row = [cell(window.people_table, 0, c) for c in range(4)]
    assert row == [
        "Gareth Holloway", "reported person", "phone: +44 7700 900123, instagram: gaz_h",
        "version 1",
    ]  # fmt: skip
    # the same number typed the other way is the same identifier: refused, not a second one
    window.people_table.selectRow(0)
    qtbot.mouseClick(window.revise_person, Qt.MouseButton.LeftButton)
    form = wait_form(qtbot, session, PersonForm)
    form.identifiers.setPlainText("phone: +44 7700 900123")
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.problem.isHidden(), timeout=10_000)
    assert "nothing to revise" in form.problem.text()
    form.reject()
    assert core(qtbot, session, lambda vault: people.versions(vault, stored.id)) == [stored]


def test_a_statement_saved_twice_keeps_both_versions_exactly_as_typed(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    window = open_casefile(qtbot, session)
    window.tabs.setCurrentIndex(2)
    first = "Since the meeting on 20 November  Gareth has\n\tmessaged me late at night.\n\n"
    second = first + "On 24 November he sent “Final warning” — I am scared to go in.\n"
    for text in (first, second):
        window.statement.setPlainText(text)
        with qtbot.waitSignal(session.casefile.loaded, timeout=10_000):
            qtbot.mouseClick(window.save_statement, Qt.MouseButton.LeftButton)
    case_id = core(qtbot, session, lambda vault: vault.case_named("Work").id)
    kept = core(qtbot, session, lambda vault: statement.versions(vault, case_id))
    assert [k.text for k in kept] == [first, second]
    assert window.statement_status.text().startswith("Version 2 saved ")
    assert window.statement.toPlainText() == second


def test_an_unchanged_statement_is_refused_in_plain_words(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    window = open_casefile(qtbot, session)
    window.statement.setPlainText("   ")
    qtbot.mouseClick(window.save_statement, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.statement_status.text().startswith("Not saved"), timeout=10_000)
    assert "cannot be empty" in window.statement_status.text()


def test_the_chronology_lists_a_message_and_an_incident_with_which_time(  # type: ignore[no-untyped-def]
    qtbot, session, tmp_path: Path
) -> None:
    from evidence_kit.ui.operations.importing import detect_format, run_import

    chat = write_case_files(tmp_path / "files")["chat"]
    found = run_task(qtbot, session.runner, lambda job: detect_format(job, chat))
    run_task(qtbot, session.runner,
             lambda job: run_import(job, chat, found.name, "Europe/London", "Work"))  # fmt: skip
    window = open_casefile(qtbot, session)
    for day in ("2026-11-20 21:15", "2026-11-24 18:10"):
        form = add_incident(qtbot, session, window, day, f"Messages from Gaz on {day[:10]}")
        form.people.new.setText("Gareth Holloway")
        form.where.setText("WhatsApp")
        save(qtbot, session, form)
    table = window.chronology_table
    rows = [[cell(table, r, c) for c in range(5)] for r in range(table.rowCount())]
    message = next(r for r in rows if r[3] == "message" and "Final warning" in r[4])
    assert message[0] == "Fri 20 Nov 2026 21:14 Europe/London"
    assert message[1] == "20 Nov 2026 21:14 UTC" and message[2] == "sent"
    incident = next(r for r in rows if r[3] == "incident" and "2026-11-24" in r[4])
    assert incident[0] == "Tue 24 Nov 2026 18:10 Europe/London" and incident[2] == "incident"
    assert cell(window.incident_table, 0, 3) == "none linked"  # allowed: no evidence
    assert "Gareth Holloway" in window.conduct.text() and "2 separate days" in window.conduct.text()


def _tab_reach(qtbot, start: QWidget, count: int) -> list[QWidget]:  # type: ignore[no-untyped-def]
    seen: list[QWidget] = []
    start.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(count):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None
        seen.append(now)
    return seen


def test_every_tab_and_button_is_reached_by_the_keyboard(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    window = open_casefile(qtbot, session)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    tabs: QTabWidget = window.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        page = tabs.currentWidget()
        reached = _tab_reach(qtbot, tabs.tabBar(), 12)
        for button in page.findChildren(QPushButton):
            if button.isEnabled():
                assert button in reached, (tabs.tabText(index), button.text())
        unnamed = [type(w).__name__ for w in reached if not w.accessibleName()]
        assert not unnamed, (tabs.tabText(index), unnamed)
    # the mnemonics: Alt+P shows People, Alt+H the chronology
    tabs.tabBar().setFocus()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert tabs.currentIndex() == 1
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert tabs.currentIndex() == 3


def test_ctrl_k_opens_the_case_file_of_the_case_shown(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    session.window.show()
    action = next(a for a in session.window.findChildren(type(session.window.tray_action))
                  if a.shortcut().toString() == "Ctrl+K")  # fmt: skip
    with qtbot.waitSignal(session.casefile.loaded, timeout=10_000):
        action.trigger()
    assert session.casefile.window is not None and session.casefile.window.case == "Work"


def test_every_control_of_the_window_and_its_forms_is_named(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.test_accessibility import unnamed

    window = open_casefile(qtbot, session)
    qtbot.mouseClick(window.add_incident, Qt.MouseButton.LeftButton)
    incident_form = wait_form(qtbot, session, IncidentForm)
    problems = unnamed(window) + unnamed(incident_form)
    incident_form.reject()
    qtbot.mouseClick(window.add_person, Qt.MouseButton.LeftButton)
    person_form = wait_form(qtbot, session, PersonForm)
    problems += unnamed(person_form)
    person_form.reject()
    assert problems == []


def test_markup_typed_into_an_incident_is_shown_as_text(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.test_plain_text import HOSTILE, rich_labels_with

    window = open_casefile(qtbot, session)
    form = add_incident(qtbot, session, window, "2026-11-22 12:00", HOSTILE[:200],
                        what=HOSTILE, where=HOSTILE)  # fmt: skip
    form.people.new.setText("<b>Gaz</b>")
    save(qtbot, session, form)
    assert cell(window.incident_table, 0, 1) == HOSTILE[:200].strip()
    assert HOSTILE in window.incident_detail.toPlainText()
    assert "<b>Gaz</b>" in cell(window.people_table, 0, 0)
    window.tabs.setCurrentIndex(3)
    assert rich_labels_with(window, "<b>") == []
    window.incident_table.selectRow(0)
    qtbot.mouseClick(window.revise_incident, Qt.MouseButton.LeftButton)
    revising = wait_form(qtbot, session, IncidentForm)
    assert rich_labels_with(revising, "<b>") == []
    revising.reject()


def test_messages_chosen_in_a_conversation_are_linked_as_a_range(qtbot, session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.casefile.model import MessageRange
    from evidence_kit.ui.models.messages import MessageRole
    from evidence_kit.ui.operations.importing import detect_format, run_import

    chat = write_case_files(tmp_path / "files")["chat"]
    found = run_task(qtbot, session.runner, lambda job: detect_format(job, chat))
    done = run_task(qtbot, session.runner,
                    lambda job: run_import(job, chat, found.name, "Europe/London", "Work"))  # fmt: skip
    with qtbot.waitSignal(session.refreshed, timeout=10_000):
        session.refresh()
    session.window.show()
    items = session.window.items
    row = next(r for r in range(items.rowCount()) if items.item_id(r) == done["item_id"])
    choose_rows(session, [row])
    conversation = session.window.detail.conversation
    model = conversation.model
    qtbot.waitUntil(
        lambda: model.item_id == done["item_id"] and model.rowCount() == 7, timeout=10_000
    )
    qtbot.waitUntil(lambda: model.index(3, 0).data(MessageRole) is not None, timeout=10_000)
    flags = conversation.list.selectionModel().SelectionFlag
    for message_row in (1, 2, 3, 5):  # "u think ur clever…" to "Final warning", and one more
        conversation.list.selectionModel().select(model.index(message_row, 0), flags.Select)
    window = open_casefile(qtbot, session)
    form = add_incident(qtbot, session, window, "2026-11-20 21:12", "Messages after HR")
    shown = [form.links.item(r).text() for r in range(form.links.count())]
    assert shown == [
        "Messages 1–3 of WhatsApp Chat with Gaz (work).txt",
        "Message 5 of WhatsApp Chat with Gaz (work).txt",
    ]
    save(qtbot, session, form)
    [stored] = core(qtbot, session, lambda vault: incidents.latest(vault))
    item = done["item_id"]
    assert stored.items == ()
    assert stored.messages == (MessageRange(item, 1, 3), MessageRange(item, 5, 5))
    assert cell(window.incident_table, 0, 3) == "4 message(s)"
    detail = window.incident_detail.toPlainText()
    assert "Evidence: Messages 1–3 of WhatsApp Chat with Gaz (work).txt; Message 5 of" in detail
