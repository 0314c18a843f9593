"""Export through the wizard, then check the bundle in the Verify window (no vault needed)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from evidence_kit.ui.dialogs.export_wizard import ExportWizard
from evidence_kit.ui.dialogs.verify_window import FAIL, PASS, VerifyWindow
from tests.ui.conftest import run_task


def _export(qtbot, session, tmp_path: Path, audience: str = "police") -> ExportWizard:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(session.refreshed, timeout=10_000):
        session.window.select_case("Work")  # the person is looking at the case
    with qtbot.waitSignal(session.exporting.wizard_opened, timeout=5_000) as opened:
        session.window.export_button.click()
    wizard: ExportWizard = opened.args[0]
    qtbot.addWidget(wizard)
    # First what: the whole case, every item it covers listed.
    assert wizard.currentPage() is wizard.choose
    assert wizard.choose.whole_case.isChecked() and wizard.choose.case.currentText() == "Work"
    qtbot.waitUntil(lambda: wizard.choose.isComplete(), timeout=10_000)
    assert wizard.choose.list.topLevelItemCount() == 2
    wizard.next()
    wizard.audience.buttons[audience].setChecked(True)
    wizard.audience.name.setText("Alex Doe")
    wizard.audience.organisation.setText("Example School")
    wizard.next()
    # Then exactly what that audience gets, from the export's own selection.
    assert wizard.currentPage() is wizard.contents
    qtbot.waitUntil(lambda: wizard.contents.isComplete(), timeout=10_000)
    assert wizard.contents.list.topLevelItemCount() == 2
    assert "2 item(s) go in" in wizard.contents.count.text()
    wizard.next()
    wizard.where.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(session.exporting.exported, timeout=60_000):
        wizard.next()
    return wizard


def test_export_wizard_ends_with_file_hash_and_fingerprint(
    qtbot, session, tmp_path: Path, shown_errors
) -> None:  # type: ignore[no-untyped-def]
    wizard = _export(qtbot, session, tmp_path)
    page = wizard.done_page
    assert wizard.currentPage() is page
    bundle = Path(page.file.text())
    assert bundle.is_file() and bundle.parent == tmp_path / "out"
    import hashlib

    assert page.sha.text() == hashlib.sha256(bundle.read_bytes()).hexdigest()
    fingerprint = run_task(qtbot, session.runner, lambda job: job.need_vault().fingerprint)
    assert page.fingerprint.text() == fingerprint
    assert "by phone or in person" in page.advice.text()
    assert "not in the same e-mail" in page.advice.text()
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert not shown_errors


def test_verify_window_passes_a_good_bundle_and_fails_a_changed_one(
    qtbot, session, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bundle = Path(_export(qtbot, session, tmp_path).done_page.file.text())
    fingerprint = run_task(qtbot, session.runner, lambda job: job.need_vault().fingerprint)
    window = VerifyWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.checked, timeout=60_000) as checked:
        window.check(bundle)
    view = checked.args[0]
    assert view.ok
    rows = [window.checks.topLevelItem(i) for i in range(window.checks.topLevelItemCount())]
    assert rows and all(row.text(1) == PASS for row in rows)
    assert window.fingerprint.text() == fingerprint
    window.expected.setText(fingerprint.removeprefix("SHA256:"))
    assert window.match.text().startswith("✔")
    window.expected.setText("SHA256:AAAA")
    assert "do NOT match" in window.match.text()
    # change one byte of one file inside the bundle: the check must fail
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".png"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.writestr(info, data)
    with qtbot.waitSignal(window.checked, timeout=60_000) as checked:
        window.check(tampered)
    assert not checked.args[0].ok
    results = [
        window.checks.topLevelItem(i).text(1) for i in range(window.checks.topLevelItemCount())
    ]
    assert FAIL in results
    assert "failed" in window.verdict.text()
    assert not window.report_button.isEnabled()  # a bundle that failed: no report
    window.close()


def test_verify_needs_no_vault_and_opens_the_report(qtbot, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.ui.tasks import TaskRunner

    bundle = Path(_export(qtbot, session, tmp_path).done_page.file.text())
    runner = TaskRunner()  # a fresh runner, no vault at all
    window = VerifyWindow(runner)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.checked, timeout=60_000):
        window.check(bundle)
    assert window.report_button.isEnabled()
    window.open_report()
    assert window.report_browser is not None
    assert "Alex Doe" in window.report_browser.toPlainText()
    runner.stop()


def test_gui_verify_flag_opens_the_verify_window(
    qtbot, session, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from evidence_kit.ui import app

    bundle = Path(_export(qtbot, session, tmp_path).done_page.file.text())
    seen: list[VerifyWindow] = []

    def fake_exec(self) -> int:  # type: ignore[no-untyped-def]
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, VerifyWindow)]
        seen.append(windows[-1])
        qtbot.waitUntil(lambda: windows[-1].view is not None, timeout=30_000)
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert app.main(["--verify", str(bundle)]) == 0
    assert seen[0].file.text() == str(bundle)
    assert seen[0].view is not None and seen[0].view.ok


def test_the_report_opens_only_for_a_bundle_that_passed_and_only_its_own(
    qtbot, session, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import copy
    import hashlib

    from evidence_kit.errors import VerificationError
    from evidence_kit.ui.operations.bundle import read_report

    bundle = Path(_export(qtbot, session, tmp_path).done_page.file.text())
    assert "Alex Doe" in read_report(bundle)
    with zipfile.ZipFile(bundle) as source:
        top = source.namelist()[0].split("/")[0]
        report_name = f"{top}/bag/data/report/evidence-report.html"
        original = source.read(report_name)
        # 1. a forged report (with its manifest line rewritten, the sealed list left alone)
        forged = tmp_path / "forged.zip"
        fake = b"<html><body>WITHDRAWN - nothing to see</body></html>"
        with zipfile.ZipFile(forged, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == report_name:
                    data = fake
                elif info.filename.endswith("/bag/manifest-sha256.txt"):
                    old = hashlib.sha256(original).hexdigest()
                    data = data.replace(old.encode(), hashlib.sha256(fake).hexdigest().encode())
                target.writestr(copy.copy(info), data)  # (writestr changes the info it gets)
        # 2. a second "report" in another folder of the zip, the old reader's first pick
        extra = tmp_path / "extra.zip"
        with zipfile.ZipFile(extra, "w") as target:
            target.writestr("EVB-fake/bag/data/report/evidence-report.html", fake)
            for info in source.infolist():
                target.writestr(copy.copy(info), source.read(info))
    with pytest.raises(VerificationError, match="not the one that was sealed"):
        read_report(forged)
    with pytest.raises(VerificationError):
        read_report(extra)
    window = VerifyWindow()  # its own worker: it never holds the vault
    qtbot.addWidget(window)
    for path in (forged, extra):
        with qtbot.waitSignal(window.checked, timeout=60_000) as checked:
            window.check(path)
        assert not checked.args[0].ok and checked.args[0].report_html is None
        assert not window.report_button.isEnabled()
        window.open_report()
        assert window.report_dialog is None
    assert window.runner.vault is None and window.runner is not session.runner
    with qtbot.waitSignal(window.checked, timeout=60_000) as checked:
        window.check(bundle)
    assert checked.args[0].ok and window.report_button.isEnabled()
    window.open_report()
    assert window.report_browser is not None
    assert "WITHDRAWN - nothing to see" not in window.report_browser.toPlainText()
    window.close()
