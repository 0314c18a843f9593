"""Redact: the chosen picture in the box editor, or the chosen import's messages in the hide
dialog; the core makes the copy on the worker; the new item is shown under its parent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from evidence_kit.ui.dialogs.hide_messages import HideMessagesDialog
from evidence_kit.ui.dialogs.progress import ProgressDialog
from evidence_kit.ui.dialogs.redact_dialog import RedactDialog
from evidence_kit.ui.operations import redaction as ops

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session


class RedactFlow(QObject):
    asked = Signal(object)  # the editor, before it is shown (tests answer it)
    made = Signal(int)  # the redacted copy's item id

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session

    def _chosen(self) -> int | None:
        ids = self.session.window.selected_item_ids()
        return ids[-1] if ids else None

    def start_picture(self, item_id: int | None = None) -> None:
        chosen = item_id or self._chosen()
        if chosen is not None:
            self.session.runner.submit(
                lambda job: ops.load_picture(job, chosen), on_done=self._edit_picture
            )

    def _edit_picture(self, picture: ops.Picture) -> None:
        window = self.session.window
        dialog = RedactDialog(picture, window)
        self.asked.emit(dialog)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        boxes, reason = dialog.boxes(), dialog.reason_text()
        made = ProgressDialog.run(
            self.session.runner,
            lambda job: ops.redact_picture(job, picture.item_id, boxes, reason),
            f"Making a redacted copy of {picture.name}…",
            cancellable=False,
            parent=window,
        )
        self._made(made)

    def start_messages(self, item_id: int | None = None) -> None:
        chosen = item_id or self._chosen()
        if chosen is not None:
            self.session.runner.submit(
                lambda job: ops.load_messages(job, chosen),
                on_done=lambda found: self._edit_messages(chosen, found),
            )

    def _edit_messages(self, item_id: int, found: list[ops.Message]) -> None:
        window = self.session.window
        name = window.detail.title.full_text() if window.detail.item else f"item {item_id}"
        dialog = HideMessagesDialog(name, found, window)
        self.asked.emit(dialog)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        hides, needles, reason = dialog.hides(), dialog.needles(), dialog.reason_text()
        made = ProgressDialog.run(
            self.session.runner,
            lambda job: ops.redact_messages(job, item_id, hides, needles, reason),
            "Making a copy with those parts hidden…",
            cancellable=False,
            parent=window,
        )
        self._made(made)

    def _made(self, made: object) -> None:
        if isinstance(made, int):
            self.session.refresh(select=made)
            self.made.emit(made)
