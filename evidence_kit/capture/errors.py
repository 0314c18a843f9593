"""What can go wrong when capturing the screen, each in one plain sentence with what to do."""

from __future__ import annotations

from evidence_kit.errors import CaptureError


class NoDisplay(CaptureError):
    """There is no screen to capture: this session has no display."""

    hint = (
        "Run Evidence Kit from your desktop session (not from a remote terminal or a service), "
        "then try again."
    )


class DisplayUnreachable(CaptureError):
    """The screen could not be reached."""

    hint = "Check that your desktop session is still running and that DISPLAY is right, then try again."

    def __init__(self, display: str) -> None:
        super().__init__(f"Cannot connect to the display {display!r} to capture the screen.")


class WaylandWithoutX(CaptureError):
    """This Wayland desktop does not let programs capture the screen directly."""

    hint = (
        "Choose an 'Xorg' or 'X11' session on the login screen, or start Evidence Kit with "
        "XWayland (DISPLAY set), then try again; nothing was stored."
    )


class UnknownMonitor(CaptureError):
    """There is no such monitor."""

    exit_code = 2

    def __init__(self, number: int, count: int) -> None:
        have = (
            "one monitor (number 1)" if count == 1 else f"{count} monitors (numbers 1 to {count})"
        )
        super().__init__(
            f"There is no monitor {number}: this computer has {have}.",
            hint="Choose one of those numbers, or capture all monitors with --all.",
        )


class BadRegion(CaptureError):
    """The region is not a rectangle on the screen."""

    exit_code = 2


class RegionOutside(BadRegion):
    """The region lies outside the screen."""

    def __init__(
        self, region: tuple[int, int, int, int], bounds: tuple[int, int, int, int]
    ) -> None:
        x, y, w, h = region
        left, top, width, height = bounds
        super().__init__(
            f"The region {w}x{h} at {x},{y} goes outside the screen, which is {width}x{height} "
            f"at {left},{top}.",
            hint="Give a region inside the screen (X,Y,WIDTH,HEIGHT in pixels), or capture it all with --all.",
        )


class NoActiveWindow(CaptureError):
    """It cannot be known which window is active, so the window cannot be captured."""

    hint = "Capture a region (--region) or the whole screen (--all) instead."


class GrabFailed(CaptureError):
    """The screen could not be captured."""

    hint = "Try again; if it keeps failing, capture the whole screen with --all."
