"""The pages of the hand-over wizard: what goes in (listed), for whom, where, the work, the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from evidence_kit.ui.operations.bundle import Contents
from evidence_kit.ui.widgets.text import plain_label
from evidence_kit.ui.windows import narrow_combo

SEALED_BUNDLE = (
    "A sealed bundle is one file holding the evidence you choose and a readable report, sealed "
    "so that the person you give it to can check that nothing was changed after you made it, "
    "and that it came from you."
)
AUDIENCES = (
    ("manager", "Line manager or HR", "Your cut-outs and redacted copies are used where you made them."),
    ("police", "Police", "Every original exactly as captured or imported."),
    ("rep", "Union rep or colleague", "Everything, including withdrawn items (marked)."),
)  # fmt: skip
FINGERPRINT_ADVICE = (
    "Give the person this seal fingerprint by phone or in person — not in the same e-mail as "
    "the bundle. They compare it with the one their check shows; if the two match, the bundle "
    "came from you and nothing in it was changed."
)
NAME_NEEDED = "Type your name: it is printed on the report as the person who made the bundle."


@dataclass
class ExportDone:
    path: Path
    sha256: str
    fingerprint: str
    item_count: int = 0


Lister = Callable[[str | None, tuple[int, ...], str, Callable[[Contents], None]], None]


def contacts_warning(messages: int) -> str:
    if not messages:
        return ""
    shows = "message shows" if messages == 1 else "messages show"
    return (
        f"{messages} {shows} phone numbers or e-mail addresses of other people. Consider hiding "
        "them (Redact…) before sending this to a manager."
    )


class ChoosePage(QWizardPage):
    """Whole case, the chosen items, or everything — and the list of exactly what goes in for
    the audience chosen on the page before (`audience()`), and what is held back from them.
    `lister(case, item_ids, audience, on_done)` asks the vault for that list."""

    def __init__(
        self,
        cases: list[str],
        case: str | None,
        selected: list[int],
        lister: Lister,
        audience: Callable[[], str] = lambda: "manager",
    ) -> None:
        super().__init__()
        self.setTitle("What do you want to hand over?")
        self.lister = lister
        self.audience = audience
        self.selected_ids = tuple(selected)
        intro = plain_label(SEALED_BUNDLE, self)
        self.whole_case = QRadioButton("A whole &case:", self)
        self.whole_case.setAccessibleName("A whole case")
        self.case = narrow_combo(QComboBox(self))
        self.case.addItems(cases)
        self.case.setAccessibleName("Which case")
        self.case.setAccessibleDescription("Which case")
        if case in cases:
            self.case.setCurrentText(case)
        self.selected = QRadioButton(
            f"Only the {len(selected)} &item(s) I chose in the list"
            if selected
            else "Only the &items I choose in the list (choose them there first)",
            self,
        )
        self.selected.setAccessibleName("Only the items I chose")
        self.selected.setEnabled(bool(selected))
        self.everything = QRadioButton("&Everything in my vault", self)
        self.everything.setAccessibleName("Everything in my vault")
        group = QButtonGroup(self)
        for button in (self.whole_case, self.selected, self.everything):
            group.addButton(button)
        self.whole_case.setEnabled(bool(cases))
        # A case is handed over whole unless the person chooses otherwise.
        (self.whole_case if cases and case in cases else self.everything).setChecked(True)
        row = QHBoxLayout()
        row.addWidget(self.whole_case)
        row.addWidget(self.case, 1)
        self.count = plain_label("", self)
        self.count.setAccessibleDescription("How many items go in")
        self.contacts = plain_label("", self)
        self.contacts.setAccessibleDescription("Contact details that would go to the manager")
        self.contacts.setStyleSheet("QLabel { color: #8a4b00; font-weight: bold; }")
        self.contacts.hide()
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels(["What goes in", "When", "Why"])
        self.list.setAccessibleName("What goes in")
        self.list.setRootIsDecorated(False)
        self.list.setTabKeyNavigation(False)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.selected)
        layout.addWidget(self.everything)
        layout.addWidget(self.count)
        layout.addWidget(self.contacts)
        layout.addWidget(self.list, 1)
        self.listed: Contents | None = None
        self._asked = 0
        for button in (self.whole_case, self.selected, self.everything):
            button.toggled.connect(lambda on: self.refresh() if on else None)
        self.case.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def initializePage(self) -> None:  # the audience may have changed on the page before
        self.refresh()

    def choice(self) -> tuple[str | None, tuple[int, ...]]:
        if self.whole_case.isChecked():
            return self.case.currentText(), ()
        if self.selected.isChecked():
            return None, self.selected_ids
        return None, ()

    def refresh(self) -> None:
        self.listed = None
        self._asked += 1
        asked = self._asked
        self.count.setText("Finding what goes in…")
        self.contacts.hide()
        self.list.clear()
        self.completeChanged.emit()
        case, ids = self.choice()
        self.lister(case, ids, self.audience(), lambda found: self._listed(asked, found))

    def _listed(self, asked: int, found: Contents) -> None:
        if asked != self._asked:
            return
        self.listed = found
        self.list.clear()
        going = [entry for entry in found.listed if not entry.held_back]
        held = [entry for entry in found.listed if entry.held_back]
        for entry in [*going, *held]:
            name = f"{entry.kind}: {entry.name}" + ("  (withdrawn)" if entry.withdrawn else "")
            if entry.held_back:
                name = f"Held back — {name}"
            row = QTreeWidgetItem([name, entry.when, entry.reason])
            for column in range(3):
                row.setToolTip(column, row.text(column))
            self.list.addTopLevelItem(row)
        text = f"{len(going)} item(s) go in, listed below."
        withdrawn = sum(1 for entry in going if entry.withdrawn)
        if withdrawn:
            text += f" {withdrawn} of them are withdrawn, and marked as withdrawn."
        if held:
            text += (
                f" {len(held)} more are held back: the bundle names them and their hashes, "
                "never their contents."
            )
        if found.withdrawn_left_out:
            text += (
                f" {found.withdrawn_left_out} withdrawn item(s) are left out (a union rep or "
                "colleague would get them, marked as withdrawn)."
            )
        if not going:
            text = "There is nothing to hand over here yet."
        self.count.setText(text)
        self.contacts.setText(contacts_warning(found.showing_contacts))
        self.contacts.setVisible(bool(found.showing_contacts))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.listed is not None and any(not e.held_back for e in self.listed.listed)


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
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Make the bundle")
        self.folder.textChanged.connect(lambda _text: self._changed())
        self._changed()

    def _changed(self) -> None:
        self.problem.setText(
            "" if self.folder.text().strip() else "Choose a folder for the bundle."
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.folder.text().strip())

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
        for field, name in (
            (self.file, "Bundle file"),
            (self.sha, "Check number of the bundle file (SHA-256)"),
            (self.fingerprint, "Your seal fingerprint"),
        ):
            field.setReadOnly(True)
            field.setAccessibleName(name)
        self.sha.setToolTip(
            "The SHA-256 of the .zip file: a check number worked out from every byte of it."
        )
        self.fingerprint.setToolTip(
            "Identifies the seal of your vault: the same on every bundle you make."
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
        self.what.setText(
            f"{done.item_count} item(s) were sealed into one file. Give the file to the person "
            "it is for (on a USB stick, or attached to an e-mail). Quote its check number in "
            "your covering e-mail or statement: it is also saved beside the bundle, in a file "
            "ending .sha256."
        )
