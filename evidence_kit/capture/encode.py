"""Lossless PNG encoding of a frame, and the small thumbnail shown in lists.

Encoder chosen by measurement (bench/capture_bench.py, bench/RESULTS.md): mss's `to_png`
(filter 0, one zlib stream) beat Pillow (adaptive filters) and Qt at both 1080p and 4K on
screen-like content, at the cost of somewhat bigger files. The pixels are converted from the
screen's BGRX to RGB by Pillow's C unpacker; the PNG holds 8-bit RGB, no alpha (the screen
has none), no gamma, no time chunk — so the same pixels always give the same bytes.
"""

from __future__ import annotations

import io
from importlib.metadata import version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

LEVEL = 1
THUMBNAIL_SIDE = 320


def encoder_name() -> str:
    """Recorded with every screenshot: which code made its bytes."""
    return f"mss.tools.to_png zlib level {LEVEL} (mss {version('mss')}, RGB 8-bit)"


def encode_png(image: Image.Image) -> bytes:
    """The PNG of an RGB image; decoding it gives back exactly the same pixels."""
    import mss.tools

    if image.mode != "RGB":
        image = image.convert("RGB")
    png = mss.tools.to_png(image.tobytes(), image.size, level=LEVEL)
    assert png is not None  # to_png returns the bytes when no output file is given
    return png


def thumbnail_png(image: Image.Image, side: int = THUMBNAIL_SIDE) -> bytes:
    """A small PNG for lists (not evidence: made from the same pixels, scaled down)."""
    from PIL import Image as PILImage

    factor = max(1, min(image.width, image.height, max(image.width, image.height) // side))
    small = image.reduce(factor) if factor > 1 else image.copy()
    small.thumbnail((side, side), PILImage.Resampling.BILINEAR)
    out = io.BytesIO()
    small.save(out, "PNG", compress_level=6)
    return out.getvalue()
