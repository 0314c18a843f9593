"""The PNG encoder: lossless, deterministic, and the same zlib stream as mss's to_png."""

from __future__ import annotations

import io
import struct

import mss.tools
import pytest
from PIL import Image

from evidence_kit.capture.encode import LEVEL, encode_png, png_stream, thumbnail_png
from tests.capture.fakes import pattern


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        found.append((png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    assert pos == len(png)
    return found


@pytest.mark.parametrize("size", [(1, 1), (7, 3), (333, 17), (1000, 800)])
def test_lossless_and_same_zlib_stream_as_mss(size: tuple[int, int]) -> None:
    image = pattern(*size, seed=size[0])
    png = encode_png(image)
    decoded = Image.open(io.BytesIO(png))
    decoded.load()
    assert decoded.mode == "RGB" and decoded.size == size
    assert decoded.tobytes() == image.tobytes()
    reference = mss.tools.to_png(image.tobytes(), size, level=LEVEL)
    assert reference is not None

    def idat(data: bytes) -> bytes:
        return b"".join(body for kind, body in chunks(data) if kind == b"IDAT")

    assert idat(png) == idat(reference)
    kinds = [kind for kind, _ in chunks(png)]
    assert (
        kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and set(kinds) == {b"IHDR", b"IDAT", b"IEND"}
    )


def test_streams_in_pieces_and_is_deterministic() -> None:
    image = pattern(1000, 800)  # 2.4 MB of pixels: several strips
    pieces = list(png_stream(image))
    assert len(pieces) >= 3
    assert b"".join(pieces) == encode_png(image) == encode_png(image.copy())


def test_thumbnail_is_small() -> None:
    for size in [(3840, 2160), (200, 50), (1, 1)]:
        thumb = Image.open(io.BytesIO(thumbnail_png(Image.new("RGB", size, (10, 200, 30)))))
        assert max(thumb.size) <= 320 and thumb.getpixel((0, 0)) == (10, 200, 30)
