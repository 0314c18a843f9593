"""Hand over: a wizard that makes a sealed bundle for a manager / HR, the police or a rep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from evidence_kit.ui.errors import error_text
from evidence_kit.ui.tasks import Task

SEALED_BUNDLE = (
    "A <b>sealed bundle</b> is one file holding the evidence you choose and a readable report, "
    "sealed so that the person you give it to can check that nothing was changed after you "
    "made it, and that it came from you."
)
AUDIENCES = (
    ("manager", "Line manager or HR", "Redacted copies are used where you made them."),
    ("police", "Police", "Every original exactly as captured or imported."),
    ("rep", "Union rep or colleague", "Everything, including withdrawn items (marked)."),
)
FINGERPRINT_ADVICE = (
    "<b>Give the recipient this fingerprint by phone or in person — not in the same e-mail "
    "as the bundle.</b> They compare it with the one their check shows; if the two match, the "
    "bundle came from you and nothing in it was changed."
)


@dataclass
class ExportRequest:
    case: str | None
    item_ids: list[int] | None
    audience: str
    name: str
    organisation: str
    folder: Path


@dataclass
class ExportDone:
    path: Path
    sha256: str
    fingerprint: str
    item_count: int = 0


class _ChoosePage(QWizardPage):
    def __init__(self, cases: list[str], case: str | None, selected: list[int]) -> None:
        super().__init__()
        self.setTitle("What do you want to hand over?")
        intro = QLabel(SEALED_BUNDLE, self)
        intro.setWordWrap(True)
        self.whole_case = QRadioButton("A whole &case:", self)
        self.whole_case.setAccessibleName("A whole case")
        self.case = QComboBox(self)
        self.case.addItems(cases)
        self.case.setAccessibleName("Which case")
        if case in cases:
            self.case.setCurrentText(case)
        self.selected = QRadioButton(f"The {len(selected)} &item(s) I selected", self)
        self.selected.setAccessibleName("The items I selected")
        self.selected.setEnabled(bool(selected))
        self.everything = QRadioButton("&Everything in my vault", self)
        self.everything.setAccessibleName("Everything in my vault")
        group = QButtonGroup(self)
        for button in (self.whole_case, self.selected, self.everything):
            group.addButton(button)
        if selected:
            self.selected.setChecked(True)
        elif cases:
            self.whole_case.setChecked(True)
        else:
            self.everything.setChecked(True)
        self.whole_case.setEnabled(bool(cases))
        row = QHBoxLayout()
        row.addWidget(self.whole_case)
        row.addWidget(self.case, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.selected)
        layout.addWidget(self.everything)


class _AudiencePage(QWizardPage):
    def __init__(self, owner: str) -> None:
        super().__init__()
        self.setTitle("Who is it for?")
        self.buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        group = QButtonGroup(self)
        for key, title, rule in AUDIENCES:
            button = QRadioButton(f"{title} — {rule}", self)
            button.setAccessibleName(title)
            group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
        self.buttons["manager"].setChecked(True)
        self.name = QLineEdit(owner, self)
        self.name.setAccessibleName("Your name")
        self.organisation = QLineEdit(self)
        self.organisation.setAccessibleName("Organisation")
        self.organisation.setPlaceholderText("Your employer, school or union (optional)")
        form = QFormLayout()
        form.addRow("Your &name:", self.name)
        form.addRow("&Organisation:", self.organisation)
        layout.addLayout(form)
        self.registerField("name*", self.name)

    def audience(self) -> str:
        return next(key for key, button in self.buttons.items() if button.isChecked())


class _WherePage(QWizardPage):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.setTitle("Where should the bundle be saved?")
        self.folder = QLineEdit(str(folder), self)
        self.folder.setAccessibleName("Folder for the bundle")
        browse = QPushButton("Choose…", self)
        browse.setAccessibleName("Choose a folder")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        note = QLabel(
            "The bundle is one .zip file. Only what you chose goes into it; your vault stays "
            "locked and unchanged.",
            self,
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(note)
        self.setButtonText(QWizard.WizardButton.NextButton, "Make the bundle")

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Save the bundle in", self.folder.text())
        if chosen:
            self.folder.setText(chosen)


class _WorkPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Making your sealed bundle…")
        self.label = QLabel("Checking the vault, copying the evidence and sealing it.", self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel making the bundle")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.finished_ok = False

    def isComplete(self) -> bool:
        return self.finished_ok


class _DonePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Your sealed bundle is ready")
        self.file = QLineEdit(self)
        self.sha = QLineEdit(self)
        self.fingerprint = QLineEdit(self)
        for field, name in (
            (self.file, "Bundle file"),
            (self.sha, "SHA-256 of the bundle file"),
            (self.fingerprint, "Seal fingerprint"),
        ):
            field.setReadOnly(True)
            field.setAccessibleName(name)
        copy = QPushButton("Copy the fingerprint", self)
        copy.setAccessibleName("Copy the seal fingerprint")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.fingerprint.text()))
        show = QPushButton("Open the folder", self)
        show.setAccessibleName("Open the folder that holds the bundle")
        show.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.file.text()).parent)))
        )
        self.what = QLabel(self)
        self.what.setWordWrap(True)
        self.advice = advice = QLabel(FINGERPRINT_ADVICE, self)
        advice.setWordWrap(True)
        form = QFormLayout()
        form.addRow("File:", self.file)
        form.addRow("SHA-256:", self.sha)
        form.addRow("Seal fingerprint:", self.fingerprint)
        buttons = QHBoxLayout()
        buttons.addWidget(copy)
        buttons.addWidget(show)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addLayout(form)
        layout.addWidget(advice)
        layout.addLayout(buttons)

    def show_result(self, done: ExportDone) -> None:
        self.file.setText(str(done.path))
        self.sha.setText(done.sha256)
        self.fingerprint.setText(done.fingerprint)
        self.what.setText(
            f"{done.item_count} item(s) were sealed into one file. Give the file to the person "
            "it is for (on a USB stick, or attached to an e-mail). The SHA-256 is the file's "
            "own fingerprint: quote it in your covering e-mail or statement. It is also saved "
            "beside the bundle, in a file ending .sha256."
        )


class ExportWizard(QWizard):
    """`start_export(request, on_progress, on_done, on_error) -> Task` runs the export."""

    def __init__(
        self,
        start_export: Callable[..., Task],
        *,
        cases: list[str],
        case: str | None,
        selected: list[int],
        owner: str,
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Kit — hand over evidence")
        self.start_export = start_export
        self.task: Task | None = None
        self.result_value: ExportDone | None = None
        self.selected_ids = selected
        self.choose = _ChoosePage(cases, case, selected)
        self.audience = _AudiencePage(owner)
        self.where = _WherePage(folder)
        self.work = _WorkPage()
        self.done_page = _DonePage()
        for page in (self.choose, self.audience, self.where, self.work, self.done_page):
            self.addPage(page)
        self.work.cancel_button.clicked.connect(self._cancel)
        self.currentIdChanged.connect(self._page_changed)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(640, 480)

    def request(self) -> ExportRequest:
        choose = self.choose
        return ExportRequest(
            case=choose.case.currentText() if choose.whole_case.isChecked() else None,
            item_ids=list(self.selected_ids) if choose.selected.isChecked() else None,
            audience=self.audience.audience(),
            name=self.audience.name.text().strip(),
            organisation=self.audience.organisation.text().strip(),
            folder=Path(self.where.folder.text()).expanduser(),
        )

    def _page_changed(self, page_id: int) -> None:
        if self.page(page_id) is self.work and self.task is None:
            self.button(QWizard.WizardButton.BackButton).setEnabled(False)
            self.task = self.start_export(
                self.request(), self._progress, self._finished, self._failed
            )

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.work.bar.setRange(0, 1000)
            self.work.bar.setValue(int(1000 * min(done, total) / total))

    def _finished(self, done: Any) -> None:
        self.result_value = done
        self.done_page.show_result(done)
        self.work.finished_ok = True
        self.work.completeChanged.emit()
        self.next()

    def _failed(self, exc: BaseException) -> None:
        message, hint = error_text(exc)
        self.work.label.setText(f"<b>{message}</b><br>{hint or ''}<br>Nothing was sent anywhere.")
        self.work.bar.setRange(0, 1)
        self.work.bar.setValue(0)
        self.work.cancel_button.setEnabled(False)
        self.task = None
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.work.label.setText("Stopping… no half-made bundle will be left behind.")

    def reject(self) -> None:
        if self.task is not None and not self.task.done:
            self._cancel()
        super().reject()
