"""The one place the program shows an error to the person."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from evidence_kit.errors import Cancelled, EvidenceKitError

log = logging.getLogger(__name__)

UNEXPECTED = "Something unexpected went wrong. Nothing already in your vault was changed or lost."
UNEXPECTED_HINT = (
    "Please try again. If it happens again, close Evidence Kit and open it again; "
    "the details below can help the people who look after the program."
)


def error_text(exc: BaseException) -> tuple[str, str | None]:
    """The message and the hint a person sees for `exc`."""
    if isinstance(exc, EvidenceKitError):
        return exc.message, exc.hint
    return UNEXPECTED, UNEXPECTED_HINT


def _present(box: QMessageBox) -> None:
    """Shows the box (tests replace this to read it instead)."""
    box.exec()


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "Evidence Kit") -> None:
    """Show `exc` calmly: what happened and what to do. A cancellation shows nothing."""
    if isinstance(exc, Cancelled):
        return
    message, hint = error_text(exc)
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(
        QMessageBox.Icon.Information
        if isinstance(exc, EvidenceKitError)
        else QMessageBox.Icon.Warning
    )
    box.setText(message)
    if hint:
        box.setInformativeText(hint)
    if not isinstance(exc, EvidenceKitError):
        log.error("unexpected error", exc_info=exc)
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setAccessibleName("Message")
    _present(box)
