"""Check a sealed bundle you received. Needs no vault: it runs on a task runner of its own that
never holds one. The report opens only when every check passed, and only this bundle's own
report, read through the zip-safety layer and checked against its sealed manifests."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.errors import show_error
from evidence_kit.ui.operations.bundle import VerifyView, fingerprint_matches, verify_bundle
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.widgets.safe_browser import SafeBrowser
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import fit_to_screen, grow_with_contents

PASS, FAIL = "passed", "FAILED"
GOOD = QStyle.StandardPixmap.SP_DialogApplyButton
BAD = QStyle.StandardPixmap.SP_MessageBoxCritical
INTRO = (
    "A sealed bundle is one file of evidence with a seal that shows whether anything in it was "
    "changed after it was made, and who made it. Choose the bundle (.zip) you received to "
    "check it."
)
# The checks in plain words; the technical name stays in the tooltip.
PLAIN_CHECKS = {
    "zip safety": "The file is a safe, complete zip",
    "bagit.txt": "It is a sealed bundle (a BagIt bag)",
    "Payload-Oxum": "The number and total size of the files are as sealed",
    "VERIFY.txt": "The instructions inside are the sealed ones",
    "SSH signature": "The seal (checked as OpenSSH checks it)",
    "Ed25519 signature": "The seal (checked as OpenSSL checks it)",
    "seal key fingerprint": "Which seal was used",
    "custody chain": "The history of every step is unbroken",
    "custody ends with this export": "The history ends with this bundle being made",
    "seal key is the expected one": "The seal is the one you expected",
    "bundle layout": "The bundle holds what a bundle should",
    "bag-info.txt": "The bundle's own description is complete",
    "manifest-sha256.txt": "The list of files (SHA-256) is in order",
    "manifest-sha512.txt": "The list of files (SHA-512) is in order",
    "nothing missing, nothing extra": "No file missing, none added",
    "payload files match manifest-sha256.txt": "Every file is unchanged (SHA-256)",
    "payload files match manifest-sha512.txt": "Every file is unchanged (SHA-512)",
    "tagmanifest-sha256.txt": "The sealed list of lists is in order (SHA-256)",
    "tagmanifest-sha512.txt": "The sealed list of lists is in order (SHA-512)",
    "seal key": "The seal's key can be read",
    "item records": "Each item's record matches its file",
}


def plain_check(name: str) -> str:
    return PLAIN_CHECKS.get(name, name)


class VerifyWindow(QWidget):
    checked = Signal(object)  # VerifyView

    def __init__(self, runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verify")
        grow_with_contents(self)
        self.setWindowTitle("Evidence Kit — check a sealed bundle")
        self.setAccessibleName("Check a sealed bundle")
        # Its own worker, which never holds the vault (one is made when none is given).
        self.runner = runner if runner is not None else TaskRunner()
        self._own_runner = runner is None
        self.view: VerifyView | None = None
        self.report_dialog: QDialog | None = None
        self.report_browser: SafeBrowser | None = None
        intro = plain_label(INTRO, self)
        self.file = QLineEdit(self)
        self.file.setReadOnly(True)
        self.file.setAccessibleName("Bundle file")
        choose = QPushButton("&Choose a bundle…", self)
        choose.setAccessibleName("Choose a bundle to check")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        self.verdict = plain_label("", self)
        self.verdict.setAccessibleDescription("Result")
        font = self.verdict.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15 if font.pointSizeF() > 0 else 12)
        self.verdict.setFont(font)
        self.checks = QTreeWidget(self)
        self.checks.setHeaderLabels(["Check", "Result", "Detail"])
        self.checks.setAccessibleName("Every check")
        self.checks.setRootIsDecorated(False)
        self.checks.setTabKeyNavigation(False)
        self.checks.setColumnWidth(0, 320)
        self.checks.setColumnWidth(1, 90)
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setAccessibleName("Seal fingerprint of this bundle")
        self.read_aloud = QLineEdit(self)
        self.read_aloud.setReadOnly(True)
        self.read_aloud.setAccessibleName("Seal fingerprint of this bundle, to read aloud")
        self.expected = QLineEdit(self)
        self.expected.setAccessibleName("Fingerprint the sender gave you")
        self.expected.setPlaceholderText(
            "What the sender told you: SHA256:… or the eight groups of digits"
        )
        self.match = plain_label("", self)
        self.match.setAccessibleDescription("Do the fingerprints match")
        self.expected.textChanged.connect(self._compare)
        form = QFormLayout()
        form.addRow("Seal fingerprint of this bundle:", self.fingerprint)
        form.addRow("The same, read aloud:", self.read_aloud)
        form.addRow("The sender's &fingerprint:", self.expected)
        form.addRow("", self.match)
        self.report_button = QPushButton("Open the &report", self)
        self.report_button.setAccessibleName("Open the report in the bundle")
        self.report_button.setEnabled(False)
        self.report_button.setToolTip("Only once every check has passed.")
        self.report_button.clicked.connect(self.open_report)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addWidget(self.checks, 1)
        layout.addLayout(form)
        self.redaction_button = QPushButton("Check a re&dacted copy against its original…", self)
        self.redaction_button.setAccessibleName("Check a redacted copy against its original")
        self.redaction_button.clicked.connect(self.check_redaction)
        actions = QHBoxLayout()
        actions.addWidget(self.report_button)
        actions.addWidget(self.redaction_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        fit_to_screen(self, 860, 620)
        self._compare()

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose a sealed bundle", "", "Sealed bundles (*.zip);;All files (*)"
        )
        if name:
            self.check(Path(name))

    def check(self, path: Path) -> None:
        self.view = None
        self.file.setText(str(path))
        self.file.setCursorPosition(0)
        self.verdict.setText("Checking every file and the seal…")
        self.checks.clear()
        self.fingerprint.clear()
        self.read_aloud.clear()
        self.report_button.setEnabled(False)
        self.runner.submit(
            lambda job: verify_bundle(job, path), on_done=self._shown, on_error=self._failed
        )

    def _failed(self, exc: BaseException) -> None:
        self.verdict.setText("✘ The bundle could not be checked.")
        show_error(self, exc)

    def _shown(self, view: VerifyView) -> None:
        self.view = view
        mark = "✔" if view.ok else "✘"
        self.verdict.setText(f"{mark} {view.summary}")
        for check in view.checks:
            row = QTreeWidgetItem(
                [plain_check(check.name), PASS if check.passed else FAIL, check.detail]
            )
            row.setIcon(1, self.style().standardIcon(GOOD if check.passed else BAD))
            row.setToolTip(0, f"{plain_check(check.name)}\n(technical name: {check.name})")
            row.setToolTip(2, check.detail)
            self.checks.addTopLevelItem(row)
        self.fingerprint.setText(view.fingerprint or "not found")
        self.read_aloud.setText(view.read_aloud or "not found")
        self.report_button.setEnabled(view.ok and view.report_html is not None)
        self.report_button.setToolTip(
            "Read the report sealed in this bundle."
            if view.ok
            else "The report is not opened: the bundle did not pass every check."
        )
        self._compare()
        self.checked.emit(view)

    def _compare(self) -> None:
        view = self.view
        given = self.expected.text()
        found = fingerprint_matches(view.fingerprint, view.read_aloud, given) if view else None
        if view is None or not given.strip():
            self.match.setText(
                "Ask the sender for their fingerprint by phone or in person, then type it here."
            )
        elif found is None:
            self.match.setText("Type all eight groups of five digits (or the whole SHA256:…).")
        elif found and not view.ok:
            self.match.setText(
                "The fingerprints match, but the bundle did NOT pass every check: it was changed "
                "or damaged after it was sealed. Do not rely on it; ask the sender for a fresh copy."
            )
        elif found:
            self.match.setText("✔ The fingerprints match: this bundle was sealed by the sender.")
        else:
            self.match.setText(
                "✘ The fingerprints do NOT match: this bundle was not sealed with the sender's "
                "seal. Do not rely on it; contact the sender."
            )

    def check_redaction(self) -> None:
        from evidence_kit.ui.dialogs.redaction_check import RedactionCheckDialog

        RedactionCheckDialog(self.runner, self).open()

    def open_report(self) -> None:
        view = self.view
        if view is None or not view.ok or view.report_html is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle("Evidence Kit — the report in this bundle")
        dialog.setAccessibleName("Report")
        browser = SafeBrowser(dialog)
        browser.setHtml(view.report_html)
        browser.setAccessibleName("Report")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        fit_to_screen(dialog, 860, 720)
        self.report_dialog, self.report_browser = dialog, browser
        dialog.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._own_runner:
            self.runner.stop()
        super().closeEvent(event)
