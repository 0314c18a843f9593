"""Import: choose or drop a file; the format is detected; one time-zone question; progress."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from evidence_kit.clock import local_zone_name
from evidence_kit.errors import ImportFailed
from evidence_kit.ui.dialogs.import_summary import ImportSummaryDialog
from evidence_kit.ui.dialogs.progress import ProgressDialog
from evidence_kit.ui.dialogs.time_zone import TimeZoneDialog
from evidence_kit.ui.errors import show_error
from evidence_kit.ui.tasks import Job

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session


@dataclass(frozen=True)
class Detected:
    name: str | None  # None: not a format we read; it can be kept as a plain file
    label: str
    zone_free: bool


def detect_format(job: Job, path: Path) -> Detected:
    from evidence_kit.importers.run import detect, read_source

    source = read_source(path)
    try:
        importer = detect(source)
    except ImportFailed:
        return Detected(None, "file", False)
    return Detected(importer.name, importer.label, bool(importer.zone_free))


def run_import(
    job: Job, path: Path, format_name: str, tz: str | None, case: str | None
) -> dict[str, Any]:
    from evidence_kit.importers.run import import_file

    result = import_file(
        job.need_vault(),
        path,
        format_name=format_name,
        tz=tz,
        case=case,
        progress=job.progress,
        cancel=job.cancel,
    )
    return {**result.as_dict(), "label": result.label}


def keep_file(job: Job, path: Path, case: str | None) -> dict[str, Any]:
    from evidence_kit.vault.files import add_file

    item = add_file(job.need_vault(), path, case=case)
    return {"item_id": item.id, "original_name": item.original_name, "sha256": item.sha256}


class ImportFlow(QObject):
    imported = Signal(int)  # the new item's id

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
        runner = self.session.runner
        runner.submit(
            lambda job: detect_format(job, path),
            on_done=lambda detected: self._detected(path, detected),
            on_error=lambda exc: show_error(window, exc),
        )

    def _detected(self, path: Path, detected: Detected) -> None:
        window, case = self.session.window, self.session.case
        if detected.name is None:
            answer = QMessageBox.question(
                window,
                "Evidence Kit — keep this file?",
                f"{path.name} is not a chat or e-mail export that Evidence Kit can read as "
                "messages. Keep it in your vault as it is (a picture, PDF, recording…)?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            facts = ProgressDialog.run(
                self.session.runner,
                lambda job: keep_file(job, path, case),
                f"Keeping {path.name}…",
                parent=window,
            )
            if facts is not None:
                self._finished(int(facts["item_id"]))
            return
        tz: str | None = None
        if detected.zone_free:
            tz = TimeZoneDialog.ask(detected.label, local_zone_name(), window)
            if tz is None:
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
        self._finished(int(facts["item_id"]))

    def _finished(self, item_id: int) -> None:
        self.session.refresh(select=item_id)
        self.imported.emit(item_id)
