"""The pages of the hand-over wizard: what goes in (listed), for whom, where, the work, the result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
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

from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.widgets.transport_choice import TransportChoiceWidget, sending_words

AUDIENCES = (
    ("manager", "Line manager or HR", "Your cut-outs and redacted copies are used where you made them."),
    ("police", "Police", "Every original exactly as captured or imported."),
    ("rep", "Union rep or colleague", "Everything, including withdrawn items (marked)."),
)  # fmt: skip
FINGERPRINT_ADVICE = (
    "Give the person this seal fingerprint by phone or in person — not in the same e-mail as "
    "the bundle: on the phone, read out the eight groups of digits. They compare it with the "
    "one their check shows; if the two match, the bundle came from you and nothing in it was "
    "changed."
)
NAME_NEEDED = "Type your name: it is printed on the report as the person who made the bundle."


@dataclass
class ExportDone:
    path: Path
    sha256: str
    fingerprint: str
    item_count: int = 0
    read_aloud: str = ""  # the same fingerprint as eight groups of five digits, for the phone
    encrypted_for: tuple[str, ...] = ()  # age: the keys, or ("a passphrase",); empty: plain


class AudiencePage(QWizardPage):
    def __init__(self, owner: str) -> None:
        super().__init__()
        self.setTitle("Who is it for?")
        self.buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        group = QButtonGroup(self)
        for key, title, rule in AUDIENCES:
            button = QRadioButton(title, self)
            button.setAccessibleName(title)
            button.setToolTip(rule)
            group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
            hint = plain_label(rule, self)
            hint.setContentsMargins(24, 0, 0, 0)
            layout.addWidget(hint)
        self.buttons["manager"].setChecked(True)
        layout.addWidget(
            plain_label(
                "Whether to go to the police is your own choice. A union rep or a colleague can "
                "help you decide what to hand over, and to whom.",
                self,
            )
        )
        self.name = QLineEdit(owner, self)
        self.name.setAccessibleName("Your name")
        self.organisation = QLineEdit(self)
        self.organisation.setAccessibleName("Organisation")
        self.organisation.setPlaceholderText("Your employer, school or union (optional)")
        form = QFormLayout()
        form.addRow("Your &name:", self.name)
        form.addRow("&Organisation:", self.organisation)
        layout.addLayout(form)
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        layout.addWidget(self.problem)
        self.name.textChanged.connect(lambda _text: self._changed())
        self._changed()

    def _changed(self) -> None:
        self.problem.setText("" if self.name.text().strip() else NAME_NEEDED)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """Complete when a name is there — typed now or filled in from set-up."""
        return bool(self.name.text().strip())

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
        note = plain_label(
            "The bundle is one .zip file. Only what you chose goes into it; your vault stays "
            "locked and unchanged.",
            self,
        )
        self.problem = plain_label("", self)
        self.problem.setAccessibleDescription("What is still needed")
        self.transport = TransportChoiceWidget(self)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.transport)
        layout.addStretch()
        self.setButtonText(QWizard.WizardButton.NextButton, "&Make the bundle")
        self.folder.textChanged.connect(lambda _text: self._changed())
        self.transport.changed.connect(self.completeChanged.emit)
        self._changed()

    def _changed(self) -> None:
        self.problem.setText(
            "" if self.folder.text().strip() else "Choose a folder for the bundle."
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.folder.text().strip()) and not self.transport.needed()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Save the bundle in", self.folder.text())
        if chosen:
            self.folder.setText(chosen)


class WorkPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Making your sealed bundle…")
        self.label = QLabel("Checking the vault, copying the evidence and sealing it.", self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
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
        self.read_aloud = QLineEdit(self)
        for field, name in (
            (self.file, "Bundle file"),
            (self.sha, "Check number of the bundle file (SHA-256)"),
            (self.fingerprint, "Your seal fingerprint"),
            (self.read_aloud, "Your seal fingerprint to read aloud"),
        ):
            field.setReadOnly(True)
            field.setAccessibleName(name)
        self.sha.setToolTip(
            "The SHA-256 of the .zip file: a check number worked out from every byte of it."
        )
        self.fingerprint.setToolTip(
            "Identifies the seal of your vault: the same on every bundle you make."
        )
        self.read_aloud.setToolTip(
            "The same seal fingerprint as eight groups of five digits: easy to read out on the "
            "phone. Either form can be checked."
        )
        copy = QPushButton("Copy the seal fingerprint", self)
        copy.setAccessibleName("Copy the seal fingerprint")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.fingerprint.text()))
        show = QPushButton("Open the folder", self)
        show.setAccessibleName("Open the folder that holds the bundle")
        show.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.file.text()).parent)))
        )
        self.what = plain_label("", self)
        self.advice = advice = plain_label(FINGERPRINT_ADVICE, self)
        bold = advice.font()
        bold.setBold(True)
        advice.setFont(bold)
        form = QFormLayout()
        form.addRow("File:", self.file)
        form.addRow("Check number of the file:", self.sha)
        form.addRow("Your seal fingerprint:", self.fingerprint)
        form.addRow("The same, to read aloud:", self.read_aloud)
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
        self.file.setCursorPosition(0)
        self.sha.setText(done.sha256)
        self.sha.setCursorPosition(0)
        self.fingerprint.setText(done.fingerprint)
        self.fingerprint.setCursorPosition(0)
        self.read_aloud.setText(done.read_aloud)
        self.read_aloud.setCursorPosition(0)
        self.what.setText(
            f"{done.item_count} item(s) were sealed into one file. Give the file to the person "
            "it is for (on a USB stick, or attached to an e-mail). Quote its check number in "
            "your covering e-mail or statement: it is also saved beside the bundle, in a file "
            "ending .sha256.\n\n" + sending_words(done.path.name, done.encrypted_for)
        )
