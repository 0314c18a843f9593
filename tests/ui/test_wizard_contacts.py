"""The hand-over wizard's list page warns, for a manager, when what goes in shows phone numbers
or e-mail addresses — and not for the police or a rep, nor once they are hidden."""

from __future__ import annotations

from pathlib import Path

from evidence_kit.ui.dialogs.choose_page import ContentsPage
from evidence_kit.ui.operations.bundle import what_goes_in
from tests.bundle.test_contact_warning import CHAT
from tests.ui.conftest import run_task


def test_the_list_page_warns_a_manager_bundle_of_contact_details(
    qtbot, open_runner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.importers import import_file
    from evidence_kit.redaction.messages import Hide
    from evidence_kit.redaction.store import redact_messages

    path = tmp_path / "WhatsApp Chat with Gareth Holloway.txt"
    path.write_text(CHAT, "utf-8")
    chat = run_task(qtbot, open_runner, lambda job: import_file(
        job.need_vault(), path, tz="Europe/London", case="Work").item.id)  # fmt: skip
    audience = ["manager"]

    def lister(case, ids, who, on_done):  # type: ignore[no-untyped-def]
        open_runner.submit(lambda job: what_goes_in(job, case, ids, who), on_done=on_done)

    page = ContentsPage(lister, lambda: ("Work", ()), lambda: audience[0])
    qtbot.addWidget(page)
    page.show()
    page.initializePage()
    qtbot.waitUntil(lambda: page.contents.listed is not None, timeout=10_000)
    assert page.contacts.isVisible()
    assert page.contacts.text() == (
        "3 messages show phone numbers, e-mail addresses or bystanders' names — other "
        "people's details. Consider hiding them (Redact…) before sending this to a manager."
    )
    for other in ("police", "rep"):
        audience[0] = other
        page.initializePage()
        qtbot.waitUntil(lambda: page.contents.listed is not None, timeout=10_000)
        assert not page.contacts.isVisible() and page.contacts.text() == ""
    run_task(qtbot, open_runner, lambda job: redact_messages(
        job.need_vault(), chat, [Hide(0), Hide(3), Hide(4)], [], "Bystanders"))  # fmt: skip
    audience[0] = "manager"
    page.initializePage()
    qtbot.waitUntil(lambda: page.contents.listed is not None, timeout=10_000)
    assert not page.contacts.isVisible()


def test_a_rep_handing_on_what_they_received_is_offered_a_covering_note(
    qtbot, open_runner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.bundle.export import Options, export_bundle
    from evidence_kit.handover.receive import receive_bundle
    from evidence_kit.vault import TEST_KDF, Vault
    from tests.bundle.conftest import CASE, populate
    from tests.conftest import PASSPHRASE

    audience = ["manager"]

    def lister(case, ids, who, on_done):  # type: ignore[no-untyped-def]
        open_runner.submit(lambda job: what_goes_in(job, case, ids, who), on_done=on_done)

    def page_for(who: str, cases: list[str]) -> ContentsPage:
        audience[0] = who
        case = CASE if cases else None
        page = ContentsPage(lister, lambda: (case, ()), lambda: audience[0])
        qtbot.addWidget(page)
        page.show()
        page.initializePage()
        qtbot.waitUntil(lambda: page.contents.listed is not None, timeout=10_000)
        return page

    person = Vault.create(tmp_path / "person", PASSPHRASE, owner="Alex", kdf=TEST_KDF).vault
    try:
        populate(person)
        sent = export_bundle(person, Options(audience="rep", case=CASE), tmp_path / "s").zip_path
    finally:
        person.close()
    before = page_for("manager", [])  # nothing received yet: no note offered
    assert not before.note.isVisible() and before.covering_note() == ""
    run_task(qtbot, open_runner, lambda job: receive_bundle(job.need_vault(), sent))
    page = page_for("manager", [CASE])
    assert page.note.isVisible() and "Covering note" in page.note_title.text()
    page.note.setPlainText("  I am the rep helping Alex.  ")
    assert page.covering_note() == "I am the rep helping Alex."
    audience[0] = "rep"
    page.initializePage()
    qtbot.waitUntil(lambda: page.contents.listed is not None, timeout=10_000)
    assert not page.note.isVisible() and page.covering_note() == ""
    # what the wizard asks for reaches the bundle
    import zipfile

    from evidence_kit.ui.dialogs.export_wizard import ExportRequest
    from evidence_kit.ui.operations.bundle import export_bundle as export_op

    request = ExportRequest(CASE, None, "manager", "Sam Rep", "", tmp_path / "out",
                            covering_note="I am the rep helping Alex.")  # fmt: skip
    made = run_task(qtbot, open_runner, lambda job: export_op(job, request))
    with zipfile.ZipFile(made.path) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith("data/case/covering-note.txt")]
        assert archive.read(name) == b"I am the rep helping Alex.\n"


def test_a_bystander_from_the_people_list_is_warned_of_by_name(
    qtbot, open_runner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Once the people list marks someone a bystander, a message naming them counts too."""
    from evidence_kit.casefile import people
    from evidence_kit.importers import import_file

    path = tmp_path / "WhatsApp Chat with Sam.txt"
    path.write_text(
        "12/10/2025, 21:14 - Sam: ask Lucy Fenwick, she was there\n"
        "12/10/2025, 21:15 - Me: please stop\n",
        "utf-8",
    )
    run_task(qtbot, open_runner, lambda job: import_file(
        job.need_vault(), path, tz="Europe/London", case="Work").item.id)  # fmt: skip
    found = run_task(qtbot, open_runner, lambda job: what_goes_in(job, "Work", (), "manager"))
    assert found.showing_contacts == 0  # no number, no address, no bystander known yet

    def mark(job):  # type: ignore[no-untyped-def]
        with job.need_vault().transaction() as writer:
            people.add(writer, "Lucy Fenwick", "bystander")

    run_task(qtbot, open_runner, mark)
    found = run_task(qtbot, open_runner, lambda job: what_goes_in(job, "Work", (), "manager"))
    assert found.showing_contacts == 1
