"""The questions the program asks say what is missing, find a time zone from a city, change
the passphrase under the vault's own rule, and open attachments inside the program."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from evidence_kit.errors import Refused
from evidence_kit.importers import import_file
from evidence_kit.ui.dialogs.case_dialogs import CaseNameDialog
from evidence_kit.ui.dialogs.import_dialog import ImportDialog
from evidence_kit.ui.dialogs.passphrase_dialog import PassphraseDialog
from evidence_kit.ui.dialogs.withdraw_dialog import WithdrawDialog
from evidence_kit.ui.operations import items as ops
from evidence_kit.ui.operations.importing import Detected
from evidence_kit.ui.operations.search import search_everything
from evidence_kit.ui.widgets.strength_meter import refusal
from evidence_kit.vault import Vault
from evidence_kit.vault.strength import check_passphrase_strength
from tests.conftest import PASSPHRASE
from tests.e2e.journey_data import email_file, whatsapp_zip
from tests.ui.conftest import run_task


def test_withdraw_says_a_reason_is_needed(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = WithdrawDialog("screenshot of the post")
    qtbot.addWidget(dialog)
    dialog._accept()
    assert dialog.result() == 0 and "Write a reason first" in dialog.problem.text()
    dialog.reason.setPlainText("   ")
    dialog._accept()
    assert dialog.result() == 0
    dialog.reason.setPlainText("a copy of another item")
    dialog._accept()
    assert dialog.result() == 1 and dialog.value() == "a copy of another item"


def test_a_case_name_must_be_there_and_free(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = CaseNameDialog("New case", "explain", ["Work", "Home"])
    qtbot.addWidget(dialog)
    dialog._accept()
    assert "Type a name" in dialog.problem.text()
    dialog.name.setText("  work ")
    dialog._accept()
    assert "already a case" in dialog.problem.text() and dialog.result() == 0
    dialog.name.setText("Night   shift")
    dialog._accept()
    assert dialog.result() == 1 and dialog.value() == "Night shift"


def test_the_time_zone_is_found_from_a_city_or_asked_for(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ImportDialog("chat.txt", Detected("whatsapp", "WhatsApp chat export", True),
                          ["Work"], "Work", "UTC")  # fmt: skip
    qtbot.addWidget(dialog)
    zone = dialog.zone
    assert zone is not None
    zone.search.setText("London")
    assert zone.zone() == "Europe/London" and "Europe/London" in zone.chosen.text()
    zone.search.setText("Australia")
    assert zone.zone() is None and zone.list.count() >= 5
    dialog._accept()
    assert dialog.result() == 0 and "Choose one of the places" in dialog.problem.text()
    zone.list.setCurrentRow(0)
    assert zone.zone() is not None and zone.zone().startswith(("Australia/", "Antarctica/"))
    zone.search.setText("Atlantis")
    assert "No place called “Atlantis”" in dialog.problem.text()
    zone.search.setText("Paris")
    dialog.cases.combo.setCurrentIndex(dialog.cases.combo.count() - 1)  # a new case…
    dialog._accept()
    assert "Type a name for the new case" in dialog.problem.text()
    dialog.cases.new_name.setText("Neighbours")
    dialog._accept()
    assert dialog.result() == 1
    assert (dialog.choice().case, dialog.choice().tz) == ("Neighbours", "Europe/Paris")


def test_the_passphrase_is_changed_under_the_vaults_own_rule(
    qtbot, open_runner, vault_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog = PassphraseDialog(open_runner)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert "current passphrase" in dialog.problem.text()
    dialog.current.setText("not it")
    dialog.new.setText("short")
    dialog.submit()
    assert dialog.problem.text() == refusal("short") != ""
    with pytest.raises(Exception, match=refusal("short").split(".")[0]):
        check_passphrase_strength("short")  # the same judgement as the command line
    dialog.new.setText("a brand new passphrase")
    dialog.again.setText("a brand new passphrase")
    dialog.submit()
    qtbot.waitUntil(lambda: "not your current passphrase" in dialog.problem.text(), timeout=20_000)
    dialog.current.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.submit()
    run_task(qtbot, open_runner, lambda job: job.runner.set_vault(job, None))
    with Vault.open(vault_dir, "a brand new passphrase") as vault:
        assert vault.custody_events()[-1].action == "passphrase changed"


def test_the_recovery_code_sets_a_new_passphrase(
    qtbot, open_runner, vault_dir: Path, recovery_code
) -> None:  # type: ignore[no-untyped-def]
    dialog = PassphraseDialog(open_runner)
    qtbot.addWidget(dialog)
    dialog.use_code.setChecked(True)
    dialog.current.setText(recovery_code.lower().replace("-", " "))
    dialog.new.setText("after the recovery code")
    dialog.again.setText("after the recovery code")
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.submit()
    run_task(qtbot, open_runner, lambda job: job.runner.set_vault(job, None))
    with Vault.open(vault_dir, "after the recovery code") as vault:
        assert vault.custody_events()[-1].action == "passphrase reset with recovery code"


def test_attachments_open_inside_or_are_saved_as_a_copy(qtbot, open_runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def imported(job):  # type: ignore[no-untyped-def]
        vault = job.need_vault()
        chat = import_file(vault, whatsapp_zip(tmp_path), tz="Europe/London").item.id
        mail = import_file(vault, email_file(tmp_path)).item.id
        return chat, mail

    chat, mail = run_task(qtbot, open_runner, imported)
    loaded = run_task(qtbot, open_runner, lambda job: ops.load_item(job, chat))
    assert [r.item.original_name for r in loaded.attachments] == ["IMG-20251012-WA0003.jpg"]
    assert loaded.row.who == "Dana (night shift), Me"
    photo = loaded.attachments[0].item
    assert photo.evidence_time.label == "Sent" and loaded.attachments[0].who == "Dana (night shift)"
    opened = run_task(qtbot, open_runner, lambda job: ops.open_attachment(job, photo.id))
    assert opened.image is not None and opened.image.width() == 480
    attachments = {r.item.original_name: r.item for r in
                   run_task(qtbot, open_runner, lambda job: ops.load_item(job, mail)).attachments}  # fmt: skip
    text = run_task(qtbot, open_runner,
                    lambda job: ops.open_attachment(job, attachments["shifts.txt"].id))  # fmt: skip
    assert text.text is not None and "Mon night" in text.text
    pdf = attachments["handbook-page-12.pdf"]
    assert not ops.can_open(pdf)
    with pytest.raises(Refused):
        run_task(qtbot, open_runner, lambda job: ops.open_attachment(job, pdf.id))
    copy = tmp_path / "copy.pdf"
    run_task(qtbot, open_runner, lambda job: ops.save_copy(job, pdf.id, copy))
    assert copy.read_bytes().startswith(b"%PDF-1.4")
    with pytest.raises(Refused, match="already exists"):
        run_task(qtbot, open_runner, lambda job: ops.save_copy(job, pdf.id, copy))
    # an e-mail forwarded as an attachment opens with its From, To and Subject
    forwarded = run_task(qtbot, open_runner, lambda job: forwarded_mail(job, tmp_path))
    opened = run_task(qtbot, open_runner, lambda job: ops.open_attachment(job, forwarded))
    assert ("From", "Dana <dana@example.org>") in opened.headers
    assert ("Subject", "you will regret it") in opened.headers
    assert opened.text is not None and "everyone will know" in opened.text
    # search finds inside the chat, and an attachment's name leads to its import
    hits = run_task(qtbot, open_runner, lambda job: search_everything(job, "ward"))
    assert hits and hits[0].item_id == chat and hits[0].message_index is not None
    named = run_task(qtbot, open_runner, lambda job: search_everything(job, "handbook"))
    assert any(h.item_id == mail and h.kind.startswith("Attachment") for h in named)
    assert zipfile.is_zipfile(tmp_path / "WhatsApp Chat with Dana (night shift).zip")


def forwarded_mail(job, folder: Path) -> int:  # type: ignore[no-untyped-def]
    """An e-mail the person forwarded to themselves with the original attached (.eml)."""
    from email.message import EmailMessage

    original = EmailMessage()
    original["From"] = "Dana <dana@example.org>"
    original["To"] = "Alex <alex@example.net>"
    original["Subject"] = "you will regret it"
    original["Date"] = "Fri, 17 Oct 2025 22:01:00 +0100"
    original.set_content("Go to HR and everyone will know what you did.\n")
    cover = EmailMessage()
    cover["From"] = "Alex <alex@example.net>"
    cover["To"] = "Alex <alex.home@example.net>"
    cover["Subject"] = "Fwd: you will regret it"
    cover["Date"] = "Sat, 18 Oct 2025 08:00:00 +0100"
    cover.set_content("Keeping this.\n")
    cover.add_attachment(original)
    path = folder / "Fwd you will regret it.eml"
    path.write_bytes(bytes(cover))
    item = import_file(job.need_vault(), path).item
    child = next(c for c in job.need_vault().children(item.id) if c.kind.value == "attachment")
    return int(child.id)
