"""grab(): targets, crop rectangles, times and the raw hash, on a fake screen."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from PIL import Image

from evidence_kit.capture import Monitor, RawImage, Target, WindowInfo, grab
from evidence_kit.capture.errors import (
    BadRegion,
    GrabFailed,
    NoActiveWindow,
    RegionOutside,
    UnknownMonitor,
)
from evidence_kit.clock import FixedClock
from tests.capture.fakes import FakeGrabber, pattern

DESKTOP = pattern(300, 200)
MONITORS = [(0, 0, 180, 200), (180, 0, 120, 150)]


def fake(window: WindowInfo | None = None) -> FakeGrabber:
    return FakeGrabber(DESKTOP, MONITORS, window)


def test_all_monitors_is_the_whole_desktop_with_layout_and_times() -> None:
    clock = FixedClock(step=timedelta(milliseconds=5))
    start = clock.at
    frame = grab(Target.all_monitors(), fake(), clock=clock)
    assert (frame.width, frame.height, frame.origin) == (300, 200, (0, 0))
    assert frame.image().tobytes() == DESKTOP.tobytes()
    assert [m.rect for m in frame.monitors] == MONITORS
    assert start <= frame.before <= frame.at <= frame.after
    assert frame.after - frame.before == timedelta(milliseconds=10)
    assert frame.pixels_sha256 == hashlib.sha256(DESKTOP.tobytes()).hexdigest()
    assert frame.crop is None and frame.region is None and frame.method == "all"


def test_one_monitor_grabs_only_that_monitor() -> None:
    grabber = fake()
    frame = grab(Target.one_monitor(2), grabber, clock=FixedClock())
    assert grabber.grabs[-1].rect == (180, 0, 120, 150)
    assert (frame.width, frame.height, frame.origin) == (120, 150, (180, 0))
    assert frame.image().tobytes() == DESKTOP.crop((180, 0, 300, 150)).tobytes()
    assert frame.monitor == 2


@pytest.mark.parametrize("number", [0, 3, -1])
def test_unknown_monitor_is_refused_before_grabbing(number: int) -> None:
    grabber = fake()
    with pytest.raises(UnknownMonitor, match=f"There is no monitor {number}: .* 2 monitors"):
        grab(Target.one_monitor(number), grabber, clock=FixedClock())
    assert grabber.grabs == []


def test_region_keeps_the_full_frame_and_a_crop_rectangle() -> None:
    frame = grab(Target.area(170, 20, 50, 40), fake(), clock=FixedClock())
    assert (frame.width, frame.height) == (300, 200)
    assert frame.crop == (170, 20, 50, 40) and frame.region == (170, 20, 50, 40)
    cropped = frame.crop_image()
    assert cropped is not None
    assert cropped.tobytes() == DESKTOP.crop((170, 20, 220, 60)).tobytes()


@pytest.mark.parametrize(
    "region", [(250, 0, 51, 10), (-1, 0, 10, 10), (0, 150, 10, 51), (400, 400, 5, 5)]
)
def test_region_outside_the_screen_is_refused(region: tuple[int, int, int, int]) -> None:
    grabber = fake()
    with pytest.raises(RegionOutside, match="goes outside the screen, which is 300x200 at 0,0"):
        grab(Target.area(*region), grabber, clock=FixedClock())
    assert grabber.grabs == []


@pytest.mark.parametrize("size", [(0, 10), (10, 0), (-5, 10)])
def test_empty_region_is_refused(size: tuple[int, int]) -> None:
    with pytest.raises(BadRegion, match="has no area"):
        Target.area(1, 1, *size)


def test_window_is_cropped_to_its_rectangle_clipped_to_the_screen() -> None:
    window = WindowInfo("Chat — Alice", "firefox", (250, 150, 100, 100), "_NET_ACTIVE_WINDOW")
    frame = grab(Target.active_window(), fake(window), clock=FixedClock())
    assert frame.crop == (250, 150, 50, 50)
    assert frame.window.title == "Chat — Alice"


def test_window_that_cannot_be_known_is_refused() -> None:
    with pytest.raises(NoActiveWindow, match="cannot be known which window is active"):
        grab(Target.active_window(), fake(), clock=FixedClock())


def test_local_time_offset_and_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    from evidence_kit.capture import frame as frame_module

    monkeypatch.setattr(frame_module, "local_zone_name", lambda: "Europe/London")
    clock = FixedClock()  # 09:26:53.589793 UTC is read before, then the grab instant: GMT, +00:00
    frame = grab(Target.all_monitors(), fake(), clock=clock)
    assert frame.captured_at_local == "2026-03-14T09:26:54.589793+00:00"
    assert frame.captured_at_utc == "2026-03-14T09:26:54.589793Z"
    assert frame.utc_offset == "+00:00" and frame.timezone == "Europe/London"
    clock.at = clock.at.replace(month=7)  # summer time: BST, +01:00
    summer = grab(Target.all_monitors(), fake(), clock=clock)
    assert summer.captured_at_utc.startswith("2026-07-14T09:26:5")
    assert summer.captured_at_local.startswith("2026-07-14T10:26:5")
    assert summer.captured_at_local.endswith("+01:00") and summer.utc_offset == "+01:00"


def test_with_region_from_a_frozen_frame() -> None:
    frame = grab(Target.one_monitor(2), fake(), clock=FixedClock())  # origin 180,0; 120x150
    region = frame.with_region((10, 20, 30, 40))
    assert region.method == "region" and region.crop == (10, 20, 30, 40)
    assert region.region == (190, 20, 30, 40)
    assert region.pixels_sha256 == frame.pixels_sha256 and region.at == frame.at
    with pytest.raises(RegionOutside, match="which is 120x150 at 180,0"):
        frame.with_region((100, 0, 21, 10))
    with pytest.raises(BadRegion):
        frame.with_region((0, 0, 0, 10))


def test_scale_and_display_server_are_said_honestly() -> None:
    frame = grab(Target.all_monitors(), fake(), clock=FixedClock())
    shot = frame.capture_metadata("enc")
    assert shot["scale"] == "not available"  # the fake grabber does not say
    assert shot["display_server"] == "test grabber"


class RetinaGrabber(FakeGrabber):
    """Like macOS on a Retina screen: the layout is in points, the pixels are twice as many."""

    def grab(self, box: Monitor) -> RawImage:
        part = self.desktop.crop((box.left, box.top, box.left + box.width, box.top + box.height))
        part = part.resize((part.width * 2, part.height * 2), Image.Resampling.NEAREST)
        return RawImage(part.tobytes("raw", "BGRX"), part.width, part.height)


def test_retina_frame_scales_the_crop_to_pixels() -> None:
    window = WindowInfo("Mail", "Mail", (20, 10, 40, 30), "quartz")
    frame = grab(
        Target.active_window(), RetinaGrabber(DESKTOP, MONITORS, window), clock=FixedClock()
    )
    assert (frame.width, frame.height) == (600, 400)
    assert frame.crop == (40, 20, 80, 60) and frame.region == (20, 10, 40, 30)
    assert frame.scale == 2.0
    cropped = frame.crop_image()
    assert cropped is not None
    expected = DESKTOP.crop((20, 10, 60, 40)).resize((80, 60), Image.Resampling.NEAREST)
    assert cropped.tobytes() == expected.tobytes()


def test_a_grab_of_the_wrong_size_is_refused() -> None:
    class Broken(FakeGrabber):
        def grab(self, box: Monitor) -> RawImage:
            return RawImage(b"\0" * 16, 2, 2)

    with pytest.raises(GrabFailed, match="gave a 2x2 image where 300x200 was asked for"):
        grab(Target.all_monitors(), Broken(DESKTOP), clock=FixedClock())
