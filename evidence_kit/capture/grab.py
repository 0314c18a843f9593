"""Grabbing the screen: what to grab (`Target`), who grabs (`Grabber`, really mss), and `grab()`.

The evidence time is the instant of the grab. `grab()` reads the clock just before the pixels are
asked for and just after they arrive; the instant itself is the reading right before the one
grab call (`at`), so `before <= at <= after` and the pixels were taken within [at, after].
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Literal, Protocol

from evidence_kit.capture.errors import (
    BadRegion,
    DisplayUnreachable,
    GrabFailed,
    NoActiveWindow,
    NoDisplay,
    RegionOutside,
    UnknownMonitor,
    WaylandWithoutX,
)
from evidence_kit.capture.frame import Frame, Monitor, Rect
from evidence_kit.capture.place import (
    UNKNOWN,
    WindowInfo,
    X11Windows,
    active_window,
    display_scale,
    display_server,
)
from evidence_kit.clock import Clock, SystemClock

Method = Literal["all", "monitor", "region", "window"]


@dataclass(frozen=True)
class Target:
    """What to grab: every monitor, monitor N (1-based), a region (x, y, w, h in screen
    pixels), or the active window."""

    method: Method = "all"
    monitor: int | None = None
    region: Rect | None = None

    @classmethod
    def all_monitors(cls) -> Target:
        return cls("all")

    @classmethod
    def one_monitor(cls, number: int) -> Target:
        return cls("monitor", monitor=number)

    @classmethod
    def area(cls, x: int, y: int, width: int, height: int) -> Target:
        if width <= 0 or height <= 0:
            raise BadRegion(
                f"The region {width}x{height} at {x},{y} has no area.",
                hint="Give a width and height of at least one pixel: X,Y,WIDTH,HEIGHT.",
            )
        return cls("region", region=(x, y, width, height))

    @classmethod
    def active_window(cls) -> Target:
        return cls("window")


@dataclass(frozen=True)
class RawImage:
    """Pixels as the screen gave them: 4 bytes a pixel, B G R and one unused byte."""

    bgra: bytes
    width: int
    height: int


class Grabber(Protocol):
    """Grabs pixels. The real one is `MssGrabber`; tests inject one that returns a known image."""

    def monitors(self) -> list[Monitor]:
        """Index 0: the box around all monitors; 1..N: each monitor."""
        ...

    def grab(self, box: Monitor) -> RawImage: ...

    def active_window(self) -> WindowInfo: ...

    def close(self) -> None: ...


class MssGrabber:
    """The real screen, through mss (X11 via XShm/XGetImage, Win32 GDI, macOS Quartz)."""

    def __init__(self) -> None:
        self.display = check_session()
        import mss

        self._windows = X11Windows(self.display) if self.display else None
        try:
            self._mss = mss.MSS(display=self.display) if self.display else mss.MSS()
        except mss.ScreenShotError as exc:
            if self.display:
                raise DisplayUnreachable(self.display) from exc
            raise GrabFailed() from exc

    def monitors(self) -> list[Monitor]:
        import mss

        try:
            found = self._mss.monitors
        except mss.ScreenShotError as exc:
            raise GrabFailed() from exc
        return [Monitor(m["left"], m["top"], m["width"], m["height"]) for m in found]

    def grab(self, box: Monitor) -> RawImage:
        import mss

        try:
            shot = self._mss.grab(box.as_dict())
        except mss.ScreenShotError as exc:
            raise GrabFailed() from exc
        return RawImage(bytes(shot.raw), shot.width, shot.height)

    def active_window(self) -> WindowInfo:
        if self._windows is None:
            return active_window(self.display)
        return self._windows.active()

    def scale(self) -> float | None:
        """The desktop's scale factor where the platform says it (None: not known)."""
        if self._windows is not None:
            return self._windows.scale()
        return display_scale()

    def close(self) -> None:
        self._mss.close()
        if self._windows is not None:
            self._windows.close()


def check_session() -> str | None:
    """The X display to use on Linux and other Unix (None elsewhere), or a clear error."""
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return None
    display = os.environ.get("DISPLAY", "").strip()
    if display:
        return display
    if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
        raise WaylandWithoutX()
    raise NoDisplay()


_MSS_BACKEND = {"win32": "mss.windows", "darwin": "mss.darwin"}  # else X11 (mss >= 10.2)


def preload() -> None:
    """Import now what a grab will use (mss and its backend here; python-xlib, its connection
    and the extensions it loads on connecting, for the active window; Pillow for the pixel hash;
    tzlocal for the zone): ~35 ms in a new process that the command line's start-up pays, not
    the capture, which grabs as soon as the command starts. Nothing is opened or grabbed."""
    import importlib

    names = ["mss", _MSS_BACKEND.get(sys.platform, "mss.linux.xshmgetimage"), "PIL.Image",
             "PIL.ImageFile", "tzlocal"]  # fmt: skip
    if not sys.platform.startswith("win") and sys.platform != "darwin":
        try:
            from Xlib import ext
        except ImportError:
            pass
        else:
            names += ["Xlib.display", "Xlib.support.unix_connect", "Xlib.xauth"]
            names += [f"Xlib.ext.{module}" for _, module in ext.__extensions__]
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # not on this platform, or another version: imported when used
            pass


def grab(target: Target, grabber: Grabber | None = None, clock: Clock | None = None) -> Frame:
    """Grab `target` now. The frame is the whole desktop (or the chosen monitor); a region or a
    window is kept as a crop rectangle relative to it. Nothing is stored."""
    clock = clock or SystemClock()
    own = grabber is None
    source: Grabber = MssGrabber() if grabber is None else grabber
    try:
        layout = source.monitors()
        screens = tuple(layout[1:]) or tuple(layout[:1])
        box, crop, window = _plan(target, layout, source)
        region = None  # the crop in screen coordinates, as asked (or the window's, clipped)
        if crop is not None:
            region = (crop[0] + box.left, crop[1] + box.top, crop[2], crop[3])
        before = clock.now()
        at = clock.now()
        raw = source.grab(box)
        after = clock.now()
        if window is None:  # the place: which window was in front when the pixels were taken
            window = source.active_window()
        scale_of = getattr(source, "scale", None)  # optional in the Grabber protocol
        scale = scale_of() if callable(scale_of) else None
    finally:
        if own:
            source.close()
    # macOS gives Retina pixels for a layout in points: the frame is then `factor` times the
    # box, and the crop (always in frame pixels) is scaled to match.
    factor_x, factor_y = raw.width / box.width, raw.height / box.height
    if (
        factor_x < 1
        or abs(raw.height - box.height * factor_x) > 1
        or len(raw.bgra) != raw.width * raw.height * 4
    ):
        raise GrabFailed(
            f"The screen gave a {raw.width}x{raw.height} image where {box.width}x{box.height} was asked for."
        )
    if factor_x != 1:
        scale = scale if scale is not None else round(factor_x, 3)
        if crop is not None:
            x, y, w, h = crop
            left, top = round(x * factor_x), round(y * factor_y)
            crop = (
                left,
                top,
                min(round(w * factor_x), raw.width - left),
                min(round(h * factor_y), raw.height - top),
            )
    return Frame.make(
        raw.bgra,
        width=raw.width,
        height=raw.height,
        origin=(box.left, box.top),
        method=target.method,
        monitor=target.monitor,
        monitors=screens,
        region=region,
        crop=crop,
        window=window,
        scale=scale,
        display_server=display_server() if isinstance(source, MssGrabber) else "test grabber",
        before=before,
        at=at,
        after=after,
    )


def _plan(
    target: Target, layout: list[Monitor], source: Grabber
) -> tuple[Monitor, Rect | None, WindowInfo | None]:
    """The box to grab, the crop inside it, and (for a window) the window found beforehand."""
    if not layout:
        raise GrabFailed("No monitor was found to capture.")
    desktop = layout[0]
    if target.method == "all":
        return desktop, None, None
    if target.method == "monitor":
        count = max(len(layout) - 1, 1)
        number = target.monitor if target.monitor is not None else 1
        if not 1 <= number <= count:
            raise UnknownMonitor(number, count)
        return layout[number] if len(layout) > 1 else desktop, None, None
    if target.method == "region":
        if target.region is None:
            raise BadRegion("No region was given.")
        x, y, w, h = Target.area(*target.region).region or target.region  # checks the size
        if not desktop.contains(target.region):
            raise RegionOutside(target.region, desktop.rect)
        return desktop, (x - desktop.left, y - desktop.top, w, h), None
    window = source.active_window()
    if not window.known or window.rectangle is None:
        raise NoActiveWindow()
    clipped = desktop.clip(window.rectangle)
    if clipped is None:
        raise NoActiveWindow(
            f"The active window ({window.title}) is not on the screen, so it cannot be captured."
        )
    x, y, w, h = clipped
    return desktop, (x - desktop.left, y - desktop.top, w, h), window


__all__ = [
    "UNKNOWN",
    "Grabber",
    "MssGrabber",
    "RawImage",
    "Target",
    "check_session",
    "grab",
    "preload",
]
