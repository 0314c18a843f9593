"""The case file from the main window (Case → Case file…): open the window for the case shown,
load it on the worker, and run each form's act there — an incident, a person, a statement
version. A refusal is shown in the form that asked; nothing is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from evidence_kit.casefile.model import MessageRange
from evidence_kit.ui.dialogs.casefile_forms import IncidentForm, PersonForm
from evidence_kit.ui.dialogs.casefile_window import CaseFileWindow
from evidence_kit.ui.errors import error_text, inform
from evidence_kit.ui.operations import casefile as ops

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session


class CaseFileFlow(QObject):
    loaded = Signal()  # the window shows what the vault holds now
    saved = Signal(object)  # an Incident, a Person or a Statement, just stored

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        self.window: CaseFileWindow | None = None
        self.form: IncidentForm | PersonForm | None = None

    def open(self) -> CaseFileWindow | None:
        case = self.session.case
        if case is None:
            inform(self.session.window, "Choose a case in the list on the left first.")
            return None
        if self.window is not None and self.window.case == case:
            self.window.show()
            self.window.raise_()
            return self.window
        if self.window is not None:
            self.window.close()
        window = CaseFileWindow(case, self.session.window)
        window.add_incident_requested.connect(self.add_incident)
        window.revise_incident_requested.connect(self.revise_incident)
        window.add_person_requested.connect(lambda: self._person(None))
        window.revise_person_requested.connect(self._revise_person)
        window.save_statement_requested.connect(self.save_statement)
        window.finished.connect(lambda _result: self._closed(window))
        self.window = window
        window.show()
        self.reload()
        return window

    def _closed(self, window: CaseFileWindow) -> None:
        if self.window is window:
            self.window = None

    def reload(self) -> None:
        window = self.window
        if window is None:
            return

        def done(view: ops.CaseView) -> None:
            if self.window is window:
                window.show_view(view)
                self.loaded.emit()

        self.session.runner.submit(lambda job: ops.load(job, window.case), on_done=done)

    # -- incidents ---------------------------------------------------------------------------

    def add_incident(self) -> None:
        window = self.window
        if window is None or window.view is None:
            return
        ranges = [
            MessageRange(*run) for run in self.session.window.detail.conversation.chosen_ranges()
        ]
        # messages chosen in a conversation are linked instead of the whole conversation
        whole = [i for i in self.session.window.selected_item_ids()
                 if i not in {r.item_id for r in ranges}]  # fmt: skip
        wanted = [*whole, *(r.item_id for r in ranges)]
        view = window.view

        def ask(titles: dict[int, str]) -> None:
            links = {i: titles[i] for i in whole}
            form = IncidentForm(window.case, view.everyone, links, parent=window, titles=titles,
                                ranges=ranges)  # fmt: skip
            form.submitted.connect(
                lambda draft: self._run(form, lambda job: ops.add_incident(job, window.case, draft))
            )
            self._show(form)

        self.session.runner.submit(lambda job: ops.item_titles(job, wanted), on_done=ask)

    def revise_incident(self, incident_id: int) -> None:
        window = self.window
        if window is None or window.view is None:
            return
        view = window.view
        base = next(one for one in view.file.incidents if one.id == incident_id)
        links = {i: view.titles.get(i, f"item {i}") for i in base.items}
        form = IncidentForm(window.case, view.everyone, links, base,
                            view.versions.get(incident_id, base.version), window, view.titles)  # fmt: skip
        form.submitted.connect(
            lambda draft: self._run(form, lambda job: ops.revise_incident(job, incident_id, draft))
        )
        self._show(form)

    # -- people and the statement ------------------------------------------------------------

    def _revise_person(self, person_id: int) -> None:
        window = self.window
        if window is not None and window.view is not None:
            self._person(next(p for p in window.view.everyone if p.id == person_id))

    def _person(self, base: Any) -> None:
        form = PersonForm(base, self.window)
        if base is None:
            form.submitted.connect(lambda name, role, ids: self._run(
                form, lambda job: ops.add_person(job, name, role, ids)))  # fmt: skip
        else:
            form.submitted.connect(lambda name, role, ids: self._run(
                form, lambda job: ops.revise_person(job, base.id, name, role, ids)))  # fmt: skip
        self._show(form)

    def save_statement(self, text: str) -> None:
        window = self.window
        if window is None:
            return

        def done(kept: Any) -> None:
            window.statement_saved(kept)
            self.saved.emit(kept)
            self.reload()

        self.session.runner.submit(
            lambda job: ops.save_statement(job, window.case, text),
            on_done=done,
            on_error=lambda exc: window.statement_status.setText(
                "Not saved: " + " ".join(part for part in error_text(exc) if part)
            ),
        )

    # -- the forms ---------------------------------------------------------------------------

    def _show(self, form: IncidentForm | PersonForm) -> None:
        self.form = form
        form.finished.connect(lambda _result: self._form_closed(form))
        form.open()

    def _form_closed(self, form: IncidentForm | PersonForm) -> None:
        if self.form is form:
            self.form = None
        form.deleteLater()

    def _run(self, form: IncidentForm | PersonForm, fn: Any) -> None:
        def done(stored: Any) -> None:
            form.accept()
            self.saved.emit(stored)
            self.reload()

        def refused(exc: BaseException) -> None:
            form.show_problem(*error_text(exc))

        self.session.runner.submit(fn, on_done=done, on_error=refused)
