"""The hand-over wizard's list page: a whole case, the chosen items or everything, and exactly
what goes in for the audience chosen before (and what is held back); for a manager, a warning
when it shows phone numbers or e-mail addresses; for a rep handing on what they received, a
covering note."""

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

Lister = Callable[[str | None, tuple[int, ...], str, Callable[[Contents], None]], None]


COVERING_NOTE = (
    "&Covering note (optional): you are handing on evidence someone gave you. A few words to "
    "the recipient — who you are, and how you came to have it — go in the bundle and its report."
)


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
        offered = found.received and self.audience() != "rep"
        self.note_title.setVisible(offered)
        self.note.setVisible(offered)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.listed is not None and any(not e.held_back for e in self.listed.listed)

    def covering_note(self) -> str:
        """The rep's covering note, when it was offered and written."""
        return self.note.toPlainText().strip() if self.note.isVisibleTo(self) else ""
