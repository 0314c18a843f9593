"""The one place the program shows an error to the person."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

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
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages name files: never read as HTML
    box.setText(message)
    if hint:
        box.setInformativeText(hint)
    if not isinstance(exc, EvidenceKitError):
        log.error("unexpected error", exc_info=exc)
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setAccessibleName("Message")
    _present(box)


def inform(parent: QWidget | None, text: str, *, title: str = "Evidence Kit") -> None:
    """A plain message (it may name files or evidence: shown as plain text)."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Information)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setAccessibleName("Message")
    _present(box)


class _Relay(QObject):
    """Carries an exception from any thread to the GUI thread (a queued signal)."""

    raised = Signal(object)


_relay: _Relay | None = None


def install_excepthook() -> None:
    """Unexpected errors anywhere (a slot, another thread) are shown, not lost in a terminal."""
    global _relay
    _relay = _Relay()
    _relay.raised.connect(lambda exc: show_error(QApplication.activeWindow(), exc))

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if _relay is not None:
            _relay.raised.emit(exc.with_traceback(tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
