"""The calls the GUI makes into the capture package (on the task runner's thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QImage

from evidence_kit.ui.dialogs.capture_form import CaptureDetails
from evidence_kit.ui.tasks import Job


@dataclass
class Grabbed:
    frame: Any
    image: QImage
    evidence_time: str
    window_title: str
    url: str


def grab(job: Job, grabber: Any, target: str) -> Grabbed:
    raise NotImplementedError("waiting for evidence_kit.capture")


def save(
    job: Job, grabbed: Grabbed, details: CaptureDetails, region: tuple[int, int, int, int] | None
) -> int:
    raise NotImplementedError("waiting for evidence_kit.capture")
