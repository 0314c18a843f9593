"""Receive a bundle: ask for the zip (and the fingerprint the person told), take it in on the
worker, say what happened; the received items are shown in their case."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from evidence_kit.ui.dialogs.progress import ProgressDialog
from evidence_kit.ui.dialogs.receive_dialog import ReceivedDialog, ReceiveDialog
from evidence_kit.ui.operations.receiving import Received, receive

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session


class ReceiveFlow(QObject):
    asked = Signal(object)  # the ReceiveDialog, before it is shown (tests answer it)
    answered = Signal(object)  # the ReceivedDialog, before it is shown
    received = Signal(object)  # the Received

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session

    def start(self) -> None:
        window = self.session.window
        dialog = ReceiveDialog(Path.home(), window)
        self.asked.emit(dialog)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        path = dialog.chosen()
        assert path is not None  # the dialog accepts only a file
        expect = dialog.fingerprint.text().strip() or None
        passphrase = dialog.passphrase.text() or None
        found = ProgressDialog.run(
            self.session.runner,
            lambda job: receive(job, path, expect, passphrase),
            f"Checking {path.name}, then taking it in…",
            parent=window,
        )
        if not isinstance(found, Received):
            return
        if found.item_id is not None:
            self._show(found)
        answer = ReceivedDialog(found, window)
        self.answered.emit(answer)
        answer.exec()
        self.received.emit(found)

    def _show(self, found: Received) -> None:
        from evidence_kit.ui.models.cases import Entry

        session = self.session
        if found.case is not None:
            session.entry = Entry(found.case, 0, found.case)
        else:
            session.entry = Entry("", 0)
        session.refresh(select=found.item_ids[0] if found.item_ids else found.item_id)
