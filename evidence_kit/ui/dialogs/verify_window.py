"""Check a sealed bundle you received. Needs no vault."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.errors import show_error
from evidence_kit.ui.flows.bundle_core import VerifyView, read_report, verify_bundle
from evidence_kit.ui.tasks import TaskRunner

PASS, FAIL = "passed", "FAILED"
GOOD = QStyle.StandardPixmap.SP_DialogApplyButton
BAD = QStyle.StandardPixmap.SP_MessageBoxCritical
INTRO = (
    "A <b>sealed bundle</b> is one file of evidence with a seal that shows whether anything "
    "in it was changed after it was made, and who made it. Choose the bundle (.zip) you "
    "received to check it."
)


def normal_fingerprint(text: str) -> str:
    text = "".join(text.split())
    return text if text.startswith("SHA256:") or not text else f"SHA256:{text}"


class VerifyWindow(QWidget):
    checked = Signal(object)  # VerifyView

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verify")
        self.setWindowTitle("Evidence Kit — check a sealed bundle")
        self.runner = runner
        self.view: VerifyView | None = None
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.file = QLineEdit(self)
        self.file.setReadOnly(True)
        self.file.setAccessibleName("Bundle file")
        choose = QPushButton("Choose a bundle…", self)
        choose.setAccessibleName("Choose a bundle to check")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Result")
        self.checks = QTreeWidget(self)
        self.checks.setHeaderLabels(["Check", "Result", "Detail"])
        self.checks.setAccessibleName("Every check")
        self.checks.setRootIsDecorated(False)
        self.checks.setColumnWidth(0, 260)
        self.checks.setColumnWidth(1, 90)
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setAccessibleName("Seal fingerprint of this bundle")
        self.expected = QLineEdit(self)
        self.expected.setAccessibleName("Fingerprint the sender gave you")
        self.expected.setPlaceholderText("Paste the fingerprint the sender told you (SHA256:…)")
        self.match = QLabel(self)
        self.match.setWordWrap(True)
        self.match.setAccessibleName("Do the fingerprints match")
        self.expected.textChanged.connect(self._compare)
        form = QFormLayout()
        form.addRow("Seal fingerprint:", self.fingerprint)
        form.addRow("The sender's fingerprint:", self.expected)
        form.addRow("", self.match)
        self.report_button = QPushButton("Open the report", self)
        self.report_button.setAccessibleName("Open the report in the bundle")
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.open_report)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addWidget(self.checks, 1)
        layout.addLayout(form)
        layout.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.resize(820, 600)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose a sealed bundle", "", "Sealed bundles (*.zip);;All files (*)"
        )
        if name:
            self.check(Path(name))

    def check(self, path: Path) -> None:
        self.file.setText(str(path))
        self.verdict.setText("Checking every file and the seal…")
        self.checks.clear()
        self.report_button.setEnabled(False)
        self.runner.submit(
            lambda job: verify_bundle(job, path), on_done=self._shown, on_error=self._failed
        )

    def _failed(self, exc: BaseException) -> None:
        self.verdict.setText("The bundle could not be checked.")
        show_error(self, exc)

    def _shown(self, view: VerifyView) -> None:
        self.view = view
        mark = "✔" if view.ok else "✘"
        self.verdict.setText(f"<h3>{mark} {view.summary}</h3>")
        for check in view.checks:
            row = QTreeWidgetItem([check.name, PASS if check.passed else FAIL, check.detail])
            row.setIcon(1, self.style().standardIcon(GOOD if check.passed else BAD))
            row.setToolTip(2, check.detail)
            self.checks.addTopLevelItem(row)
        self.fingerprint.setText(view.fingerprint or "not found")
        self.report_button.setEnabled(True)
        self._compare()
        self.checked.emit(view)

    def _compare(self) -> None:
        expected = normal_fingerprint(self.expected.text())
        actual = self.fingerprint.text()
        if not expected or not self.view:
            self.match.setText(
                "Ask the sender for their fingerprint by phone or in person, then paste it here."
            )
        elif expected == actual:
            self.match.setText("✔ The fingerprints match: this bundle was sealed by the sender.")
        else:
            self.match.setText(
                "✘ The fingerprints do NOT match: this bundle was not sealed with the sender's "
                "key. Do not rely on it; contact the sender."
            )

    def open_report(self) -> None:
        if self.view is None:
            return
        path = self.view.path
        self.runner.submit(
            lambda job: read_report(job, path),
            on_done=self._show_report,
            on_error=lambda exc: show_error(self, exc),
        )

    def _show_report(self, html: str) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Evidence Kit — report")
        browser = QTextBrowser(dialog)
        browser.setHtml(html)
        browser.setAccessibleName("Report")
        QVBoxLayout(dialog).addWidget(browser)
        dialog.resize(820, 700)
        self.report_dialog, self.report_browser = dialog, browser
        dialog.show()
