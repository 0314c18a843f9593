"""Import: choose or drop a file (or several, or a folder); the format is detected; one page of questions (which case,
and the time zone when the file has none); progress; what was found."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from evidence_kit.clock import local_zone_name
from evidence_kit.ui.dialogs.import_dialog import ImportDialog
from evidence_kit.ui.dialogs.import_picker import choose_import_paths
from evidence_kit.ui.dialogs.import_summary import ImportSummaryDialog
from evidence_kit.ui.dialogs.progress import ProgressDialog
from evidence_kit.ui.operations.importing import (
    Detected,
    detect_format,
    detect_several,
    keep_file,
    run_import,
    run_imports,
)

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session


class ImportFlow(QObject):
    imported = Signal(int)  # the new item's id
    asked = Signal(object)  # the ImportDialog, before it is shown (tests answer it)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session

    def start(self, paths: Path | list[Path] | None = None) -> None:
        """Import `paths` (one, or several dropped together), or ask for them."""
        window = self.session.window
        if paths is None:
            paths = choose_import_paths(Path.home(), window)
        chosen = [paths] if isinstance(paths, Path) else list(paths)
        if not chosen:
            return
        if len(chosen) == 1 and not chosen[0].is_dir():
            one = chosen[0]
            self.session.runner.submit(
                lambda job: detect_format(job, one),
                on_done=lambda detected: self._detected(one, detected),
            )
            return
        self.session.runner.submit(
            lambda job: detect_several(job, chosen),
            on_done=lambda detected: self._several(chosen, detected),
        )

    def _several(self, paths: list[Path], detected: Detected) -> None:
        """Several files or a folder: one question page, one import (a download's parts join)."""
        window = self.session.window
        names = ", ".join(path.name for path in paths)
        choice = ImportDialog.ask(
            names, detected, window.cases.names(), self.session.case, local_zone_name(), window
        )
        if choice is None:
            return
        case, tz = choice.case, choice.tz
        found = ProgressDialog.run(
            self.session.runner,
            lambda job: run_imports(job, paths, tz, case),
            f"Importing {names}…",
            parent=window,
        )
        if found is None:
            return
        ImportSummaryDialog.ask(found, window)
        made = [int(facts["item_id"]) for facts in found if "item_id" in facts]
        if made:
            self._finished(made[0], case)

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
