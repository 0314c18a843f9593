"""The pages of the export wizard: what, for whom, where, the work, and the result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    QWizard,
    QWizardPage,
)

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
class ExportDone:
    path: Path
    sha256: str
    fingerprint: str
    item_count: int = 0


class ChoosePage(QWizardPage):
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


class AudiencePage(QWizardPage):
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
        choice = QLabel(
            "Whether to go to the police is your own choice. A union rep or a colleague can "
            "help you decide what to hand over, and to whom. <i>(Policy 2.8.4, 2.8.5)</i>",
            self,
        )
        choice.setWordWrap(True)
        layout.addWidget(choice)
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


class WherePage(QWizardPage):
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


class WorkPage(QWizardPage):
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


class DonePage(QWizardPage):
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
