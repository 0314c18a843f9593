"""Import: choose or drop a file; the format is detected; one page of questions (which case,
and the time zone when the file has none); progress; what was found."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from evidence_kit.clock import local_zone_name
from evidence_kit.ui.dialogs.import_dialog import ImportDialog
from evidence_kit.ui.dialogs.import_summary import ImportSummaryDialog
from evidence_kit.ui.dialogs.progress import ProgressDialog
from evidence_kit.ui.operations.importing import Detected, detect_format, keep_file, run_import

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session


class ImportFlow(QObject):
    imported = Signal(int)  # the new item's id
    asked = Signal(object)  # the ImportDialog, before it is shown (tests answer it)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session

    def start(self, path: Path | None = None) -> None:
        window = self.session.window
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                window,
                "Import a chat or e-mail export, or any file",
                str(Path.home()),
                "Exports and files (*.txt *.zip *.eml *.mbox *.msg *.xml *.json);;All files (*)",
            )
            if not name:
                return
            path = Path(name)
        chosen = path
        self.session.runner.submit(
            lambda job: detect_format(job, chosen),
            on_done=lambda detected: self._detected(chosen, detected),
        )

    def _detected(self, path: Path, detected: Detected) -> None:
        window = self.session.window
        choice = ImportDialog.ask(
            path.name,
            detected,
            window.cases.names(),
            self.session.case,
            local_zone_name(),
            window,
        )
        if choice is None:
            return
        case, tz = choice.case, choice.tz
        if detected.name is None:
            facts = ProgressDialog.run(
                self.session.runner,
                lambda job: keep_file(job, path, case),
                f"Keeping {path.name}…",
                parent=window,
            )
            if facts is not None:
                self._finished(int(facts["item_id"]), case)
            return
        name = detected.name
        facts = ProgressDialog.run(
            self.session.runner,
            lambda job: run_import(job, path, name, tz, case),
            f"Importing {path.name} ({detected.label})…",
            parent=window,
        )
        if facts is None:
            return
        ImportSummaryDialog.ask(facts, window)
        self._finished(int(facts["item_id"]), case)

    def _finished(self, item_id: int, case: str | None) -> None:
        """Show where it went: its case (so a new case appears and is chosen)."""
        from evidence_kit.ui.models.cases import Entry

        if case is not None and case != self.session.case:
            self.session.entry = Entry(case, 0, case)
            self.session.settings.setValue("case", case)
        elif case is None and self.session.case is not None:
            self.session.entry = Entry("", 0, None, True)
        self.session.refresh(select=item_id)
        self.imported.emit(item_id)
