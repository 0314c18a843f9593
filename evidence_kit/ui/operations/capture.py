"""Capture on the worker: grab the screen, then save it with what the person said about it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QImage

from evidence_kit.capture import NOT_AVAILABLE, Details, Frame, Grabber, Target, save_capture
from evidence_kit.capture import grab as grab_frame
from evidence_kit.evidence_time import EvidenceTime, evidence_time
from evidence_kit.ui.tasks import Job

TARGETS = {"all": Target.all_monitors, "window": Target.active_window}
URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)


@dataclass
class Grabbed:
    frame: Frame
    image: QImage  # what was captured (a window: the window), for the form's preview
    evidence_time: EvidenceTime
    window_title: str
    url: str


def url_from(text: str | None) -> str:
    """`text` if it is a single web address (as the clipboard often holds), else ''."""
    text = (text or "").strip()
    return text if URL.match(text) else ""


def url_in_title(title: str | None) -> str:
    """A web address shown in a window title, if there is one."""
    found = re.search(r"(https?://\S+)", title or "")
    return found.group(1) if found else ""


def platform_guess(*texts: str | None) -> str:
    joined = " ".join(t or "" for t in texts).lower()
    for name, marks in (
        ("Facebook", ("facebook", "fb.com")),
        ("Instagram", ("instagram",)),
        ("X", ("twitter", "x.com/")),
        ("TikTok", ("tiktok",)),
        ("WhatsApp Web", ("whatsapp",)),
        ("LinkedIn", ("linkedin",)),
        ("Snapchat", ("snapchat",)),
    ):
        if any(mark in joined for mark in marks):
            return name
    return ""


def frame_image(frame: Frame) -> QImage:
    """The frame's pixels as a QImage (a copy, so it owns its memory)."""
    image = QImage(
        frame.bgra, frame.width, frame.height, frame.width * 4, QImage.Format.Format_RGB32
    )
    return image.copy()


def frame_time(frame: Frame) -> EvidenceTime:
    """The grab's evidence time, as the saved item will carry it."""
    capture = {
        "captured_at_utc": frame.captured_at_utc,
        "captured_at_local": frame.captured_at_local,
        "timezone": frame.timezone,
    }
    return evidence_time({"capture": capture}, frame.at)


def grab(job: Job, grabber: Grabber | None, mode: str) -> Grabbed:
    clock = job.vault.clock if job.vault is not None else None
    frame = grab_frame(TARGETS.get(mode, Target.all_monitors)(), grabber, clock=clock)
    title = frame.window.title if frame.window.title != NOT_AVAILABLE else ""
    image = frame_image(frame)
    if frame.crop is not None:  # a window: show the window, keep the whole frame too
        x, y, w, h = frame.crop
        image = image.copy(x, y, w, h)
    return Grabbed(frame, image, frame_time(frame), title, url_in_title(title))


def save(
    job: Job, grabbed: Grabbed, details: Details, region: tuple[int, int, int, int] | None
) -> int:
    """Encode and store; returns the id of the item to show (the crop where there is one)."""
    frame = grabbed.frame if region is None else grabbed.frame.with_region(region)
    items: list[Any] = save_capture(
        job.need_vault(), frame, details, progress=job.progress, cancel=job.cancel
    )
    return int(items[-1].id)


def posted(text: str) -> dict[str, Any] | None:
    """The `posted` metadata for the time the person read on the post (`evidence_time`), None
    when the box is empty; `Refused` (with the reason) when it is not a time."""
    from evidence_kit.evidence_time import posted_metadata

    return posted_metadata(text) if text.strip() else None
