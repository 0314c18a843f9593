"""The calls the GUI makes into the capture package. Both run on the task runner's thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QImage

from evidence_kit.capture import NOT_AVAILABLE, Details, Frame, Grabber, Target, save_capture
from evidence_kit.capture import grab as grab_frame
from evidence_kit.ui.dialogs.capture_form import CaptureDetails, url_in_title
from evidence_kit.ui.tasks import Job

TARGETS = {"all": Target.all_monitors, "window": Target.active_window}


@dataclass
class Grabbed:
    frame: Frame
    image: QImage  # the whole frame, for the region overlay and the form's preview
    evidence_time: str
    window_title: str
    url: str


def frame_image(frame: Frame) -> QImage:
    """The frame's pixels as a QImage (a copy, so it owns its memory)."""
    image = QImage(
        frame.bgra, frame.width, frame.height, frame.width * 4, QImage.Format.Format_RGB32
    )
    return image.copy()


def evidence_time_text(frame: Frame) -> str:
    local = frame.local()
    return (
        f"{local.strftime('%A %d %B %Y, %H:%M:%S')} {frame.timezone} "
        f"(UTC{frame.utc_offset}) — {frame.captured_at_utc} UTC"
    )


def grab(job: Job, grabber: Grabber | None, mode: str) -> Grabbed:
    clock = job.vault.clock if job.vault is not None else None
    frame = grab_frame(TARGETS.get(mode, Target.all_monitors)(), grabber, clock=clock)
    title = frame.window.title if frame.window.title != NOT_AVAILABLE else ""
    image = frame_image(frame)
    if frame.crop is not None:  # a window: show the window, keep the whole frame too
        x, y, w, h = frame.crop
        image = image.copy(x, y, w, h)
    return Grabbed(frame, image, evidence_time_text(frame), title, url_in_title(title))


def save(
    job: Job, grabbed: Grabbed, details: CaptureDetails, region: tuple[int, int, int, int] | None
) -> int:
    """Encode and store; returns the id of the item to show (the crop where there is one)."""
    frame = grabbed.frame if region is None else grabbed.frame.with_region(region)
    items: list[Any] = save_capture(
        job.need_vault(),
        frame,
        Details(
            url=details.url,
            platform=details.platform,
            account=details.account,
            description=details.description,
            case=details.case,
        ),
        progress=job.progress,
        cancel=job.cancel,
    )
    return int(items[-1].id)
