"""File → Receive a bundle…: a good bundle is taken in and its items say who sealed them;
receiving it again says it is already there and stores nothing; a tampered bundle or one sealed
by another key is refused in plain words and nothing is stored. And the import picker's several
files (the parts of one download) or a folder go to the core as one import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from evidence_kit.bundle.export import Options, export_bundle
from evidence_kit.ui.dialogs.receive_dialog import ReceivedDialog, ReceiveDialog
from evidence_kit.ui.models import describe
from evidence_kit.ui.operations.receiving import Received
from evidence_kit.ui.session import Session
from evidence_kit.vault import TEST_KDF, Vault
from tests.bundle.conftest import CASE, populate
from tests.conftest import PASSPHRASE
from tests.ui.conftest import run_task


@pytest.fixture
def sent(tmp_path: Path) -> tuple[Path, str]:
    """A bundle the person sealed in their own vault, and their key's fingerprint."""
    person = Vault.create(tmp_path / "person", PASSPHRASE, owner="Alex Person", kdf=TEST_KDF).vault
    try:
        populate(person)
        made = export_bundle(person, Options(audience="rep", case=CASE), tmp_path / "sent")
        return made.zip_path, person.fingerprint
    finally:
        person.close()


@pytest.fixture
def session(qtbot, open_runner, vault_dir: Path, settings, shown_errors):  # type: ignore[no-untyped-def]
    made = Session(vault_dir, open_runner, settings=settings)
    qtbot.addWidget(made.window)
    with qtbot.waitSignal(made.refreshed, timeout=10_000):
        made._opened()
    return made


def receive(qtbot, session, path: Path, fingerprint: str = "") -> tuple[Received, str]:  # type: ignore[no-untyped-def]
    """Answer the dialog as a person would; what came of it and what the answer said."""
    said: list[str] = []

    def ask(dialog: ReceiveDialog) -> None:
        def fill() -> None:
            dialog.path.setText(str(path))
            dialog.fingerprint.setText(fingerprint)
            dialog.ok.click()

        QTimer.singleShot(0, fill)

    def answered(dialog: ReceivedDialog) -> None:
        said.append(dialog.text.text())
        QTimer.singleShot(0, dialog.accept)

    session.receiving.asked.connect(ask)
    session.receiving.answered.connect(answered)
    try:
        with qtbot.waitSignal(session.receiving.received, timeout=30_000) as got:
            session.window.receive_requested.emit()
    finally:
        session.receiving.asked.disconnect(ask)
        session.receiving.answered.disconnect(answered)
    return got.args[0], said[0]


def test_a_bundle_is_received_once_and_says_who_sealed_it(
    qtbot, session, sent, shown_errors
) -> None:  # type: ignore[no-untyped-def]
    path, fingerprint = sent
    runner = session.runner
    before = run_task(qtbot, runner, lambda job: job.need_vault().last_item_id())
    got, said = receive(qtbot, session, path, fingerprint)
    assert not shown_errors and not got.refused and not got.already and got.exhibits >= 3
    assert "is kept in your vault" in said and "Received from <b>Alex Person</b>" in said
    assert fingerprint in said
    exhibit = run_task(qtbot, runner, lambda job: job.need_vault().item(got.item_ids[0]))
    text = describe.received_text(exhibit)
    assert text is not None and text.startswith("Received from Alex Person as exhibit ")
    assert f"fingerprint {fingerprint}" in text
    assert re.search(r", sealed \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d UTC,", text), text
    qtbot.waitUntil(lambda: got.item_ids[0] in session.window.selected_item_ids(), timeout=10_000)
    assert session.case == CASE  # shown in the case the person sealed
    count = run_task(qtbot, runner, lambda job: job.need_vault().last_item_id())
    assert count > before
    again, said = receive(qtbot, session, path)
    assert again.already and again.item_id == got.item_id
    assert "already in your vault" in said and "Nothing was stored twice" in said
    assert run_task(qtbot, runner, lambda job: job.need_vault().last_item_id()) == count


def test_a_tampered_bundle_is_refused_and_nothing_is_kept(
    qtbot, session, sent, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path, fingerprint = sent
    runner = session.runner
    before = run_task(qtbot, runner, lambda job: job.need_vault().last_item_id())
    bad = tmp_path / "bad" / path.name
    bad.parent.mkdir()
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    bad.write_bytes(bytes(raw))
    got, said = receive(qtbot, session, bad, fingerprint)
    assert got.refused and got.item_id is None
    assert "was not taken in" in said and "Nothing was kept in your vault" in said
    assert got.failed and "What is wrong" in said
    other = "SHA256:" + "A" * 43
    got, said = receive(qtbot, session, path, other)
    assert got.refused and "was not taken in" in said
    assert run_task(qtbot, runner, lambda job: job.need_vault().last_item_id()) == before


def test_the_receive_dialog_says_what_is_missing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ReceiveDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.ok.click()
    assert dialog.result() != ReceiveDialog.DialogCode.Accepted
    assert "Choose the bundle file" in dialog.problem.text()
    dialog.path.setText(str(tmp_path / "nothing.zip"))
    assert "There is no file" in dialog.problem.text()
    real = tmp_path / "b.zip"
    real.write_bytes(b"PK")
    dialog.path.setText(str(real))
    dialog.fingerprint.setText("not a key")
    assert "not a seal key fingerprint" in dialog.problem.text()
    dialog.fingerprint.setText("")
    assert dialog.problem.text() == ""


def test_two_parts_of_a_download_and_a_bad_file_are_one_import(
    qtbot, session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown_errors
) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.ui.dialogs.import_dialog import ImportChoice, ImportDialog
    from evidence_kit.ui.dialogs.import_summary import ImportSummaryDialog, several_html
    from tests.importers.downloads import meta

    first, second = meta.facebook_parts(meta.facebook_folder(tmp_path / "fb"), tmp_path)
    junk = tmp_path / "holiday.zip"
    junk.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip: no export inside
    asked: list[tuple[str, str]] = []
    summaries: list[object] = []

    def ask(cls, file_name, detected, cases, current, zone, parent=None):  # type: ignore[no-untyped-def]
        asked.append((file_name, detected.label))
        return ImportChoice("Work", "Europe/London")

    monkeypatch.setattr(ImportDialog, "ask", classmethod(ask))
    monkeypatch.setattr(ImportSummaryDialog, "ask",
                        classmethod(lambda cls, facts, parent=None: summaries.append(facts)))  # fmt: skip
    with qtbot.waitSignal(session.importing.imported, timeout=60_000):
        session.window.import_requested.emit([first, junk, second])  # as one drop gives them
    assert not shown_errors
    assert asked == [(f"{first.name}, {junk.name}, {second.name}",
                      "set of 3 files (the parts of one download are joined)")]  # fmt: skip
    (found,) = summaries
    assert isinstance(found, list) and len(found) == 2  # the two parts joined, the junk refused
    joined = next(f for f in found if "item_id" in f)
    assert joined["read_from"] == f"{first.name}, {second.name}"
    assert "(listing of 2 parts)" in joined["original_name"]
    refused = next(f for f in found if "error" in f)
    assert refused["read_from"] == junk.name and "holiday.zip" in refused["error"]
    html = several_html(found)
    assert "1 of 2 import(s) went in" in html and "holiday.zip was not imported" in html
    items = run_task(qtbot, session.runner, lambda job: list(job.need_vault().items("Work")))
    assert any(i.id == joined["item_id"] for i in items)


def test_the_picker_takes_several_files_or_switches_to_a_folder(
    qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    from evidence_kit.ui.dialogs import import_picker

    picker = import_picker.ImportPicker(tmp_path)
    qtbot.addWidget(picker)
    assert picker.fileMode() == QFileDialog.FileMode.ExistingFiles
    assert picker.layout().indexOf(picker.folder_button) >= 0  # in the dialog, beside its buttons
    monkeypatch.setattr(import_picker.ImportPicker, "exec", lambda self: import_picker.FOLDER)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(tmp_path))
    assert import_picker.choose_import_paths(tmp_path) == [tmp_path]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: "")
    assert import_picker.choose_import_paths(tmp_path) == []  # cancelled: nothing
