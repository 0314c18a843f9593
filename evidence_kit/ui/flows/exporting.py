"""Export: the wizard, wired to the bundle package through the task runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QStandardPaths, Signal

from evidence_kit.ui.dialogs.export_wizard import ExportDone, ExportRequest, ExportWizard
from evidence_kit.ui.operations.bundle import Contents, export_bundle, what_goes_in
from evidence_kit.ui.tasks import Task

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session


def default_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class ExportFlow(QObject):
    exported = Signal(object)  # ExportDone
    wizard_opened = Signal(object)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        self.wizard: ExportWizard | None = None

    def start_export(
        self,
        request: ExportRequest,
        on_progress: Callable[[int, int], None],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Task:
        def done(result: Any) -> None:
            finished = ExportDone(
                result.path,
                result.sha256,
                result.fingerprint,
                result.item_count,
                result.read_aloud,
                result.encrypted_for,
            )
            on_done(finished)
            self.exported.emit(finished)
            self.session.refresh()

        return self.session.runner.submit(
            lambda job: export_bundle(job, request),
            on_done=done,
            on_error=on_error,
            on_progress=on_progress,
        )

    def list_items(
        self,
        case: str | None,
        item_ids: tuple[int, ...],
        audience: str,
        on_done: Callable[[Contents], None],
    ) -> None:
        self.session.runner.submit(
            lambda job: what_goes_in(job, case, item_ids, audience), on_done=on_done
        )

    def start(self) -> None:
        window = self.session.window
        self.wizard = ExportWizard(
            self.start_export,
            lister=self.list_items,
            cases=window.cases.names(),
            case=self.session.case,
            selected=window.selected_item_ids(),
            owner=self.session.owner,
            folder=default_folder(),
            parent=window,
        )
        self.wizard_opened.emit(self.wizard)
        self.wizard.open()
