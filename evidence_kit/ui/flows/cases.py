"""Cases from the main window: make one, rename the one shown, move chosen items into one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from evidence_kit.ui.dialogs.case_dialogs import CaseNameDialog, MoveDialog
from evidence_kit.ui.errors import inform
from evidence_kit.ui.models.cases import Entry
from evidence_kit.ui.operations import cases as ops

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session


class CaseFlow(QObject):
    changed = Signal()  # a case was made or renamed, or items moved

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session

    def new_case(self) -> None:
        window = self.session.window
        name = CaseNameDialog.ask(
            "New case",
            "A case groups the evidence about one situation, such as one person's messages "
            "or what happens on one team. You can move evidence into it afterwards.",
            window.cases.names(),
            parent=window,
        )
        if name is None:
            return

        def done(made: str) -> None:
            self.session.settings.setValue("case", made)
            self.session.entry = Entry(made, 0, made)  # show the new case
            self.session.refresh()
            self.changed.emit()

        self.session.runner.submit(lambda job: ops.add_case(job, name), on_done=done)

    def rename_case(self) -> None:
        window = self.session.window
        old = self.session.case
        if old is None:
            inform(window, "Choose a case in the list on the left first, then Rename.")
            return
        new = CaseNameDialog.ask(
            "Rename case",
            f"A new name for the case “{old}”. The old name stays in its history.",
            window.cases.names(),
            current=old,
            parent=window,
        )
        if new is None:
            return

        def done(named: str) -> None:
            self.session.settings.setValue("case", named)
            self.session.entry = Entry(named, 0, named)
            self.session.refresh()
            self.changed.emit()

        self.session.runner.submit(lambda job: ops.rename_case(job, old, new), on_done=done)

    def move_items(self) -> None:
        window = self.session.window
        chosen = window.selected_item_ids()
        if not chosen:
            inform(window, "Choose one or more items in the list first, then Move.")
            return
        names = window.cases.names()
        if not names or names == [self.session.case]:
            inform(window, "Make another case first (Case → New case…), then move items into it.")
            return
        target = MoveDialog.ask(len(chosen), names, self.session.case, window)
        if target is None:
            return

        def done(moved: int) -> None:
            self.session.refresh()
            self.changed.emit()
            window.busy.setText(f"{moved} item(s) moved to “{target}”.")

        self.session.runner.submit(lambda job: ops.move_items(job, chosen, target), on_done=done)
