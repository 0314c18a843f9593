"""Hand over: a wizard that makes a sealed bundle for a manager / HR, the police or a rep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QWidget,
    QWizard,
)

from evidence_kit.ui.dialogs.choose_page import ChoosePage, ContentsPage
from evidence_kit.ui.dialogs.export_pages import (
    AudiencePage,
    DonePage,
    ExportDone,
    WherePage,
    WorkPage,
)
from evidence_kit.ui.errors import error_text
from evidence_kit.ui.tasks import Task
from evidence_kit.ui.windows import fit_to_screen


@dataclass
class ExportRequest:
    case: str | None
    item_ids: list[int] | None
    audience: str
    name: str
    organisation: str
    folder: Path
    password: str | None = None  # age, for the journey: a password, or
    recipients: tuple[str, ...] = ()  # the keys of the people who may open it
    covering_note: str = ""  # a rep's note to the recipient (only when offered)


class ExportWizard(QWizard):
    """`start_export(request, on_progress, on_done, on_error) -> Task` runs the export;
    `lister(case, item_ids, audience, on_done)` lists what goes in."""

    def __init__(
        self,
        start_export: Callable[..., Task],
        *,
        lister: Callable[..., None],
        cases: list[str],
        case: str | None,
        selected: list[int],
        owner: str,
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Kit — hand over evidence")
        self.setAccessibleName("Hand over evidence")
        self.start_export = start_export
        self.task: Task | None = None
        self.result_value: ExportDone | None = None
        self.selected_ids = selected
        self.choose = ChoosePage(cases, case, selected, lister)
        self.audience = AudiencePage(owner)
        self.contents = ContentsPage(lister, self.choose.choice, self.audience.audience)
        self.where = WherePage(folder)
        self.work = WorkPage()
        self.done_page = DonePage()
        for page in (
            self.choose,
            self.audience,
            self.contents,
            self.where,
            self.work,
            self.done_page,
        ):
            self.addPage(page)
        self.work.cancel_button.clicked.connect(self._cancel)
        self.currentIdChanged.connect(self._page_changed)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        fit_to_screen(self, 880, 600)

    def request(self) -> ExportRequest:
        case, item_ids = self.choose.choice()
        return ExportRequest(
            case=case,
            item_ids=list(item_ids) or None,
            audience=self.audience.audience(),
            name=self.audience.name.text().strip(),
            organisation=self.audience.organisation.text().strip(),
            folder=Path(self.where.folder.text()).expanduser(),
            password=self.where.transport.chosen_password(),
            recipients=self.where.transport.chosen_recipients(),
            covering_note=self.contents.covering_note(),
        )

    def _page_changed(self, page_id: int) -> None:
        if self.page(page_id) is self.work and self.task is None:
            self.button(QWizard.WizardButton.BackButton).setEnabled(False)
            self.task = self.start_export(
                self.request(), self._progress, self._finished, self._failed
            )

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.work.bar.setRange(0, 1000)
            self.work.bar.setValue(int(1000 * min(done, total) / total))

    def _finished(self, done: Any) -> None:
        self.result_value = done
        self.done_page.show_result(done)
        self.work.finished_ok = True
        self.work.completeChanged.emit()
        self.next()

    def _failed(self, exc: BaseException) -> None:
        message, hint = error_text(exc)
        self.work.label.setText(f"{message}\n{hint or ''}\nNothing was sent anywhere.")
        self.work.bar.setRange(0, 1)
        self.work.bar.setValue(0)
        self.work.cancel_button.setEnabled(False)
        self.task = None
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.work.label.setText("Stopping… no half-made bundle will be left behind.")

    def reject(self) -> None:
        if self.task is not None and not self.task.done:
            self._cancel()
        super().reject()
