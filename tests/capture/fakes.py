"""A grabber that returns a known image: for core tests without an X server (and GUI tests)."""

from __future__ import annotations

import random

from PIL import Image

from evidence_kit.capture import Monitor, RawImage, WindowInfo


def pattern(width: int, height: int, seed: int = 7) -> Image.Image:
    """Noisy RGB pixels: any off-by-one, channel swap or lossy step changes them."""
    rnd = random.Random(seed)
    return Image.frombytes("RGB", (width, height), rnd.randbytes(width * height * 3))


class FakeGrabber:
    """Serves `desktop` (an RGB image) as the screen, with the given monitors and window."""

    def __init__(
        self,
        desktop: Image.Image,
        monitors: list[tuple[int, int, int, int]] | None = None,
        window: WindowInfo | None = None,
    ) -> None:
        self.desktop = desktop
        rects = monitors or [(0, 0, desktop.width, desktop.height)]
        self._monitors = [Monitor(0, 0, desktop.width, desktop.height)] + [
            Monitor(*rect) for rect in rects
        ]
        self.window = window or WindowInfo()
        self.grabs: list[Monitor] = []
        self.closed = False

    def monitors(self) -> list[Monitor]:
        return list(self._monitors)

    def grab(self, box: Monitor) -> RawImage:
        self.grabs.append(box)
        part = self.desktop.crop((box.left, box.top, box.left + box.width, box.top + box.height))
        return RawImage(part.tobytes("raw", "BGRX"), part.width, part.height)

    def active_window(self) -> WindowInfo:
        return self.window

    def close(self) -> None:
        self.closed = True
