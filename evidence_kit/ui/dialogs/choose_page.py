"""The hand-over wizard's list pages. First what: a whole case, the chosen items or
everything, and every item that choice covers. Then (after who it is for) exactly what goes in
for that audience — the export's own selection — and what is held back; for a manager, a
warning when it shows phone numbers or e-mail addresses; for a rep handing on what they
received, a covering note."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
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


COVERING_NOTE = (
    "&Covering note (optional): you are handing on evidence someone gave you. A few words to "
    "the recipient — who you are, and how you came to have it — go in the bundle and its report."
)


def contacts_warning(messages: int) -> str:
    if not messages:
        return ""
    shows = "message shows" if messages == 1 else "messages show"
    return (
        f"{messages} {shows} phone numbers, e-mail addresses or bystanders' names — other "
        "people's details. Consider hiding them (Redact…) before sending this to a manager."
    )


Lister = Callable[[str | None, tuple[int, ...], str, Callable[[Contents], None]], None]
SCOPE = "rep"  # the audience whose bundle holds the whole scope (withdrawn items marked)


class ContentsList(QWidget):
    """A count and a list of items, filled from the vault on the worker (`lister`); a newer
    request replaces an older one that is still running."""

    def __init__(self, lister: Lister, name: str, count_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.lister = lister
        self.count = plain_label("", self)
        self.count.setAccessibleDescription(count_name)
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels([name, "When", "Why"])
        self.list.setAccessibleName(name)
        self.list.setRootIsDecorated(False)
        self.list.setTabKeyNavigation(False)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        self.listed: Contents | None = None
        self._asked = 0
        self.on_listed: Callable[[], None] = lambda: None
        self.words: Callable[[Contents], str] = lambda found: ""

    def ask(self, case: str | None, ids: tuple[int, ...], audience: str) -> None:
        self.listed = None
        self._asked += 1
        asked = self._asked
        self.count.setText("Finding what goes in…")
        self.list.clear()
        self.on_listed()
        self.lister(case, ids, audience, lambda found: self._listed(asked, found))

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
        self.count.setText(
            self.words(found) if going else "There is nothing to hand over here yet."
        )
        self.on_listed()

    def has_items(self) -> bool:
        return self.listed is not None and any(not e.held_back for e in self.listed.listed)


class ChoosePage(QWizardPage):
    """Whole case, the chosen items, or everything — and the list of every item that choice
    covers. Who gets which of them is decided on the next page, and shown on the one after."""

    def __init__(
        self,
        cases: list[str],
        case: str | None,
        selected: list[int],
        lister: Lister,
    ) -> None:
        super().__init__()
        self.setTitle("What do you want to hand over?")
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
        self.contents = ContentsList(lister, "What you chose", "How many items you chose", self)
        self.contents.words = self._words
        self.contents.on_listed = self.completeChanged.emit
        self.count, self.list = self.contents.count, self.contents.list
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.selected)
        layout.addWidget(self.everything)
        layout.addWidget(self.contents, 1)
        for button in (self.whole_case, self.selected, self.everything):
            button.toggled.connect(lambda on: self.refresh() if on else None)
        self.case.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def choice(self) -> tuple[str | None, tuple[int, ...]]:
        if self.whole_case.isChecked():
            return self.case.currentText(), ()
        if self.selected.isChecked():
            return None, self.selected_ids
        return None, ()

    def refresh(self) -> None:
        case, ids = self.choice()
        self.contents.ask(case, ids, SCOPE)

    @staticmethod
    def _words(found: Contents) -> str:
        withdrawn = sum(1 for entry in found.listed if entry.withdrawn)
        text = (
            f"{len(found.listed)} item(s), listed below: the case's own, the files that came "
            "with them, and the originals of cut-outs. Next: who it is for — then you see "
            "exactly what they get."
        )
        if withdrawn:
            text += f" {withdrawn} of them are withdrawn."
        return text

    def isComplete(self) -> bool:
        return self.contents.has_items()


class ContentsPage(QWizardPage):
    """Exactly what the bundle holds for the chosen audience — the export's own selection —
    and what it holds back from them (named in the bundle by label and hash only)."""

    def __init__(
        self, lister: Lister, choice: Callable[[], tuple[str | None, tuple[int, ...]]],
        audience: Callable[[], str],
    ) -> None:  # fmt: skip
        super().__init__()
        self.setTitle("This is exactly what goes in")
        self.choice, self.audience = choice, audience
        self.contents = ContentsList(lister, "What goes in", "How many items go in", self)
        self.contents.words = self._words
        self.contents.on_listed = self._shown
        self.count, self.list = self.contents.count, self.contents.list
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "Check the list. Nothing else from your vault goes into the bundle. Go back to "
                "change what you chose or who it is for.",
                self,
            )
        )
        self.contacts = plain_label("", self)
        self.contacts.setAccessibleDescription("Contact details that would go to the manager")
        self.contacts.setStyleSheet("QLabel { color: #8a4b00; font-weight: bold; }")
        self.contacts.hide()
        layout.addWidget(self.contacts)
        layout.addWidget(self.contents, 1)
        self.note_title = plain_label(COVERING_NOTE, self)
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Covering note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            "For example: I am the union rep helping Alex; these are the messages Alex gave me "
            "on 2 December, unchanged. Please contact me about a meeting."
        )
        self.note.setMaximumHeight(90)
        self.note_title.setBuddy(self.note)
        layout.addWidget(self.note_title)
        layout.addWidget(self.note)
        self.note_title.hide()
        self.note.hide()

    def initializePage(self) -> None:  # the choice or the audience may have changed
        case, ids = self.choice()
        self.contacts.hide()
        self.contents.ask(case, ids, self.audience())

    def _shown(self) -> None:
        found = self.contents.listed
        if found is not None:
            self.contacts.setText(contacts_warning(found.showing_contacts))
            self.contacts.setVisible(bool(found.showing_contacts))
            offered = found.received and self.audience() != "rep"
            self.note_title.setVisible(offered)
            self.note.setVisible(offered)
        self.completeChanged.emit()

    def covering_note(self) -> str:
        """The rep's covering note, when it was offered and written."""
        return self.note.toPlainText().strip() if self.note.isVisibleTo(self) else ""

    @staticmethod
    def _words(found: Contents) -> str:
        going = [entry for entry in found.listed if not entry.held_back]
        held = len(found.listed) - len(going)
        text = f"{len(going)} item(s) go in, listed below."
        withdrawn = sum(1 for entry in going if entry.withdrawn)
        if withdrawn:
            text += f" {withdrawn} of them are withdrawn, and marked as withdrawn."
        if held:
            text += (
                f" {held} more are held back: the bundle names them and their fingerprints, "
                "never their contents."
            )
        if found.withdrawn_left_out:
            text += (
                f" {found.withdrawn_left_out} withdrawn item(s) are left out (a union rep or "
                "colleague would get them, marked as withdrawn)."
            )
        return text

    def isComplete(self) -> bool:
        return self.contents.has_items()
