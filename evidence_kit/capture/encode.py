"""Lossless PNG encoding of a frame, and the small thumbnail shown in lists.

Encoder chosen by measurement (bench/capture_bench.py, bench/RESULTS.md): the layout of mss's
`to_png` — 8-bit RGB, filter type 0 (none) on every row, one zlib stream at level 3 — beat
Pillow (adaptive filters) at 1080p and 4K on screen-like content, and Qt at every setting where
Qt actually compresses (its fastest writes a 4K frame as 25 MB), at the cost of files 25%
bigger than Pillow's. `png_stream` writes that same zlib stream in pieces as it is compressed
(over several IDAT chunks), so the vault encrypts and stores the first megabytes while the rest
is still being compressed; a test checks its zlib stream is byte for byte the one
`mss.tools.to_png` makes from the same pixels, and that decoding gives back the exact pixels.
No gamma, time or text chunks: the same pixels always give the same bytes.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

LEVEL = 3
STRIP_BYTES = 1 << 20  # pixels compressed per step (about 1 MiB): bounded pieces, many steps
THUMBNAIL_SIDE = 320
SIGNATURE = b"\x89PNG\r\n\x1a\n"


def encoder_name() -> str:
    """Recorded with every screenshot: how its bytes were made."""
    return f"PNG RGB 8-bit, filter 0, zlib {zlib.ZLIB_VERSION} level {LEVEL} (mss to_png layout, streamed)"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_stream(image: Image.Image, level: int = LEVEL) -> Iterator[bytes]:
    """The PNG of an RGB image, in pieces as they are compressed."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    line = width * 3
    pixels = memoryview(image.tobytes())
    rows = max(1, STRIP_BYTES // max(line, 1))
    yield SIGNATURE + _chunk(b"IHDR", struct.pack(">2I5B", width, height, 8, 2, 0, 0, 0))
    compressor = zlib.compressobj(level)
    for top in range(0, height, rows):
        parts: list[bytes | memoryview] = []
        for y in range(top, min(top + rows, height)):
            parts += (b"\x00", pixels[y * line : (y + 1) * line])
        compressed = compressor.compress(b"".join(parts))
        if compressed:
            yield _chunk(b"IDAT", compressed)
    yield _chunk(b"IDAT", compressor.flush()) + _chunk(b"IEND", b"")


def encode_png(image: Image.Image) -> bytes:
    """The whole PNG of an RGB image; decoding it gives back exactly the same pixels."""
    return b"".join(png_stream(image))


def thumbnail_png(image: Image.Image, side: int = THUMBNAIL_SIDE) -> bytes:
    """A small PNG for lists (not evidence: made from the same pixels, scaled down)."""
    from PIL import Image as PILImage

    factor = max(1, min(image.width, image.height, max(image.width, image.height) // side))
    small = image.reduce(factor) if factor > 1 else image.copy()
    small.thumbnail((side, side), PILImage.Resampling.BILINEAR)
    out = io.BytesIO()
    small.save(out, "PNG", compress_level=1)  # not evidence: speed over size
    return out.getvalue()
