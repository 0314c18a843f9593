"""Screen capture: grab (mss), place (active window), encode (PNG), save into the vault.

The GUI grabs first (`grab`), asks the person (`Details`, `PLATFORMS`), then saves
(`save_capture`, on its worker thread); the command line calls `capture`. Tests and GUI tests
pass their own `Grabber` that returns a known image.
"""

from evidence_kit.capture.capture import (
    PLATFORMS,
    Details,
    Prepared,
    capture,
    metadata,
    prepare,
    save_capture,
    take,
)
from evidence_kit.capture.frame import Frame, Monitor, Rect
from evidence_kit.capture.grab import (
    Grabber,
    MssGrabber,
    RawImage,
    Target,
    check_session,
    grab,
    preload,
)
from evidence_kit.capture.place import NOT_AVAILABLE, WindowInfo, active_window

__all__ = [
    "NOT_AVAILABLE",
    "PLATFORMS",
    "Details",
    "Frame",
    "Grabber",
    "Monitor",
    "MssGrabber",
    "Prepared",
    "RawImage",
    "Rect",
    "Target",
    "WindowInfo",
    "active_window",
    "capture",
    "check_session",
    "grab",
    "metadata",
    "preload",
    "prepare",
    "save_capture",
    "take",
]
