"""A grabbed frame: the raw pixels, when they were taken, where, and what part of them was asked for.

A frame lives in memory only (never in a temporary file) until `save_capture` puts it in the
vault. The SHA-256 of its pixels is started on a second thread the moment it exists, so they
are pinned by a hash before anyone encodes, shows or crops them. It is taken over the pixels as
8-bit RGB rows (what any PNG decoder gives back from the stored file), so anyone can check it
against the stored PNG; the screen's unused fourth byte is not part of the evidence.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evidence_kit.capture.place import NOT_AVAILABLE, WindowInfo
from evidence_kit.clock import iso_utc, local_zone_name

if TYPE_CHECKING:
    from PIL import Image

Rect = tuple[int, int, int, int]  # x, y, width, height
_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="frame-hash")


def _pixels_sha256(bgra: bytes, width: int, height: int) -> str:
    from PIL import Image

    rgb = Image.frombuffer("RGB", (width, height), bgra, "raw", "BGRX", 0, 1)
    return hashlib.sha256(rgb.tobytes()).hexdigest()


@dataclass(frozen=True)
class Monitor:
    left: int
    top: int
    width: int
    height: int

    @property
    def rect(self) -> Rect:
        return (self.left, self.top, self.width, self.height)

    def as_dict(self) -> dict[str, int]:
        return {"left": self.left, "top": self.top, "width": self.width, "height": self.height}

    def contains(self, rect: Rect) -> bool:
        x, y, w, h = rect
        return (
            w > 0
            and h > 0
            and x >= self.left
            and y >= self.top
            and x + w <= self.left + self.width
            and y + h <= self.top + self.height
        )

    def clip(self, rect: Rect) -> Rect | None:
        x, y, w, h = rect
        left, top = max(x, self.left), max(y, self.top)
        right = min(x + w, self.left + self.width)
        bottom = min(y + h, self.top + self.height)
        return None if right <= left or bottom <= top else (left, top, right - left, bottom - top)


@dataclass(frozen=True)
class Frame:
    """`bgra`: width*height*4 bytes (B, G, R, unused) of the whole desktop or one monitor,
    whose top-left is `origin` in screen pixels. `crop`: the region or window, relative to the
    frame; `region`: the same in screen pixels."""

    bgra: bytes
    width: int
    height: int
    origin: tuple[int, int]
    method: str
    monitor: int | None
    monitors: tuple[Monitor, ...]
    region: Rect | None
    crop: Rect | None
    window: WindowInfo
    scale: float | None  # the desktop's scale factor, where the platform says it
    display_server: str  # "X11", "XWayland", "Windows", "macOS"
    before: datetime
    at: datetime
    after: datetime
    timezone: str
    _hash: Future[str] = field(repr=False, compare=False)

    @classmethod
    def make(cls, bgra: bytes, **fields: Any) -> Frame:
        return cls(
            bgra=bgra,
            timezone=fields.pop("timezone", None) or local_zone_name(),
            _hash=_HASHER.submit(_pixels_sha256, bgra, fields["width"], fields["height"]),
            **fields,
        )

    @property
    def pixels_sha256(self) -> str:
        """SHA-256 of the grabbed pixels as RGB rows (taken on a second thread at grab time)."""
        return self._hash.result()

    # -- time --------------------------------------------------------------------------------

    def local(self, moment: datetime | None = None) -> datetime:
        moment = moment or self.at
        try:
            return moment.astimezone(ZoneInfo(self.timezone))
        except (ZoneInfoNotFoundError, ValueError):
            return moment.astimezone()

    @property
    def captured_at_utc(self) -> str:
        return iso_utc(self.at)

    @property
    def captured_at_local(self) -> str:
        return self.local().isoformat(timespec="microseconds")

    @property
    def utc_offset(self) -> str:
        text = self.local().strftime("%z")  # +0100
        return f"{text[:3]}:{text[3:]}" if text else "+00:00"

    # -- pixels ------------------------------------------------------------------------------

    def image(self) -> Image.Image:
        """The frame as an RGB Pillow image (the unused fourth byte is dropped)."""
        from PIL import Image

        return Image.frombuffer("RGB", (self.width, self.height), self.bgra, "raw", "BGRX", 0, 1)

    def with_region(self, rect: Rect) -> Frame:
        """The same grab with `rect` (x, y, w, h in frame pixels, e.g. dragged on the frozen
        frame) as its region crop; refused if it is empty or not inside the frame."""
        import dataclasses

        from evidence_kit.capture.errors import BadRegion, RegionOutside

        x, y, w, h = rect
        if w <= 0 or h <= 0:
            raise BadRegion(f"The region {w}x{h} at {x},{y} has no area.")
        left, top = self.origin
        if not Monitor(0, 0, self.width, self.height).contains(rect):
            raise RegionOutside((x + left, y + top, w, h), (left, top, self.width, self.height))
        return dataclasses.replace(
            self, method="region", crop=(x, y, w, h), region=(x + left, y + top, w, h)
        )

    def crop_image(self) -> Image.Image | None:
        if self.crop is None:
            return None
        x, y, w, h = self.crop
        return self.image().crop((x, y, x + w, y + h))

    def capture_metadata(self, encoder: str) -> dict[str, Any]:
        """The `capture` part of the metadata contract."""
        return {
            "captured_at_utc": self.captured_at_utc,
            "captured_at_local": self.captured_at_local,
            "timezone": self.timezone,
            "utc_offset": self.utc_offset,
            "before_utc": iso_utc(self.before),
            "after_utc": iso_utc(self.after),
            "method": self.method,
            "monitor": self.monitor,
            "monitors": [m.as_dict() for m in self.monitors],
            "region": list(self.region) if self.region else None,
            "encoder": encoder,
            "scale": self.scale if self.scale is not None else NOT_AVAILABLE,
            "display_server": self.display_server,
            "frame": {
                "left": self.origin[0],
                "top": self.origin[1],
                "width": self.width,
                "height": self.height,
            },
            "pixels_sha256": self.pixels_sha256,
            "pixels_format": "RGB 8-bit, rows top to bottom, no padding (as the PNG decodes)",
        }
