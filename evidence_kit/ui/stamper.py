"""The background time-stamp job: after unlock and after each capture, import or export (and
every few minutes, and when the network comes back), everything still waiting is sent to the
authorities for one token.

The vault parts (`prepare`, `record`) are short tasks on the runner; the asking itself runs on
a daemon thread of its own, so a capture submitted meanwhile never waits for the network. One
round at a time: a request while one runs is remembered and run after it. A failure leaves the
items "waiting" (the item details say so) and is logged, never shown as a dialog.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from evidence_kit.ui.operations import stamps
from evidence_kit.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
RETRY_MS = 10 * 60 * 1000


class Stamper(QObject):
    stamped = Signal(object)  # the FlushCounts of a round that kept replies
    idle = Signal()  # a round ended (tests wait on it)
    _answered = Signal(object, object)  # request, outcomes or exception: from the asking thread

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.running = False
        self.again = False
        self.active = False  # a vault is open
        self._answered.connect(self._record)
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.kick)
        self._watch_network()

    def _watch_network(self) -> None:
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if QNetworkInformation.loadDefaultBackend():
                found = QNetworkInformation.instance()
                if found is not None:
                    found.reachabilityChanged.connect(
                        lambda reach: (
                            self.kick()
                            if reach == QNetworkInformation.Reachability.Online
                            else None
                        )
                    )
        except (ImportError, RuntimeError, AttributeError):  # no backend here: the timer retries
            pass

    def start(self) -> None:
        """A vault was opened."""
        self.active = True
        self.timer.start()
        self.kick()

    def stop(self) -> None:
        """The vault is being locked: no new round (a round already asking keeps its replies
        only if the same vault is open when they come back)."""
        self.active = False
        self.again = False
        self.timer.stop()

    def kick(self) -> None:
        if not self.active:
            return
        if self.running:
            self.again = True
            return
        self.running = True
        self.runner.submit(
            stamps.prepare, on_done=self._prepared, on_error=self._failed, label="time-stamps"
        )

    def _prepared(self, request: stamps.Request | None) -> None:
        if request is None:
            self._finish()
            return
        threading.Thread(target=self._ask, args=(request,), name="time-stamps", daemon=True).start()

    def _ask(self, request: stamps.Request) -> None:
        try:
            outcomes: Any = stamps.ask(request)
        except Exception as exc:  # handed back to the GUI thread, which logs it
            outcomes = exc
        self._answered.emit(request, outcomes)

    def _record(self, request: stamps.Request, outcomes: Any) -> None:
        if isinstance(outcomes, BaseException):
            self._failed(outcomes)
            return
        self.runner.submit(
            lambda job: stamps.record(job, request, outcomes),
            on_done=self._recorded,
            on_error=self._failed,
            label="time-stamps",
        )

    def _recorded(self, counts: Any) -> None:
        if counts is not None:
            self.stamped.emit(counts)
        self._finish()

    def _failed(self, exc: BaseException) -> None:
        log.warning("time-stamps: %s", exc)
        self._finish()

    def _finish(self) -> None:
        self.running = False
        if self.again and self.active:
            self.again = False
            self.kick()
            return
        self.idle.emit()
