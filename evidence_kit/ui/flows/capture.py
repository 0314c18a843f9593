"""Capture, the main act: hide, grab, (region: drag on the frozen screen), describe, save."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRect, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QWidget

from evidence_kit.capture import Details
from evidence_kit.ui.dialogs.capture_form import CaptureFormDialog
from evidence_kit.ui.dialogs.safeguarding import SafeguardingDialog
from evidence_kit.ui.errors import show_error
from evidence_kit.ui.operations import capture as capture_core
from evidence_kit.ui.operations.capture import url_from
from evidence_kit.ui.widgets.region_overlay import RegionOverlayWidget

if TYPE_CHECKING:
    from evidence_kit.ui.session import Session

HIDE_DELAY_MS = 350  # time for the window manager to take our windows off the screen


class CaptureFlow(QObject):
    saved = Signal(int)  # the new item's id
    discarded = Signal()
    overlay_shown = Signal(object)  # the RegionOverlayWidget (tests drag on it)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        self.grabber: Any = None  # None: the real screen (tests set a fake grabber)
        self.hide_delay_ms = HIDE_DELAY_MS
        self._hidden: list[QWidget] = []
        self.busy = False
        self.overlay: RegionOverlayWidget | None = None

    # -- 1. safeguarding, hide, wait -----------------------------------------------------------

    def start(self, mode: str, delay: int = 0) -> None:
        if self.busy or self.session.is_locked:
            return
        settings = self.session.settings
        if not settings.value("safeguarding_shown", False, type=bool):
            if not SafeguardingDialog.ask(self.session.window):  # the window stays in front
                return
            settings.setValue("safeguarding_shown", True)
        self.busy = True
        self.clipboard = QGuiApplication.clipboard().text()
        self._hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in self._hidden:
            widget.hide()
        if delay > 0 and self.session.tray.available:
            self.session.tray.icon.showMessage(
                "Evidence Kit", f"The screen will be captured in {delay} seconds."
            )
        QTimer.singleShot(max(delay * 1000, self.hide_delay_ms), lambda: self._grab(mode))

    # -- 2. grab on the worker -----------------------------------------------------------------

    def _grab(self, mode: str) -> None:
        grabber = self.grabber
        target = "all" if mode == "region" else mode
        self.session.runner.submit(
            lambda job: capture_core.grab(job, grabber, target),
            on_done=lambda grabbed: self._grabbed(mode, grabbed),
            on_error=self._failed,
        )

    def _restore(self) -> None:
        for widget in self._hidden:
            widget.show()
        self._hidden = []

    def _failed(self, exc: BaseException) -> None:
        self._restore()
        self.busy = False
        show_error(self.session.window, exc)

    def _grabbed(self, mode: str, grabbed: capture_core.Grabbed) -> None:
        if mode != "region":
            self._restore()
            self._describe(grabbed, None)
            return
        self.overlay = RegionOverlayWidget(capture_core.frame_image(grabbed.frame))
        self.overlay.selected.connect(lambda rect: self._region_chosen(grabbed, rect))
        self.overlay.cancelled.connect(self._cancelled)
        self.overlay.show_over_screen()
        self.overlay_shown.emit(self.overlay)

    def _cancelled(self) -> None:
        self._restore()
        self.busy = False
        self.discarded.emit()

    def _region_chosen(self, grabbed: capture_core.Grabbed, rect: QRect) -> None:
        self._restore()
        self._describe(grabbed, (rect.x(), rect.y(), rect.width(), rect.height()))

    # -- 3. describe, then save or discard ---------------------------------------------------

    def _describe(
        self, grabbed: capture_core.Grabbed, region: tuple[int, int, int, int] | None
    ) -> None:
        preview: QImage = grabbed.image
        if region is not None:  # the overlay showed the whole frame
            preview = capture_core.frame_image(grabbed.frame).copy(QRect(*region))
        session = self.session
        details = CaptureFormDialog.ask(
            preview,
            grabbed.evidence_time,
            url=url_from(self.clipboard) or grabbed.url,
            window_title=grabbed.window_title,
            cases=session.window.cases.names(),
            case=session.case,
            parent=session.window,
        )
        if details is None:
            self.busy = False
            self.discarded.emit()
            return
        self._save(grabbed, details, region)

    def _save(
        self,
        grabbed: capture_core.Grabbed,
        details: Details,
        region: tuple[int, int, int, int] | None,
    ) -> None:
        def done(item_id: int) -> None:
            self.busy = False
            self.session.refresh(select=item_id)
            self.saved.emit(item_id)

        def failed(exc: BaseException) -> None:
            self.busy = False
            show_error(self.session.window, exc)

        self.session.runner.submit(
            lambda job: capture_core.save(job, grabbed, details, region),
            on_done=done,
            on_error=failed,
        )
